from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.forms import ConcurrentEditMixin
from redthread.core.importing import validate_mapping
from redthread.core.models import ImportMode

from .identifiers import org_number_display, org_number_normalise, sni_check
from .models import (
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
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla regioner")),
            *NutsArea.objects.values_list("code", "name"),
        ]
        self.fields["county"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla län")),
            *County.objects.values_list("code", "name"),
        ]
        divisions = SniCode.objects.filter(
            version=SniVersion.SNI2007, level=SniLevel.DIVISION
        ).values_list("code", "label")
        self.fields["sni_division"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla branscher")),
            *[(code, f"{code} {label}") for code, label in divisions],
        ]
        if not with_urban_rural:
            del self.fields["urban_rural"]


def _municipality_label(municipality: Municipality) -> str:
    # The county too: several municipality names recur as place names elsewhere.
    return f"{municipality.name} ({municipality.county.name})"


class CompanyForm(ConcurrentEditMixin, forms.ModelForm):
    org_number = forms.CharField(
        label=gettext_lazy("Organisationsnummer"),
        help_text=gettext_lazy("Tio siffror, med eller utan bindestreck: 556036-0793."),
        max_length=20,
    )
    headcount = forms.IntegerField(
        label=gettext_lazy("Antal anställda"), required=False, min_value=0, localize=True
    )
    turnover_sek = forms.IntegerField(
        label=gettext_lazy("Omsättning (kr)"),
        required=False,
        min_value=0,
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

    def __init__(self, *args: Any, partner_queryset: Any, user: Any, **kwargs: Any) -> None:
        """``user``: who fills it in; a number clash names only a company it may see."""
        super().__init__(*args, **kwargs)
        self.user = user
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ModelChoiceField)
        municipality.queryset = Municipality.objects.select_related("county").order_by("name")
        municipality.label_from_instance = _municipality_label  # type: ignore[method-assign,assignment]
        partner = self.fields["responsible_partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partner_queryset
        if self.instance.pk and not self.is_bound:
            self.initial["org_number"] = org_number_display(self.instance.org_number)

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


class PersonForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "title", "email", "phone", "gender"]

    @property
    def facts(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("edit_token", None)
        return data


MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil"),
        help_text=gettext_lazy(
            "Excel (.xlsx) eller CSV med komma eller semikolon. Första raden ska vara "
            "kolumnrubriker. Högst 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Om någon rad inte godkänns"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
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

    def __init__(self, *args: Any, partner_queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["default_partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partner_queryset

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("Filen är för stor (%(size)s MB). Högst 20 MB går att importera; dela upp den.")
                % {"size": round(upload.size / 1024 / 1024, 1)}
            )
        if upload.size == 0:
            raise ValidationError(_("Filen är tom."))
        return upload


class ImportMappingForm(forms.Form):
    """One choice per column of the file: which field it holds, or none."""

    def __init__(self, *args: Any, job: Any, fields: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.import_fields = fields
        if len(job.sheet_names) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Blad"),
                choices=[(name, name) for name in job.sheet_names],
                initial=job.sheet,
            )
        choices = [("", _("– Används inte –")), *[(f.key, f.label) for f in fields]]
        for index, header in enumerate(job.headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=job.mapping.get(str(index), ""),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mapping = self.mapping
        problems = validate_mapping(mapping, self.import_fields)
        for problem in problems:
            self.add_error(None, problem)
        return cleaned

    @property
    def mapping(self) -> dict[int, str]:
        return {
            int(name[4:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("col_") and value
        }
