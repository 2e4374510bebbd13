from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.forms import ConcurrentEditMixin, IdsChoiceField
from redthread.methodology.forms import ATTACHMENT_TYPES
from redthread.methodology.models import MethodModule, ModuleCategory

from .models import CoachProfile

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
        modules.queryset = MethodModule.objects.order_by("category", "code")
        # Django documents replacing label_from_instance on the field; the stubs see a method.
        modules.label_from_instance = _module_label  # type: ignore[method-assign,assignment]


def _module_label(module: MethodModule) -> str:
    return module.code


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
