from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.forms import IdsChoiceField, choice_field
from redthread.registry.models import (
    NutsArea,
    Organisation,
    OrganisationKind,
    SizeClass,
    UrbanRuralType,
)

from .models import (
    Initiative,
    Instrument,
    MethodModule,
    MethodModuleVersion,
    ModuleCategory,
    ProgramTemplate,
    TemplatePhase,
    TemplateVersion,
    Timepoint,
    VersionStatus,
)


class LinesField(forms.CharField):
    """A list of short texts, one per line."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    # A field of lines cleans to a list, where CharField's stub says str.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in str(text).splitlines() if line.strip()]


class ModuleForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Kod"),
        max_length=60,
        help_text=gettext_lazy("Kort, unik, med små bokstäver och bindestreck: till exempel 5s."),
    )
    category = forms.ChoiceField(label=gettext_lazy("Kategori"), choices=ModuleCategory.choices)
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    purpose = forms.CharField(label=gettext_lazy("Syfte"), widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label=gettext_lazy("Beskrivning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Markdown: **fetstil**, listor med -, rubriker med #."),
    )
    steps = LinesField(
        label=gettext_lazy("Steg"), required=False, help_text=gettext_lazy("Ett steg per rad.")
    )
    expected_outputs = LinesField(
        label=gettext_lazy("Förväntade resultat"),
        required=False,
        help_text=gettext_lazy("Ett per rad."),
    )
    duration_weeks = forms.IntegerField(
        label=gettext_lazy("Typisk längd (veckor)"), min_value=1, max_value=260
    )
    coach_hours = forms.IntegerField(label=gettext_lazy("Typiska coachtimmar"), min_value=0)
    company_hours = forms.IntegerField(label=gettext_lazy("Typiska företagstimmar"), min_value=0)
    dimensions = LinesField(
        label=gettext_lazy("Förbättrar dimensionerna"),
        required=False,
        help_text=gettext_lazy("En mognadsdimension per rad, till exempel ledarskap."),
    )
    assumed = forms.BooleanField(
        label=gettext_lazy("Innehållet bygger på antaganden och behöver granskas"), required=False
    )
    source = forms.CharField(
        label=gettext_lazy("Källa"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, module: MethodModule | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.module = module
        if module is not None:
            del self.fields["code"]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if MethodModule.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("Det finns redan en modul med koden %(code)s.") % {"code": code}
            )
        return code

    @property
    def version_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("code", None)
        data.pop("category", None)
        return data


ATTACHMENT_TYPES = {
    ".pdf",
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
    ".png",
    ".jpg",
    ".jpeg",
    ".txt",
}


class AttachmentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=200)
    file = forms.FileField(
        label=gettext_lazy("Fil"),
        help_text=gettext_lazy(
            "Mall, checklista eller instruktion: pdf, Word, Excel, PowerPoint eller bild, "
            "högst 10 MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in ATTACHMENT_TYPES:
            raise forms.ValidationError(
                _("Filtypen %(suffix)s går inte att bifoga. Tillåtna: %(allowed)s.")
                % {"suffix": suffix or "?", "allowed": ", ".join(sorted(ATTACHMENT_TYPES))}
            )
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 10 MB."))
        return upload


class TemplateCreateForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Kod"), max_length=60)
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    duration_weeks = forms.IntegerField(
        label=gettext_lazy("Längd (veckor)"), min_value=1, max_value=260
    )
    target_group = forms.CharField(label=gettext_lazy("Målgrupp"), max_length=300, required=False)
    description = forms.CharField(
        label=gettext_lazy("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    based_on = forms.ModelChoiceField(
        label=gettext_lazy("Utgå från mallen"),
        queryset=TemplateVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("name"),
        required=False,
        empty_label=gettext_lazy("Ingen – börja tomt"),
        help_text=gettext_lazy("Faser, steg och mätningar kopieras och kan sedan ändras."),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if ProgramTemplate.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("Det finns redan en mall med koden %(code)s.") % {"code": code}
            )
        return code


class TemplateVersionForm(forms.ModelForm[TemplateVersion]):
    kpis = LinesField(
        label=gettext_lazy("Nyckeltal att samla in"),
        required=False,
        help_text=gettext_lazy("Ett per rad."),
    )

    class Meta:
        model = TemplateVersion
        fields = [
            "name",
            "duration_weeks",
            "target_group",
            "description",
            "kpis",
            "assumed",
            "source",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"partners": IdsChoiceField, "templates": IdsChoiceField}


class PhaseForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Fasens namn"), max_length=200)


class StepForm(forms.Form):
    phase: forms.ModelChoiceField[TemplatePhase] = forms.ModelChoiceField(
        label=gettext_lazy("Fas"), queryset=TemplatePhase.objects.none()
    )
    module = forms.ModelChoiceField(
        label=gettext_lazy("Metodmodul"),
        queryset=MethodModule.objects.order_by("category", "code").prefetch_related(
            Prefetch(
                "versions",
                queryset=MethodModuleVersion.objects.filter(status=VersionStatus.PUBLISHED),
                to_attr="published",
            )
        ),
    )
    offset_weeks = forms.IntegerField(label=gettext_lazy("Börjar vecka"), min_value=0)
    coach_hours = forms.IntegerField(label=gettext_lazy("Coachtimmar"), min_value=0, initial=0)
    company_hours = forms.IntegerField(label=gettext_lazy("Företagstimmar"), min_value=0, initial=0)

    def __init__(self, *args: Any, version: TemplateVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        phase = self.fields["phase"]
        assert isinstance(phase, forms.ModelChoiceField)
        phase.queryset = version.phases.all()
        module = self.fields["module"]
        assert isinstance(module, forms.ModelChoiceField)
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        module.label_from_instance = _module_label  # type: ignore[method-assign,assignment]


def _module_label(module: Any) -> str:
    name = module.published[0].name if module.published else module.code
    return f"{name} ({module.get_category_display()})"


class AssessmentPointForm(forms.Form):
    timepoint = forms.ChoiceField(
        label=gettext_lazy("Mättillfälle"), choices=Timepoint.planned_choices()
    )
    offset_weeks = forms.IntegerField(label=gettext_lazy("Vecka"), min_value=0)
    instrument = forms.ChoiceField(label=gettext_lazy("Instrument"), choices=Instrument.choices)


class InitiativeForm(forms.ModelForm[Initiative]):
    size_classes = forms.MultipleChoiceField(
        label=gettext_lazy("Storleksklasser"),
        choices=SizeClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Inget val: alla storlekar."),
    )
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("Regioner"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Inget val: hela landet."),
    )
    urban_rural_types = forms.MultipleChoiceField(
        label=gettext_lazy("Kommuntyper"),
        choices=UrbanRuralType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Inget val: alla kommuntyper."),
    )
    sectors = forms.CharField(
        label=gettext_lazy("Branscher (SNI-huvudgrupper)"),
        required=False,
        help_text=gettext_lazy(
            "Tvåsiffriga huvudgrupper med mellanslag eller komma, till exempel 10-33 eller "
            "25 28. Tomt: alla."
        ),
    )

    slug = forms.SlugField(
        label=gettext_lazy("Kortadress"),
        max_length=80,
        help_text=gettext_lazy(
            "Används i adressen och i rapportkommandon, till exempel robotlyftet."
        ),
    )

    class Meta:
        model = Initiative
        fields = [
            "slug",
            "name",
            "owner",
            "description",
            "start",
            "end",
            "partners",
            "templates",
            "size_classes",
            "regions",
            "urban_rural_types",
            "sectors",
            "target_companies",
            "target_rural_share_percent",
            "target_hours",
            "coach_hour_rate_sek",
            "assumed",
            "source",
        ]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "partners": forms.CheckboxSelectMultiple,
            "templates": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "regions").choices = list(NutsArea.objects.values_list("code", "name"))
        partners = self.fields["partners"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by(
            "name"
        )
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Organisation.objects.exclude(kind=OrganisationKind.COMPANY).order_by(
            "name"
        )
        if self.instance.pk:
            del self.fields["slug"]
            if not self.is_bound:
                self.initial["sectors"] = " ".join(self.instance.sectors)

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if Initiative.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Det finns redan en satsning med kortadressen %(slug)s.") % {"slug": slug}
            )
        return slug

    def clean_sectors(self) -> list[str]:
        text = self.cleaned_data["sectors"].replace(",", " ")
        divisions: list[str] = []
        for part in text.split():
            low, _sep, high = part.partition("-")
            if not (low.isdigit() and (not high or high.isdigit())):
                raise forms.ValidationError(
                    _("Skriv huvudgrupper som 25 eller intervall som 10-33: %(part)s")
                    % {"part": part}
                )
            for number in range(int(low), int(high or low) + 1):
                divisions.append(f"{number:02d}")
        return sorted(set(divisions))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutdatum kan inte vara före startdatum."))
        return cleaned


class EligibilityForm(forms.Form):
    company = forms.ModelChoiceField(
        label=gettext_lazy("Företag"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("Välj ett företag för att se om det kan delta, och varför."),
    )

    def __init__(self, *args: Any, companies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        company = self.fields["company"]
        assert isinstance(company, forms.ModelChoiceField)
        company.queryset = companies
