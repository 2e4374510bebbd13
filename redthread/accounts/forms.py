from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redthread.core.forms import ConcurrentEditMixin, IdsChoiceField

from .hooks import account_mail_sender
from .identity import identity_normalise
from .models import Role, User


class IdentityField(forms.EmailField):
    """An e-mail address as a login identity: normalised before it is validated, so the
    form, the lockout and the account lookup all see one spelling."""

    def to_python(self, value: Any) -> str:
        return identity_normalise(super().to_python(value))


class LoginForm(AuthenticationForm):
    username = IdentityField(
        label=_("E-postadress"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "Fel e-postadress eller lösenord. Kontrollera stavningen och försök igen. "
            "Efter flera misslyckade försök spärras kontot en stund."
        ),
        "inactive": _("Kontot är avstängt. Kontakta programkontoret."),
    }


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app."""

    token = forms.CharField(
        label=_("Kod från appen"),
        max_length=12,
        help_text=_("Sex siffror från autentiseringsappen, till exempel 123 456."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        digits = "".join(char for char in self.cleaned_data["token"] if char.isdigit())
        if len(digits) != 6:
            raise forms.ValidationError(_("Skriv de sex siffrorna från appen."))
        return digits


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False)
    role = forms.ChoiceField(
        label=_("Roll"), required=False, choices=[("", _("Alla roller")), *Role.choices]
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla")), ("1", _("Aktiva")), ("0", _("Avstängda"))],
    )


class UserForm(ConcurrentEditMixin, forms.ModelForm[User]):
    organisations: forms.ModelMultipleChoiceField[Any] = IdsChoiceField(
        label=_("Organisationer"),
        queryset=None,
        required=False,
        help_text=_(
            "Välj en partner för coacher och partneransvariga, ett företag för "
            "företagsanvändare och en finansiär för finansiärer."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    is_company_manager = forms.BooleanField(
        label=_("Företagets ansvariga"),
        required=False,
        help_text=_(
            "För företagsanvändare: bjuder in och tar bort kollegor och svarande i "
            "företagets egna mätningar."
        ),
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "preferred_language", "is_active"]

    def __init__(self, *args: Any, organisation_queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = organisation_queryset
        if self.instance.pk:
            self.initial.setdefault(
                "organisations",
                list(self.instance.memberships.values_list("organisation_id", flat=True)),
            )
            self.initial.setdefault(
                "is_company_manager", self.instance.memberships.filter(is_manager=True).exists()
            )

    def clean_email(self) -> str:
        email: str = identity_normalise(self.cleaned_data["email"])
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Det finns redan en användare med den e-postadressen."))
        return email


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, its e-mail sent through the outbox (when one is registered) in
    the user's own language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        sender = account_mail_sender()
        if sender is None:
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
            return
        sender(user=context["user"], kind="password_reset", context=context)


class ApiTokenForm(forms.Form):
    """A new personal access token: what it is for, whether it may change anything, and
    until when it holds (a year at most)."""

    MAX_DAYS = 366

    name = forms.CharField(
        label=_("Namn"),
        max_length=60,
        help_text=_("Vad nyckeln används till, till exempel ”CRM-synk”."),
    )
    can_write = forms.TypedChoiceField(
        label=_("Behörighet"),
        choices=[("0", _("Bara läsa")), ("1", _("Läsa och ändra"))],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(label=_("Gäller till och med"))

    def clean_expires_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("Datumet har redan passerat."), code="past")
        if value > today + datetime.timedelta(days=self.MAX_DAYS):
            raise forms.ValidationError(_("En nyckel gäller högst ett år."), code="too_long")
        return value
