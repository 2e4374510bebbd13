"""A person's rights under the GDPR, in one place: what the platform holds about someone
(an export, article 15 and 20) and their erasure (article 17). The core knows no app above
it, so each app that holds personal data registers a :class:`PersonalData` source in its
``AppConfig.ready``: how to find what it holds about an e-mail address, and how to erase
it. Erasure removes or anonymises the personal data and keeps the statistics (hours,
counts, scores), and takes the audit trail's copies of the data with it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.functional import Promise

#: What one source holds: records, each a dict of labelled values shown and exported.
Records = list[dict[str, Any]]


@dataclass(frozen=True)
class PersonalData:
    name: str
    label: str | Promise
    #: The records this source holds about the (normalised) e-mail address.
    collect: Callable[[str], Records]
    #: Erases them; returns how many records were changed.
    erase: Callable[[str], int]
    order: int = 50


@dataclass
class Found:
    source: PersonalData
    records: Records = field(default_factory=list)


_sources: dict[str, PersonalData] = {}


def register_personal_data(source: PersonalData) -> None:
    _sources[source.name] = source


def personal_data_sources() -> list[PersonalData]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.name))


def normalise_address(address: str) -> str:
    return address.strip().casefold()


def subject_collect(*, address: str) -> list[Found]:
    """Everything every source holds about ``address``, source by source (sources with
    nothing are left out)."""
    address = normalise_address(address)
    found = [Found(source, source.collect(address)) for source in personal_data_sources()]
    return [f for f in found if f.records]


def subject_export(*, address: str) -> dict[str, Any]:
    """The export as plain data for JSON: the address and every source's records."""
    return {
        "address": normalise_address(address),
        "sources": [
            {"source": f.source.name, "label": str(f.source.label), "records": f.records}
            for f in subject_collect(address=address)
        ],
    }


def subject_erase(*, address: str) -> dict[str, int]:
    """Erases what every source holds about ``address`` in one transaction: all of it or,
    if a source fails, none of it."""
    address = normalise_address(address)
    with transaction.atomic():
        return {source.name: source.erase(address) for source in personal_data_sources()}


@dataclass(frozen=True)
class RetentionRule:
    """Personal data kept only for a while: ``apply`` removes or anonymises what is older
    than ``days()`` (read from the settings) on ``today`` and says how many records."""

    name: str
    label: str | Promise
    days: Callable[[], int]
    apply: Callable[[datetime.date], int]
    order: int = 50


_retention: dict[str, RetentionRule] = {}


def register_retention(rule: RetentionRule) -> None:
    _retention[rule.name] = rule


def retention_rules() -> list[RetentionRule]:
    return sorted(_retention.values(), key=lambda r: (r.order, r.name))


def retention_apply(*, today: datetime.date) -> dict[str, int]:
    """Applies every retention rule; each in its own transaction."""
    done = {}
    for rule in retention_rules():
        with transaction.atomic():
            done[rule.name] = rule.apply(today)
    return done


def shown_value(value: Any) -> str:
    """A record's value on the page and in the PDF, in the active language's formats."""
    from django.utils import timezone

    from . import formats

    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, datetime.datetime):
        return formats.datetime_medium(
            timezone.localtime(value) if timezone.is_aware(value) else value
        )
    if isinstance(value, datetime.date):
        return formats.date_medium(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def shown(found: list[Found]) -> list[dict[str, Any]]:
    """``found`` ready for a template: each source's label and its records as rows of
    label and text."""
    return [
        {
            "label": f.source.label,
            "records": [[(k, shown_value(v)) for k, v in record.items()] for record in f.records],
        }
        for f in found
    ]


def json_value(value: Any) -> Any:
    """A record's value as JSON can hold it (dates and decimals as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
