"""Form rendering and the guard against lost updates, shared by every app."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _


class FormRenderer(DjangoTemplates):
    """Every form renders with labels, help and errors beside the field, linked for
    screen readers (see ``core/forms/field.html``)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def edit_token(instance: models.Model, fields: Iterable[str]) -> str:
    """A fingerprint of the stored values of ``fields``: it changes when anyone saves."""
    values = {name: str(getattr(instance, name, "")) for name in sorted(fields)}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


class ConcurrentEditMixin(forms.ModelForm[Any]):
    """Refuses to save over a change that someone else saved after this form was opened.

    The form carries the fingerprint of the record as it was shown; on submit the stored
    record is read again and compared. The user keeps what they typed and is told why."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    conflict_message = _(
        "Någon annan har sparat ändringar i posten medan du redigerade. Dina ändringar är "
        "inte sparade men finns kvar i formuläret: jämför med den sparade versionen, "
        "ladda om sidan och gör om ändringarna."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["edit_token"] = edit_token(self.instance, self._meta.fields or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk:
            stored = type(self.instance)._default_manager.get(pk=self.instance.pk)
            if cleaned.get("edit_token") != edit_token(stored, self._meta.fields or []):
                raise forms.ValidationError(self.conflict_message, code="conflict")
        return cleaned


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field ``name``, known to choose model rows (``form.fields`` holds plain
    ``Field``s to mypy), for setting its queryset or its labels in ``__init__``."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a ModelChoiceField")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, known to have choices, for setting them in ``__init__``."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a ChoiceField")
    return field
