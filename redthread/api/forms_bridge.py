"""Creates and updates through the pages' own forms: the API checks what the pages check
(the same validators, the same scope for the choices, the same concurrent-edit lock),
and answers with the forms' own messages, in the caller's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db import transaction

from .conditional import stale
from .errors import form_errors


def form_values(form: forms.BaseForm) -> dict[str, Any]:
    """What an unbound form shows for each field: the stored values, as the form takes
    them back."""
    values: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        values[name] = "" if value is None else value
    return values


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """The payload as form data: None becomes an empty field."""
    return {key: ("" if value is None else value) for key, value in values.items()}


def form_save(
    make_form: Callable[[dict[str, Any] | None], forms.BaseForm],
    payload: dict[str, Any],
    save: Callable[[Any], Any],
    *,
    version: str | None = None,
) -> Any:
    """Validates ``payload`` with the form (over the stored values when ``version`` is
    given: an update) and calls ``save`` with the valid form, in one transaction with the
    form's row lock. A version that is no longer the stored one is a 412."""
    with transaction.atomic():
        data: dict[str, Any] = {}
        if version is not None:
            data.update(form_values(make_form(None)))
            data["edit_token"] = version
        data.update(form_data(payload))
        form = make_form(data)
        if not form.is_valid():
            if any(e.code == "conflict" for e in form.non_field_errors().as_data()):
                raise stale()
            raise form_errors(form)
        return save(form)
