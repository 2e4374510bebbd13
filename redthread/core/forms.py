"""Form rendering and the guard against lost updates, shared by every app."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django import forms
from django.db import models, transaction
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

#: The dates any form accepts: a year outside is a slip (9999, 0201) that would break
#: date arithmetic, sorting and the calendar further on.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def date_in_bounds(value: datetime.date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Ange ett datum mellan år %(first)s och %(last)s."),
            code="date_out_of_bounds",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


#: The largest id a BigAutoField holds; a larger one posted cannot name a record.
_MAX_ID = 2**63 - 1


def posted_id(value: Any) -> int:
    """An id from a form or query parameter, or 0 (which names nothing, so the caller's
    lookup answers 404) when it is empty, not a whole number or beyond any column."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or int(text) > _MAX_ID:
        return 0
    return int(text)


class IdsChoiceField(forms.ModelMultipleChoiceField[Any]):
    """Several records by id, refusing ids no column can hold (Django checks single ids
    but sends a list to the database as it is, and SQLite answers that with an error)."""

    def clean(self, value: Any) -> Any:
        for item in value or []:
            text = str(item).strip()
            if text.lstrip("-").isdigit() and abs(int(text)) > _MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20] + "…"},
                )
        return super().clean(value)


class FormRenderer(DjangoTemplates):
    """Every form renders with labels, help and errors beside the field, linked for
    screen readers (see ``core/forms/field.html``)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def _stored_value(instance: models.Model, name: str) -> str:
    try:
        field = instance._meta.get_field(name)
    except Exception:
        return ""
    if field.many_to_many and instance.pk:
        # The related ids, sorted: co-coaches, coaches present, a profile's modules.
        manager = getattr(instance, name)
        return ",".join(str(pk) for pk in sorted(manager.values_list("pk", flat=True)))
    return str(getattr(instance, name, ""))


def edit_token(instance: models.Model, fields: Iterable[str]) -> str:
    """A fingerprint of the stored values of ``fields``, many-to-many ones included: it
    changes when anyone saves."""
    values = {name: _stored_value(instance, name) for name in sorted(fields)}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


def concurrent_edit(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Makes a POST to an edit view one transaction, so that the form's check (which locks
    the row, see :class:`ConcurrentEditMixin`) and the service's write cannot be split by
    another save. On SQLite the IMMEDIATE transaction takes the write lock at once and a
    second save waits for the first; on PostgreSQL the second waits on the row lock. Either
    way the second then sees the first's change and is refused."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return wrapper


class ConcurrentEditMixin(forms.ModelForm[Any]):
    """Refuses to save over a change that someone else saved after this form was opened.

    The form carries the fingerprint of the record as it was shown; on submit the stored
    record is read again, locked (``select_for_update``) when the view runs in a
    transaction (:func:`concurrent_edit`), and compared. The user keeps what they typed
    and is told why."""

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
            manager = type(self.instance)._default_manager
            if transaction.get_connection().in_atomic_block:
                manager = manager.select_for_update()
            stored = manager.get(pk=self.instance.pk)
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
