from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.accounts.typing import RequestUser
from redthread.core.forms import ConcurrentEditMixin, choice_field
from redthread.core.importing.views import ImportUploadForm

from .identifiers import org_number_display, org_number_normalise, sni_check
from .models import (
    ConsentPurpose,
    County,
    Municipality,
    NutsArea,
    NutsRegion,
    Organisation,
    OrganisationKind,
    Person,
    SizeClass,
    SniCode,
    SniLevel,
    SniVersion,
    UrbanRuralType,
)
from .selectors import partner_list


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Sök"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Namn eller organisationsnummer")}
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Typ"),
        required=False,
        choices=[
            ("", gettext_lazy("Alla typer")),
            *[c for c in OrganisationKind.choices if c[0] != OrganisationKind.COMPANY],
        ],
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Region"),
        required=False,
        choices=[("", gettext_lazy("Alla regioner")), *NutsRegion.choices],
    )


class CompanyFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Sök"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Namn eller organisationsnummer")}
        ),
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    county = forms.ChoiceField(label=gettext_lazy("Län"), required=False)
    urban_rural = forms.ChoiceField(
        label=gettext_lazy("Kommuntyp"),
        required=False,
        choices=[("", gettext_lazy("Alla kommuntyper")), *UrbanRuralType.choices],
    )
    sni_division = forms.ChoiceField(label=gettext_lazy("Bransch (SNI)"), required=False)
    size_class = forms.ChoiceField(
        label=gettext_lazy("Storlek"),
        required=False,
        choices=[("", gettext_lazy("Alla storlekar")), *SizeClass.choices],
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Ansvarig partner"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name"),
        empty_label=gettext_lazy("Alla partner"),
    )

    def __init__(self, *args: Any, with_urban_rural: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "region").choices = [
            ("", _("Alla regioner")),
            *NutsArea.objects.values_list("code", "name"),
        ]
        choice_field(self, "county").choices = [
            ("", _("Alla län")),
            *County.objects.values_list("code", "name"),
        ]
        divisions = SniCode.objects.filter(
            version=SniVersion.SNI2007, level=SniLevel.DIVISION
        ).values_list("code", "label")
        choice_field(self, "sni_division").choices = [
            ("", _("Alla branscher")),
            *[(code, f"{code} {label}") for code, label in divisions],
        ]
        if not with_urban_rural:
            del self.fields["urban_rural"]


def _municipality_label(municipality: Municipality) -> str:
    # The county too: several municipality names recur as place names elsewhere.
    return f"{municipality.name} ({municipality.county.name})"


class CompanyForm(ConcurrentEditMixin, forms.ModelForm[Organisation]):
    org_number = forms.CharField(
        label=gettext_lazy("Organisationsnummer"),
        help_text=gettext_lazy("Tio siffror, med eller utan bindestreck: 556036-0793."),
        max_length=20,
    )
    headcount = forms.IntegerField(
        label=gettext_lazy("Antal anställda"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        localize=True,
    )
    turnover_sek = forms.IntegerField(
        label=gettext_lazy("Omsättning (kr)"),
        required=False,
        min_value=0,
        max_value=10**14,
        localize=True,
        help_text=gettext_lazy("I hela kronor, till exempel 12 500 000."),
    )

    website = forms.URLField(
        label=gettext_lazy("Webbplats"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "org_number",
            "municipality",
            "street_address",
            "postal_code",
            "postal_town",
            "sni_code",
            "sni_version",
            "headcount",
            "turnover_sek",
            "website",
            "responsible_partner",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, partner_queryset: Any, user: RequestUser, **kwargs: Any) -> None:
        """``user``: who fills it in; a number clash names only a company it may see."""
        super().__init__(*args, **kwargs)
        self.user = user
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ModelChoiceField)
        municipality.queryset = Municipality.objects.select_related("county").order_by("name")
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        municipality.label_from_instance = _municipality_label  # type: ignore[method-assign,assignment]
        partner = self.fields["responsible_partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partner_queryset
        if self.instance.pk and not self.is_bound:
            self.initial["org_number"] = org_number_display(self.instance.org_number)

    def clean_postal_code(self) -> str:
        """A Swedish postal code, stored as "NNN NN"; five digits however typed."""
        text = self.cleaned_data.get("postal_code", "").strip()
        if not text:
            return ""
        digits = text.replace(" ", "").replace("\u00a0", "")
        if len(digits) != 5 or not digits.isascii() or not digits.isdigit():
            raise ValidationError(
                _("Ett postnummer har fem siffror, till exempel 411 05."), code="postal_code"
            )
        return f"{digits[:3]} {digits[3:]}"

    def clean_org_number(self) -> str:
        number = org_number_normalise(self.cleaned_data["org_number"])
        clash = Organisation.objects.filter(org_number=number).exclude(pk=self.instance.pk).first()
        if clash and not Organisation.objects.visible_to(self.user).filter(pk=clash.pk).exists():
            raise ValidationError(
                _("Det finns redan en organisation med organisationsnumret %(number)s.")
                % {"number": org_number_display(number)}
            )
        if clash:
            raise ValidationError(
                _("Det finns redan en organisation med organisationsnumret %(number)s: %(name)s.")
                % {"number": org_number_display(number), "name": clash.name}
            )
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        code, version = cleaned.get("sni_code", ""), cleaned.get("sni_version", "")
        if code and not version:
            self.add_error("sni_version", _("Välj vilken SNI-version koden hör till."))
        elif code:
            try:
                result = sni_check(code, version)
            except ValidationError as error:
                self.add_error("sni_code", error)
            else:
                cleaned["sni_code"], cleaned["sni_note"] = result.code, result.note
        else:
            cleaned["sni_version"], cleaned["sni_note"] = "", ""
        return cleaned

    @property
    def facts(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments for the company services."""
        data = dict(self.cleaned_data)
        data.pop("edit_token", None)
        data.setdefault("sni_note", "")
        return data


class PersonForm(ConcurrentEditMixin, forms.ModelForm[Person]):
    consents = forms.MultipleChoiceField(
        label=gettext_lazy("Samtycken"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Kryssa bara i det personen själv har sagt ja till. Ett borttaget kryss "
            "registreras som återkallat samtycke."
        ),
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "title",
            "email",
            "phone",
            "gender",
            "left_on",
            "published",
        ]
        widgets = {"left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, publishable: bool = False, **kwargs: Any) -> None:
        """``publishable``: the person is a partner's, whom the public partner page may
        show; a company's contacts never are, and their form has no such choice."""
        super().__init__(*args, **kwargs)
        if not publishable:
            del self.fields["published"]
        if self.instance.pk:
            self.fields["consents"].initial = list(
                self.instance.consents.filter(withdrawn_on__isnull=True).values_list(
                    "purpose", flat=True
                )
            )

    @property
    def facts(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("edit_token", None)
        data.pop("consents", None)
        return data


class CompanyUploadForm(ImportUploadForm):
    """The pipeline's upload form, plus the company import's own choices."""

    sni_version = forms.ChoiceField(
        label=gettext_lazy("SNI-version i filen"),
        choices=SniVersion.choices,
        initial=SniVersion.SNI2007,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Används när filen inte har en egen kolumn för SNI-version."),
    )
    default_partner = forms.ModelChoiceField(
        label=gettext_lazy("Ansvarig partner för rader utan partner"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Ingen"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["default_partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        if self.request is not None:
            partner.queryset = partner_list(user=self.request.user)
