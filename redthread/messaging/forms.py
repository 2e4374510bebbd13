from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MessageStatus


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
