"""Spam protection for the public forms (an application, a message to the office), without
a third-party captcha: a honeypot field no person sees, a signed time stamp that refuses a
form sent too fast (or from a page too old), and the rate limit (``core/ratelimit.py``)
per client address and per e-mail address.

The honeypot is an ordinary text field the template hides (``hidden``, so neither eyes nor
screen readers meet it); a script that fills every field fills it too. The time stamp is
signed with ``SECRET_KEY``: a script cannot make one that looks older than it is."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from .ratelimit import RateLimitResult, client_address, rate_limit_hit

_SALT = "redthread.core.form_guard"
HONEYPOT = "website"
STARTED = "started"
#: How long a page may be open before its form is refused as too old.
MAX_AGE = datetime.timedelta(days=1)


def _min_seconds() -> int:
    return int(getattr(settings, "REDTHREAD_PUBLIC_FORM_MIN_SECONDS", 3))


def form_started_token() -> str:
    """A signed time stamp of now, for the form's hidden field."""
    return signing.TimestampSigner(salt=_SALT).sign("form")


class GuardedForm(forms.Form):
    """A form with the honeypot and the time check; a form shown unbound carries a fresh
    time stamp, and so does one shown again with its errors."""

    website = forms.CharField(
        label=_("Lämna det här fältet tomt"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields[STARTED].initial = form_started_token()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(HONEYPOT):
            raise forms.ValidationError(
                _("Formuläret kunde inte skickas. Försök igen, eller ring programkontoret."),
                code="honeypot",
            )
        signer = signing.TimestampSigner(salt=_SALT)
        token = str(cleaned.get(STARTED) or "")
        # A fresh stamp for the form shown again, so a person who fixes a mistake (or whose
        # page had grown old) is not refused again for the time.
        fresh = QueryDict(mutable=True)
        fresh.update(self.data)
        fresh[self.add_prefix(STARTED)] = form_started_token()
        self.data = fresh
        try:
            signer.unsign(token, max_age=MAX_AGE)
        except signing.SignatureExpired as exc:
            raise forms.ValidationError(
                _("Sidan har varit öppen för länge. Ladda om den och skicka formuläret igen."),
                code="expired",
            ) from exc
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                _("Formuläret kunde inte kontrolleras. Ladda om sidan och försök igen."),
                code="bad_token",
            ) from exc
        try:
            signer.unsign(token, max_age=datetime.timedelta(seconds=_min_seconds()))
        except signing.SignatureExpired:
            pass  # older than the minimum: a person had time to fill it in
        else:
            if _min_seconds() > 0:
                raise forms.ValidationError(
                    _(
                        "Formuläret skickades för snabbt för att en människa ska ha fyllt i "
                        "det. Vänta några sekunder och skicka igen."
                    ),
                    code="too_fast",
                )
        return cleaned


def public_form_rate_limit(
    *, bucket: str, request: HttpRequest | None = None, email: str = ""
) -> RateLimitResult:
    """One send of a public form, counted per client address (with ``request``: every
    send, before the form is read) or per e-mail address (with ``email``, lower-cased:
    once the form is valid). Limits: ``REDTHREAD_PUBLIC_FORM_LIMIT_PER_IP`` and
    ``…_PER_EMAIL`` per ``REDTHREAD_PUBLIC_FORM_WINDOW_SECONDS``."""
    window = int(getattr(settings, "REDTHREAD_PUBLIC_FORM_WINDOW_SECONDS", 3600))
    if request is not None:
        by_address = rate_limit_hit(
            bucket=f"{bucket}:ip",
            key=client_address(request),
            limit=int(getattr(settings, "REDTHREAD_PUBLIC_FORM_LIMIT_PER_IP", 10)),
            window=window,
        )
        if not by_address or not email:
            return by_address
    return rate_limit_hit(
        bucket=f"{bucket}:email",
        key=email.strip().lower(),
        limit=int(getattr(settings, "REDTHREAD_PUBLIC_FORM_LIMIT_PER_EMAIL", 3)),
        window=window,
    )
