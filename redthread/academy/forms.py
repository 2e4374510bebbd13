from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from redthread.core.forms import ConcurrentEditMixin, IdsChoiceField
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
