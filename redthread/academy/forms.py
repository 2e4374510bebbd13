from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.accounts.models import Role, User
from redthread.core.forms import ConcurrentEditMixin, IdsChoiceField, model_choice_field
from redthread.methodology.forms import ATTACHMENT_TYPES
from redthread.methodology.models import MethodModule, ModuleCategory
from redthread.registry.models import NutsRegion

from .models import CertificateState, CoachProfile, Cohort, Course, CourseModule, Meeting

LANGUAGES = [
    ("sv", "Svenska"),
    ("en", "English"),
    ("fi", "Suomi"),
    ("ar", "العربية"),
    ("de", "Deutsch"),
]


class CoachProfileForm(ConcurrentEditMixin, forms.ModelForm[CoachProfile]):
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Språk"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Kategorier"),
        choices=ModuleCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CoachProfile
        fields = ["county", "capacity_hours_per_month", "languages", "modules", "categories"]
        widgets = {"modules": forms.CheckboxSelectMultiple}
        field_classes = {"modules": IdsChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modules = self.fields["modules"]
        assert isinstance(modules, forms.ModelMultipleChoiceField)
        modules.queryset = MethodModule.objects.with_names().order_by(
            "category", "display_name", "pk"
        )
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        modules.label_from_instance = _module_label  # type: ignore[method-assign,assignment]


def _module_label(module: MethodModule) -> str:
    return str(module)


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=gettext_lazy("Närvarande"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, participants: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(pk), name) for pk, name in participants]


class AssignmentSubmitForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea)
    file = forms.FileField(
        label=gettext_lazy("Fil"),
        required=False,
        help_text=gettext_lazy("pdf, Word, Excel, PowerPoint eller bild, högst 10 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in ATTACHMENT_TYPES:
            raise forms.ValidationError(
                _("Filtypen %(suffix)s går inte att lämna in. Tillåtna: %(allowed)s.")
                % {"suffix": suffix or "?", "allowed": ", ".join(sorted(ATTACHMENT_TYPES))}
            )
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 10 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("file") and not self.errors:
            raise forms.ValidationError(_("Lämna in en text eller en fil."))
        return data


class AssignmentReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Beslut"),
        choices=[("approve", gettext_lazy("Godkänn")), ("return", gettext_lazy("Returnera"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Krävs när uppgiften returneras."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Skriv en kommentar när uppgiften returneras."))
        return data


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Skäl"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kontrollkod"),
        max_length=40,
        help_text=gettext_lazy("Koden står på intyget, till exempel 7K2M-Q9XD-3HPA."),
    )


# The office's forms for the course. Each edit form refuses to save over someone else's
# change (ConcurrentEditMixin); the services hold the rules.


class CourseForm(ConcurrentEditMixin, forms.ModelForm[Course]):
    class Meta:
        model = Course
        fields = ["name", "description", "min_attendance_percent", "certificate_valid_months"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "min_attendance_percent": gettext_lazy(
                "Andel av kursomgångens tillfällen som en deltagare måste närvara vid."
            ),
            "certificate_valid_months": gettext_lazy("Tomt: intyget gäller tills det återkallas."),
        }

    def clean_min_attendance_percent(self) -> int:
        value = int(self.cleaned_data["min_attendance_percent"])
        if value > 100:
            raise forms.ValidationError(_("Närvarokravet är en procentsats mellan 0 och 100."))
        return value

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if Course.objects.exclude(pk=self.instance.pk).filter(name=name).exists():
            raise forms.ValidationError(_("Det finns redan en kurs med det namnet."))
        return name


class CourseModuleForm(ConcurrentEditMixin, forms.ModelForm[CourseModule]):
    class Meta:
        model = CourseModule
        fields = ["method_module", "name", "position", "assignment"]
        widgets = {"assignment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "assignment": gettext_lazy(
                "Tomt: modulen har ingen uppgift. Med en uppgift krävs den godkänd för att "
                "genomföra kursen."
            ),
        }

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        field = model_choice_field(self, "method_module")
        field.queryset = MethodModule.objects.order_by("category", "code")
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        field.label_from_instance = _module_name  # type: ignore[method-assign,assignment]

    def clean_method_module(self) -> MethodModule:
        module: MethodModule = self.cleaned_data["method_module"]
        taken = CourseModule.objects.filter(course=self.course, method_module=module)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Kursen har redan en modul för den metodmodulen."))
        return module


def _module_name(module: MethodModule) -> str:
    return f"{module.code} – {module}"


class CohortForm(ConcurrentEditMixin, forms.ModelForm[Cohort]):
    class Meta:
        model = Cohort
        fields = ["name", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Slutdatum kan inte vara före startdatum."))
        return data


def teacher_choices() -> Any:
    """Who may teach: the office's staff and the coaches, active, by name."""
    return User.objects.filter(
        is_active=True, role__in=[Role.PROGRAM_MANAGER, Role.ADMIN, Role.COACH]
    ).order_by("full_name", "pk")


class MeetingForm(ConcurrentEditMixin, forms.ModelForm[Meeting]):
    class Meta:
        model = Meeting
        fields = ["date", "course_module", "place", "remote", "teachers"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "teachers": forms.CheckboxSelectMultiple,
        }
        field_classes = {"teachers": IdsChoiceField}
        help_texts = {
            "place": gettext_lazy("Till exempel lokal och ort. Tomt om tillfället är på distans."),
        }

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        model_choice_field(self, "course_module").queryset = cohort.course.modules.order_by(
            "position", "pk"
        )
        model_choice_field(self, "teachers").queryset = teacher_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("place") or "").strip() and not data.get("remote"):
            self.add_error("place", _("Ett tillfälle har en plats eller är på distans."))
        return data


class ParticipantAddForm(forms.Form):
    coach = forms.ModelChoiceField(
        label=gettext_lazy("Coach"),
        queryset=CoachProfile.objects.none(),
        help_text=gettext_lazy("Coacher med profil, från sin hempartner."),
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "coach")
        field.queryset = (
            CoachProfile.objects.filter(user__is_active=True)
            .exclude(user__course_participations__cohort=cohort)
            .select_related("user", "home_partner")
            .order_by("user__full_name", "pk")
        )
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        field.label_from_instance = _coach_label  # type: ignore[method-assign,assignment]


def _coach_label(profile: CoachProfile) -> str:
    return f"{profile.user} ({profile.home_partner.name})"


class CertificateRegisterFilterForm(forms.Form):
    """The register's search and filters; the partner and competence choices are the
    caller's (what the user's register holds)."""

    q = forms.CharField(
        label=gettext_lazy("Sök"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("Namn")}),
    )
    partner = forms.TypedChoiceField(
        label=gettext_lazy("Partner"), required=False, coerce=int, empty_value=None
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    method_module = forms.TypedChoiceField(
        label=gettext_lazy("Kompetens"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(label=gettext_lazy("Giltighet"), required=False)

    def __init__(
        self,
        *args: Any,
        partners: list[tuple[int, str]],
        competences: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "partner", [("", _("Alla partner")), *partners])
        _set_choices(self, "region", [("", _("Alla regioner")), *NutsRegion.choices])
        _set_choices(self, "method_module", [("", _("Alla kompetenser")), *competences])
        _set_choices(self, "state", [("", _("Alla")), *CertificateState.choices])


def _set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
