"""Stored results as JSON: an explicit encoder and decoder for the figures of a results
page (:func:`~redthread.outcomes.selectors.results_compute`).

Only the types listed here are written and read back; anything else is a ``TypeError``
when it is stored (a new type in the results must be added here, with the round-trip test
in tests/outcomes/test_results_codec.py). Nothing is ever constructed from a name the
stored JSON chooses beyond this list, unlike the pickles this replaces.

The JSON holds only objects, arrays, strings, booleans, null, ints and floats that
PostgreSQL's ``jsonb`` (which keeps numbers as ``numeric`` and objects sorted by key)
gives back unchanged. So every other value is tagged, as an object of one key starting
with ``$``:

- a dict keeps its order as a list of pairs (``$dict``), its keys encoded like values;
- a tuple is ``$tuple``; a ``Decimal`` its string (``$decimal``); a date, a datetime its
  ISO form (``$date``, ``$datetime``; an aware datetime keeps its offset);
- a float that is not finite, or whose shortest form has an exponent of 16 or more
  (``jsonb`` would print it as an integer), is its ``repr`` (``$float``);
- a lazy translated string is the string, in the language active when it is stored (the
  results are stored per language);
- a :class:`~redthread.outcomes.models.KpiDefinition` is its concrete fields
  (``$kpi``), read back as an unsaved-looking instance with the same primary key;
- the dataclasses of :mod:`~redthread.outcomes.impact` and
  :mod:`~redthread.outcomes.statistics`, and the box plot's
  :class:`~redthread.core.charts.FiveNumbers`, are their fields (``$<ClassName>``).
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from redthread.core.charts import FiveNumbers

from . import impact, statistics
from .models import KpiDefinition

#: Bumped when the encoding changes; a stored payload of another format is stale.
FORMAT = 1

_DATACLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        impact.Reach,
        impact.KpiEffect,
        impact.ScoreEffect,
        impact.GroupEffect,
        statistics.PairedChange,
        statistics.DifferenceInDifferences,
        statistics.Interval,
        FiveNumbers,
    )
}

#: Floats at or beyond this print with an exponent, which jsonb turns into an integer.
_EXPONENT_FROM = 1e16


class StaleFormat(ValueError):
    """A stored payload this code does not read (another format, a pickle, damage)."""


def _kpi_fields() -> list[str]:
    return [f.attname for f in KpiDefinition._meta.concrete_fields]


def encode_value(value: Any) -> Any:
    """``value`` as plain JSON (see the module's docstring)."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and abs(value) < _EXPONENT_FROM:
            return value
        return {"$float": repr(value)}
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {"$dict": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(v) for v in value]}
    if isinstance(value, KpiDefinition):
        return {"$kpi": {name: encode_value(getattr(value, name)) for name in _kpi_fields()}}
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and _DATACLASSES.get(name) is type(value):
        return {
            f"${name}": {
                f.name: encode_value(getattr(value, f.name)) for f in dataclasses.fields(value)
            }
        }
    raise TypeError(f"stored results cannot hold a {type(value).__qualname__}")


def decode_value(data: Any) -> Any:
    """The value :func:`encode_value` encoded; :class:`StaleFormat` for anything else."""
    if data is None or isinstance(data, bool | str | int | float):
        return data
    if isinstance(data, list):
        return [decode_value(v) for v in data]
    if not isinstance(data, dict) or len(data) != 1:
        raise StaleFormat("not an encoded value")
    ((tag, inner),) = data.items()
    try:
        return _decode_tagged(tag, inner)
    except (TypeError, ValueError, ArithmeticError) as error:
        raise StaleFormat(f"cannot read {tag}") from error


def _decode_tagged(tag: str, inner: Any) -> Any:
    if tag == "$float":
        return float(inner)
    if tag == "$decimal":
        return Decimal(inner)
    if tag == "$datetime":
        return datetime.datetime.fromisoformat(inner)
    if tag == "$date":
        return datetime.date.fromisoformat(inner)
    if tag == "$dict":
        return {decode_value(k): decode_value(v) for k, v in inner}
    if tag == "$tuple":
        return tuple(decode_value(v) for v in inner)
    if tag == "$kpi":
        fields = {name: decode_value(inner[name]) for name in _kpi_fields()}
        kpi = KpiDefinition(**fields)
        kpi._state.adding = False
        kpi._state.db = "default"
        return kpi
    cls = _DATACLASSES.get(tag[1:]) if tag.startswith("$") else None
    if cls is None:
        raise StaleFormat(f"unknown tag {tag}")
    return cls(**{name: decode_value(v) for name, v in inner.items()})


def results_encode(results: dict[str, Any]) -> dict[str, Any]:
    """A results page's figures as the JSON kept in ``StoredResult.results``."""
    return {"format": FORMAT, "results": encode_value(results)}


def results_decode(payload: Any) -> dict[str, Any]:
    """The figures :func:`results_encode` stored; :class:`StaleFormat` when ``payload``
    is of another format (they are then computed again)."""
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise StaleFormat("another format")
    results = decode_value(payload.get("results"))
    if not isinstance(results, dict):
        raise StaleFormat("not a dict")
    return results
