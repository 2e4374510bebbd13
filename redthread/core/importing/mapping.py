"""Which column holds which field: the fields an importer fills (with their aliases), the
guess from the headers, the check of a confirmed mapping, and the form the user confirms
it with."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ImportField:
    """A field an import fills. ``key`` is the program's name; ``label`` is shown to the
    user; ``synonyms`` are other headers that mean this field, in any language and
    spelling (they are normalised with :func:`normalise_header`)."""

    key: str
    label: str | Promise
    synonyms: tuple[str, ...] = ()
    required: bool = False


def normalise_header(text: str) -> str:
    """A header reduced for comparison: case folded, letters and digits only (å, ä, ö and
    other letters kept; spaces, dots, hyphens and punctuation removed).
    "Org.nr" → "orgnr", "Antal anställda" → "antalanställda"."""
    folded = unicodedata.normalize("NFC", str(text)).casefold()
    return "".join(c for c in folded if c.isalnum())


def _field_names(import_field: ImportField) -> set[str]:
    names = {import_field.key, *import_field.synonyms}
    # The label in every language the site speaks, so that an English file matches the
    # English label while the user works in Swedish, and the other way round.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(import_field.label))
    return {n for n in map(normalise_header, names) if n}


def guess_mapping(headers: Sequence[str], fields: Sequence[ImportField]) -> dict[int, str]:
    """A proposed mapping from column index (0-based) to field key.

    A column matches a field when its normalised header equals the field's normalised key,
    label (in each of ``settings.LANGUAGES``) or a synonym. Failing that, a header that
    *starts with* one of those names of at least four letters matches ("Omsättning (tkr)",
    "Antal anställda 2024"), but only after every exact match has been made, so
    "Kommunkod" goes to a field named "Kommunkod" before a field named "Kommun" can take it.
    Each field gets at most one column and each column at most one field: the first
    field in ``fields`` order, and the leftmost column, win. Unmatched columns are left out.
    The result is a guess for the user to confirm, never a decision."""
    normalised = [normalise_header(h) for h in headers]
    names = {f.key: _field_names(f) for f in fields}
    mapping: dict[int, str] = {}
    for exact in (True, False):
        for import_field in fields:
            if import_field.key in mapping.values():
                continue
            for index, header in enumerate(normalised):
                if index in mapping or not header:
                    continue
                if exact:
                    hit = header in names[import_field.key]
                else:
                    hit = any(
                        len(name) >= 4 and header.startswith(name)
                        for name in names[import_field.key]
                    )
                if hit:
                    mapping[index] = import_field.key
                    break
    return dict(sorted(mapping.items()))


def validate_mapping(
    mapping: Mapping[int, str],
    fields: Sequence[ImportField],
    *,
    headers: Sequence[str] | None = None,
) -> list[str]:
    """Swedish messages for what is wrong with a mapping the user confirmed; empty when
    it can be used. Reported: a column mapped to a field that does not exist, a field
    mapped from more than one column, and a required field no column is mapped to.
    An empty key means "ignore this column". With ``headers`` the messages name columns
    by header, otherwise by number (1 for the first column)."""
    by_key = {f.key: f for f in fields}
    columns: dict[str, list[int]] = {}
    messages: list[str] = []

    def column_name(index: int) -> str:
        if headers is not None and 0 <= index < len(headers):
            return f"”{headers[index]}”"
        return str(index + 1)

    for index, key in sorted(mapping.items()):
        if not key:
            continue
        if key not in by_key:
            messages.append(
                _("Kolumn %(column)s är kopplad till ett okänt fält.")
                % {"column": column_name(index)}
            )
            continue
        columns.setdefault(key, []).append(index)
    for import_field in fields:
        used = columns.get(import_field.key, [])
        if len(used) > 1:
            messages.append(
                _(
                    "Fältet ”%(field)s” är kopplat till flera kolumner (%(columns)s). "
                    "Välj en av dem."
                )
                % {
                    "field": import_field.label,
                    "columns": ", ".join(column_name(i) for i in used),
                }
            )
        elif not used and import_field.required:
            messages.append(
                _("Fältet ”%(field)s” måste kopplas till en kolumn.")
                % {"field": import_field.label}
            )
    return messages


class ImportMappingForm(forms.Form):
    """One choice per column of the job's file: which field it holds, or none; and the
    sheet, when the file has several. ``extra_problems`` adds an importer's own checks of
    the whole mapping (the KPI import's two layouts)."""

    def __init__(
        self,
        *args: Any,
        job: Any,
        fields: Sequence[ImportField],
        extra_problems: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.import_fields = list(fields)
        self.extra_problems = extra_problems
        if len(job.sheet_names) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Blad"),
                choices=[(name, name) for name in job.sheet_names],
                initial=job.sheet,
            )
        choices = [("", _("– Används inte –")), *[(f.key, f.label) for f in self.import_fields]]
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
        if not problems and self.extra_problems is not None:
            problems = self.extra_problems(mapping)
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
