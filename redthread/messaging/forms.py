from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from redthread.accounts.models import User

from .models import MessageStatus
from .notices import Frequency, notice_kinds_for
from .selectors import notice_frequencies


class OutboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla")), *MessageStatus.choices],
    )


class SendLinkForm(forms.Form):
    """An address to send a link to (a respondent's single-use link)."""

    email = forms.EmailField(
        label=_("E-postadress"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class NoticePreferencesForm(forms.Form):
    """One choice per notice kind the user's role is offered: immediately, in a daily
    digest, or never. Built from the registered kinds."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = notice_frequencies(user=user)
        for kind in notice_kinds_for(user):
            self.fields[kind.code] = forms.ChoiceField(
                label=str(kind.label),
                help_text=str(kind.description),
                choices=Frequency.choices,
                initial=current[kind.code],
                widget=forms.RadioSelect,
            )
