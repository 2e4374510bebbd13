from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NutsRegion, OrganisationKind


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Sök"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Namn eller organisationsnummer")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Typ"), required=False, choices=[("", _("Alla typer")), *OrganisationKind.choices]
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Alla regioner")), *NutsRegion.choices]
    )
