"""The audit trail: what django-simple-history records of every model that keeps a
history, read for the program office. Each record says who changed what and when, and
from which page (the view's name) or command it came: ``record_origin`` writes that into
the record's change reason when nothing more specific was given. The views are in
``core/views_audit.py``; the core knows no app above it, so the models come from
simple-history's own register of the models it tracks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Model, QuerySet
from django.urls import get_resolver
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords, registered_models

#: What each kind of record means, on screen.
ACTIONS = {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}

#: The fields that name a record on the audit pages, tried in turn (no query: a model's
#: ``__str__`` may follow foreign keys).
_NAME_FIELDS = ("name", "title", "subject", "code", "email", "last_name")


def audited_models() -> dict[str, type[Model]]:
    """Every model with a history of its own, by ``app_label.model_name``, sorted by its
    name on screen (the many-to-many tables simple-history also tracks are not listed:
    their changes show on the record they belong to)."""
    found = {
        model._meta.label_lower: model
        for model in registered_models.values()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    }
    return dict(sorted(found.items(), key=lambda item: str(item[1]._meta.verbose_name_plural)))


def history_of(model: type[Model]) -> QuerySet[Any]:
    manager = getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]  # set by simple-history on every model it tracks
    return manager.all()  # type: ignore[no-any-return]  # a HistoryManager of that model


def record_name(record: Any, model: type[Model]) -> str:
    """A record's name on the audit pages, read from its own columns."""
    names = {f.name for f in model._meta.concrete_fields}
    if "first_name" in names and "last_name" in names:
        return f"{record.first_name} {record.last_name}".strip()
    for name in _NAME_FIELDS:
        if name in names and getattr(record, name, None):
            return str(getattr(record, name))
    return f"#{getattr(record, model._meta.pk.attname)}"


def audit_list(
    *,
    model: type[Model],
    user: str = "",
    origin: str = "",
    action: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    object_id: int | None = None,
) -> QuerySet[Any]:
    """The history of one kind of record, filtered: by who (part of an e-mail address or
    name), from where (part of the page's name or the command), what and when."""
    records = history_of(model).select_related("history_user")
    if user:
        records = records.filter(
            models.Q(history_user__email__icontains=user)
            | models.Q(history_user__full_name__icontains=user)
        )
    if origin:
        # By what the page shows (the page's name) or by what is stored (its code).
        condition = models.Q(history_change_reason__icontains=origin)
        for view_name in _views_named(origin):
            condition |= models.Q(history_change_reason__endswith=f" {view_name}")
        records = records.filter(condition)
    if action in ACTIONS:
        records = records.filter(history_type=action)
    if since:
        records = records.filter(history_date__date__gte=since)
    if until:
        records = records.filter(history_date__date__lte=until)
    if object_id is not None:
        records = records.filter(id=object_id)
    return records


@dataclass
class Change:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class Entry:
    record: Any
    changes: list[Change] = field(default_factory=list)
    #: Where the change came from, in words (``origin_label``).
    origin: str = ""


def _shown(model_field: Any, value: Any, names: dict[tuple[type[Model], Any], str]) -> Any:
    if value is None or value == "":
        return "–"
    if model_field.many_to_many:
        ids = [row[model_field.m2m_reverse_field_name()] for row in value]
        return (
            ", ".join(sorted(names.get((model_field.related_model, i), f"#{i}") for i in ids))
            or "–"
        )
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    return value


def _related_names(model: type[Model], deltas: Iterable[Any]) -> dict[tuple[type[Model], Any], str]:
    """The names of the records the changed foreign keys point at: one query per related
    model for the whole page."""
    wanted: dict[type[Model], set[Any]] = {}
    for delta in deltas:
        for change in delta.changes:
            model_field = model._meta.get_field(change.field)
            if not model_field.is_relation or model_field.related_model is None:
                continue
            related = model_field.related_model
            assert isinstance(related, type)
            for value in (change.old, change.new):
                if model_field.many_to_many:
                    key = model_field.m2m_reverse_field_name()  # type: ignore[union-attr]  # a ManyToManyField here
                    wanted.setdefault(related, set()).update(row[key] for row in value or [])
                elif value is not None:
                    wanted.setdefault(related, set()).add(value)
    names = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    return names


def object_entries(model: type[Model], records: list[Any], older: Any | None) -> list[Entry]:
    """The page's records, newest first, each with what changed since the record before
    it (``older`` is the record just before the page's last one, or None)."""
    chain = [*records, older] if older is not None else list(records)
    pairs = []
    for index, record in enumerate(records):
        previous = chain[index + 1] if index + 1 < len(chain) else None
        delta = record.diff_against(previous, foreign_keys_are_objs=False) if previous else None
        pairs.append((record, delta))
    names = _related_names(model, [d for _r, d in pairs if d is not None])
    entries = []
    for record, delta in pairs:
        entry = Entry(record, origin=origin_label(record.history_change_reason or ""))
        if delta is not None:
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                entry.changes.append(
                    Change(
                        change.field,
                        str(getattr(model_field, "verbose_name", change.field)),
                        _shown(model_field, change.old, names),
                        _shown(model_field, change.new, names),
                    )
                )
        entries.append(entry)
    return entries


def record_origin(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """Signal receiver: a record without a reason of its own says where it came from, the
    page's view name (never its address, which may hold a self-assessment token) or, with
    no request, the command."""
    if history_instance.history_change_reason:
        return
    request = getattr(HistoricalRecords.context, "request", None)
    # Set by whoever knows more than the view's name: the API names the token too.
    explicit: Any = getattr(request, "audit_origin", None) if request is not None else None
    origin = ""
    if explicit:
        origin = str(explicit)
    elif request is not None:
        match = getattr(request, "resolver_match", None)
        origin = f"{request.method} {match.view_name}" if match else str(request.method)
    else:
        import sys

        command = sys.argv[1] if len(sys.argv) > 1 else ""
        origin = f"command {command}".strip()
    history_instance.history_change_reason = origin[:100]


def _page_label(view_name: str) -> str | None:
    """The name of the page ``view_name`` ("engagements:session_log") from its app's
    ``page_labels`` in its URL configuration, or None."""
    namespace, _sep, url_name = view_name.rpartition(":")
    resolver = get_resolver()
    if namespace:
        found = resolver.namespace_dict.get(namespace)
        if found is None:
            return None
        module = found[1].urlconf_module
    else:
        module = resolver.urlconf_module
    label = getattr(module, "page_labels", {}).get(url_name)
    return str(label) if label else None


def _views_named(text: str) -> list[str]:
    """The view names ("engagements:session_log") whose page name holds ``text``."""
    wanted = text.casefold()
    found = []
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        for url_name, label in getattr(resolver.urlconf_module, "page_labels", {}).items():
            if wanted in str(label).casefold():
                found.append(f"{namespace}:{url_name}")
    return found


def origin_label(origin: str) -> str:
    """Where a change came from, in words (``record_origin`` stores the code):
    "POST engagements:session_log" → "Registrera ett tillfälle", "command demo" →
    "Kommandot demo", an API call with its page and its token. A page without a name of
    its own is shown by its code, so nothing recorded is ever hidden."""
    if not origin:
        return ""
    if origin.startswith("command "):
        return gettext("Kommandot %(command)s") % {"command": origin.removeprefix("command ")}
    if origin.startswith("API "):
        call, _sep, via = origin.removeprefix("API ").partition(" · ")
        page = call.partition(" ")[2] or call
        if via.startswith("token "):
            return gettext("API: %(page)s, med nyckeln %(token)s") % {
                "page": page,
                "token": via.removeprefix("token "),
            }
        return gettext("API: %(page)s, från webbläsaren") % {"page": page}
    method, _sep, view_name = origin.partition(" ")
    if method.isupper() and view_name:
        label = _page_label(view_name)
        if label:
            return label
    return origin
