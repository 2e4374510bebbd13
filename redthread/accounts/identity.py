"""One spelling of a login identity, used wherever an e-mail address names an account.

The login form, user creation and django-axes' lockout all pass an address through
:func:`identity_normalise`, so that ``Anna@IUC.se``, `` anna@iuc.se `` and the full-width
``ａｎｎａ@iuc.se`` are one account with one count of failed tries. Without it, each
variant got five fresh guesses while the case-insensitive login still let it in.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def identity_normalise(value: str | None) -> str:
    """Returns ``value`` in Unicode NFKC, case-folded, with every whitespace character
    removed (an e-mail address holds none, so a space can only be a typing slip or a
    way around the lockout). ``None`` gives ``""``. Idempotent."""
    if not value:
        return ""
    folded = unicodedata.normalize("NFKC", str(value)).casefold()
    # casefold may produce characters that NFKC composes differently (e.g. ß → ss is
    # stable, but some ligatures are not): normalise once more so the result is a fixpoint.
    folded = unicodedata.normalize("NFKC", folded)
    return "".join(char for char in folded if not char.isspace())


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """django-axes' ``AXES_USERNAME_CALLABLE``: the normalised identity of a login try,
    from the credentials given to ``authenticate`` or else the posted form."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        return identity_normalise(credentials.get(field))
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return identity_normalise(data.get(field))
