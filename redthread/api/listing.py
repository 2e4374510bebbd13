"""Lists: cursor pagination with a whitelisted ordering, ties broken by primary key (so
that a page boundary between two equal values loses no row and repeats none, the same rule
as core/listing.py). The cursor is opaque to the caller: the ordering and the last row's
sort value and key, signed."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Schema

from .errors import ApiError

T = TypeVar("T")

MAX_LIMIT = 200
_SALT = "redthread.api.cursor"


class Page(Schema, Generic[T]):
    items: list[T]
    #: Pass as ``cursor`` for the next page; null on the last page.
    next: str | None


def _encode(data: dict[str, Any]) -> str:
    # Signed, so that a cursor the caller edited is refused rather than put in a query.
    return signing.dumps(json.loads(json.dumps(data, default=str)), salt=_SALT, compress=True)


def _decode(cursor: str) -> dict[str, Any]:
    try:
        data = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature as exc:
        raise _bad_cursor() from exc
    if not isinstance(data, dict) or not isinstance(data.get("pk"), int):
        raise _bad_cursor()
    return data


def _bad_cursor() -> ApiError:
    return ApiError(
        400,
        "invalid_cursor",
        _("Markören känns inte igen. Börja om från första sidan."),
        {"cursor": [_("Ogiltig markör.")]},
    )


def paginate(
    queryset: QuerySet[Any],
    *,
    ordering: str,
    allowed: Sequence[str],
    cursor: str | None,
    limit: int,
    dump: Callable[[Any], Any],
) -> dict[str, Any]:
    """One page of ``queryset`` ordered by ``ordering`` (one of ``allowed``, ``-`` for
    descending); the fields in ``allowed`` must not be null."""
    field = ordering.lstrip("-")
    if field not in allowed:
        raise ApiError(
            400,
            "invalid_ordering",
            _("Sortering efter det fältet går inte."),
            {"ordering": [_("Tillåtna: %(fields)s.") % {"fields": ", ".join(allowed)}]},
        )
    descending = ordering.startswith("-")
    limit = max(1, min(limit, MAX_LIMIT))
    sign = "-" if descending else ""
    queryset = queryset.order_by(f"{sign}{field}", f"{sign}pk")
    if cursor:
        data = _decode(cursor)
        if data.get("o") != ordering:
            raise _bad_cursor()
        op = "lt" if descending else "gt"
        if field == "pk":
            queryset = queryset.filter(**{f"pk__{op}": data["pk"]})
        else:
            value = data.get("v")
            queryset = queryset.filter(
                Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": data["pk"]})
            )
    rows: list[Model] = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = _encode({"o": ordering, "v": getattr(last, field), "pk": last.pk})
    return {"items": [dump(row) for row in rows], "next": next_cursor}
