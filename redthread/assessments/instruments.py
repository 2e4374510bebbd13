"""Instruments as data: the definition read from ``redthread/data/instruments/*.toml``,
checked once when it is loaded, and the rules that turn answers into scores.

A definition is plain data (stored as JSON on :class:`InstrumentVersion`), so a version that
was used once is scored the same way forever. Every score here is a fraction 0–1 per
question and a percentage 0–100 per dimension and overall.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

QUESTION_TYPES = ("scale", "single", "multiple", "yesno", "number")
YES, NO = "yes", "no"

#: An answer as stored: a scale level, an option code, option codes, "yes"/"no" or a number.
Answer = int | float | str | list[str]


class InstrumentError(ValueError):
    """An instrument file contradicts itself; the message says where."""


class AnswerError(ValueError):
    """An answer that the question cannot take (out of range, unknown option, tampered)."""


@dataclass(frozen=True)
class Text:
    sv: str
    en: str

    def __str__(self) -> str:
        return self.en if (get_language() or "sv").startswith("en") and self.en else self.sv

    @classmethod
    def read(cls, raw: Any, where: str, *, required: bool = True) -> Text:
        if raw is None and not required:
            return cls("", "")
        if not isinstance(raw, Mapping) or not raw.get("sv") or not raw.get("en"):
            raise InstrumentError(f"{where}: needs a text in Swedish and English (sv, en)")
        return cls(str(raw["sv"]).strip(), str(raw["en"]).strip())


@dataclass(frozen=True)
class Option:
    code: str
    text: Text
    score: float


@dataclass(frozen=True)
class Condition:
    """Show a question only when an earlier answer says so."""

    question: str
    equals: str | None = None
    any_of: tuple[str, ...] = ()
    at_least: float | None = None

    def holds(self, value: Answer | None) -> bool:
        if value is None:
            return False
        if self.equals is not None:
            return value == self.equals
        if self.any_of:
            chosen = value if isinstance(value, list) else [value]
            return any(str(code) in self.any_of for code in chosen)
        if self.at_least is not None and isinstance(value, int | float):
            return value >= self.at_least
        return False


@dataclass(frozen=True)
class Question:
    code: str
    dimension: str
    type: str
    text: Text
    help: Text
    weight: float = 1.0
    levels: tuple[Text, ...] = ()
    options: tuple[Option, ...] = ()
    yes_score: float = 1.0
    no_score: float = 0.0
    unit: Text = Text("", "")
    minimum: float = 0.0
    maximum: float = 0.0
    points: tuple[tuple[float, float], ...] = ()
    show_if: Condition | None = None

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def clean(self, raw: Any) -> Answer:
        """The stored form of a submitted answer; :class:`AnswerError` when it cannot be one
        (out of range, an option that does not exist: a tampered or stale form)."""
        if self.type == "multiple":
            codes = [str(c) for c in (raw if isinstance(raw, list | tuple) else [raw]) if c != ""]
            unknown = [c for c in codes if self.option(c) is None]
            if unknown:
                raise AnswerError(_("Svaret innehåller ett alternativ som inte finns."))
            return sorted(set(codes), key=[o.code for o in self.options].index)
        if isinstance(raw, list | tuple):
            raw = raw[-1] if raw else ""
        text = str(raw).strip()
        if text == "":
            raise AnswerError(_("Svara på frågan."))
        if self.type == "scale":
            if text not in {str(level) for level in range(len(self.levels))}:
                raise AnswerError(
                    _("Välj en nivå mellan 0 och %(top)s.") % {"top": len(self.levels) - 1}
                )
            return int(text)
        if self.type == "single":
            if self.option(text) is None:
                raise AnswerError(_("Svaret är inget av alternativen."))
            return text
        if self.type == "yesno":
            if text not in {YES, NO}:
                raise AnswerError(_("Svara ja eller nej."))
            return text
        # number: Swedish input ("12,5", "1 200") as well as "12.5".
        cleaned = text.replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise AnswerError(_("Skriv ett tal, till exempel 12 eller 12,5.")) from None
        if not number.is_finite():
            raise AnswerError(_("Skriv ett tal, till exempel 12 eller 12,5."))
        value = float(number)
        if value < self.minimum or value > self.maximum:
            raise AnswerError(
                _("Skriv ett tal mellan %(low)s och %(high)s.")
                % {"low": _number(self.minimum), "high": _number(self.maximum)}
            )
        return int(value) if value.is_integer() else value

    def score(self, value: Answer) -> float:
        """The answer's score, 0–1."""
        if self.type == "scale":
            assert isinstance(value, int)
            return value / (len(self.levels) - 1)
        if self.type == "single":
            option = self.option(str(value))
            return option.score if option else 0.0
        if self.type == "multiple":
            chosen = value if isinstance(value, list) else [str(value)]
            return min(1.0, sum(o.score for o in self.options if o.code in chosen))
        if self.type == "yesno":
            return self.yes_score if value == YES else self.no_score
        assert isinstance(value, int | float)
        return _interpolate(self.points, float(value))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _interpolate(points: Sequence[tuple[float, float]], x: float) -> float:
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


@dataclass(frozen=True)
class Dimension:
    code: str
    tag: str
    name: Text
    description: Text
    group: Text
    weight: float = 1.0


@dataclass(frozen=True)
class Band:
    minimum: float
    maximum: float
    name: Text
    text: Text


@dataclass(frozen=True)
class Scores:
    """Scores in percent; None where nothing was answered."""

    dimensions: dict[str, float | None]
    overall: float | None

    def as_json(self) -> dict[str, Any]:
        return {"dimensions": self.dimensions, "overall": self.overall}


@dataclass(frozen=True)
class Definition:
    code: str
    version: int
    name: Text
    description: Text
    source: str
    assumed: bool
    overall: str
    bands: tuple[Band, ...]
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    #: Scores of the version ``mapping_from`` compare with this one dimension by dimension:
    #: old dimension code → new dimension code.
    mapping_from: int | None = None
    mapping: dict[str, str] = field(default_factory=dict)

    def dimension(self, code: str) -> Dimension:
        return next(d for d in self.dimensions if d.code == code)

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def pages(self) -> list[tuple[Dimension, list[Question]]]:
        """One page per dimension, in the file's order."""
        return [(d, [q for q in self.questions if q.dimension == d.code]) for d in self.dimensions]

    def visible(self, answers: Mapping[str, Any]) -> list[Question]:
        """The questions shown given ``answers``: a question whose condition refers to a
        hidden question is hidden too."""
        shown: set[str] = set()
        result = []
        for question in self.questions:
            condition = question.show_if
            if condition is not None and not (
                condition.question in shown and condition.holds(answers.get(condition.question))
            ):
                continue
            shown.add(question.code)
            result.append(question)
        return result

    def missing(self, answers: Mapping[str, Any]) -> list[Question]:
        return [q for q in self.visible(answers) if q.code not in answers]

    def score(self, answers: Mapping[str, Any]) -> Scores:
        """Dimension score = weighted mean of its shown, answered questions' scores; overall
        = the weighted mean (or plain mean) of the dimensions that have a score."""
        sums: dict[str, list[float]] = {d.code: [0.0, 0.0] for d in self.dimensions}
        for question in self.visible(answers):
            if question.code not in answers:
                continue
            total = sums[question.dimension]
            total[0] += question.weight * question.score(answers[question.code])
            total[1] += question.weight
        dimensions = {code: (round(100 * s / w, 2) if w else None) for code, (s, w) in sums.items()}
        return Scores(dimensions, self.overall_of(dimensions))

    def overall_of(self, dimensions: Mapping[str, float | None]) -> float | None:
        pairs = [
            (value, 1.0 if self.overall == "mean" else self.dimension(code).weight)
            for code, value in dimensions.items()
            if value is not None
        ]
        weight = sum(w for _v, w in pairs)
        return round(sum(v * w for v, w in pairs) / weight, 2) if weight else None

    def band(self, score: float | None) -> Band | None:
        if score is None:
            return None
        for band in self.bands:
            if band.minimum <= score < band.maximum:
                return band
        return self.bands[-1] if score >= self.bands[-1].minimum else None


def combine(definition: Definition, scores: Iterable[Scores]) -> Scores:
    """Several respondents: each dimension the mean of the respondents who have a score in
    it (every respondent counts the same), the overall computed from those means."""
    collected: dict[str, list[float]] = {d.code: [] for d in definition.dimensions}
    for one in scores:
        for code, value in one.dimensions.items():
            if value is not None and code in collected:
                collected[code].append(value)
    dimensions = {
        code: (round(sum(values) / len(values), 2) if values else None)
        for code, values in collected.items()
    }
    return Scores(dimensions, definition.overall_of(dimensions))


def dimension_map(older: Definition, newer: Definition) -> dict[str, str]:
    """Which dimensions of ``older`` compare with which of ``newer``: all of them within one
    version, the declared mapping between two versions, and nothing otherwise."""
    if older.code != newer.code:
        return {}
    if older.version == newer.version:
        return {d.code: d.code for d in older.dimensions}
    if newer.mapping_from == older.version:
        return dict(newer.mapping)
    if older.mapping_from == newer.version:
        return {new: old for old, new in older.mapping.items()}
    return {}


def percentile(value: float, peers: Sequence[float], *, minimum_peers: int = 5) -> float | None:
    """The share of peers below ``value``, ties counted as half (the mid-rank percentile),
    in percent; None when there are fewer than ``minimum_peers`` peers."""
    if len(peers) < minimum_peers:
        return None
    equal = sum(1 for p in peers if math.isclose(p, value, rel_tol=0, abs_tol=1e-6))
    below = sum(
        1 for p in peers if p < value and not math.isclose(p, value, rel_tol=0, abs_tol=1e-6)
    )
    return round(100 * (below + 0.5 * equal) / len(peers), 1)


def definition_checksum(raw: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _float(raw: Any, where: str, default: float | None = None) -> float:
    if raw is None and default is not None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InstrumentError(f"{where}: expected a number")
    return float(raw)


def _condition(raw: Any, where: str, earlier: Mapping[str, Question]) -> Condition | None:
    if raw is None:
        return None
    target = earlier.get(str(raw.get("question", "")))
    if target is None:
        raise InstrumentError(f"{where}: show_if must refer to an earlier question")
    if "equals" in raw:
        return Condition(target.code, equals=str(raw["equals"]))
    if "any_of" in raw:
        codes = tuple(str(c) for c in raw["any_of"])
        if any(target.option(c) is None for c in codes):
            raise InstrumentError(f"{where}: show_if names an option {target.code} lacks")
        return Condition(target.code, any_of=codes)
    if "at_least" in raw:
        return Condition(target.code, at_least=_float(raw["at_least"], where))
    raise InstrumentError(f"{where}: show_if needs equals, any_of or at_least")


def _question(
    raw: Mapping[str, Any], dimensions: set[str], earlier: dict[str, Question]
) -> Question:
    code = str(raw.get("code", ""))
    where = f"question {code or '?'}"
    if not code or code in earlier:
        raise InstrumentError(f"{where}: needs a code of its own")
    if raw.get("dimension") not in dimensions:
        raise InstrumentError(f"{where}: unknown dimension {raw.get('dimension')!r}")
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        raise InstrumentError(f"{where}: type must be one of {', '.join(QUESTION_TYPES)}")
    weight = _float(raw.get("weight"), where, 1.0)
    if weight <= 0:
        raise InstrumentError(f"{where}: weight must be above 0")
    fields: dict[str, Any] = {}
    if kind == "scale":
        levels = tuple(Text.read(t, f"{where} level") for t in raw.get("levels", []))
        if len(levels) != 6:
            raise InstrumentError(f"{where}: a scale has 6 levels (0–5)")
        fields["levels"] = levels
    elif kind in {"single", "multiple"}:
        options = tuple(
            Option(str(o["code"]), Text.read(o, f"{where} option"), _float(o.get("score"), where))
            for o in raw.get("options", [])
        )
        if len(options) < 2 or len({o.code for o in options}) != len(options):
            raise InstrumentError(f"{where}: needs at least two options with distinct codes")
        if any(not 0 <= o.score <= 1 for o in options):
            raise InstrumentError(f"{where}: option scores lie between 0 and 1")
        fields["options"] = options
    elif kind == "yesno":
        fields["yes_score"] = _float(raw.get("yes_score"), where, 1.0)
        fields["no_score"] = _float(raw.get("no_score"), where, 0.0)
    else:
        points = tuple((_float(x, where), _float(y, where)) for x, y in raw.get("points", []))
        if len(points) < 2 or any(b[0] <= a[0] for a, b in pairwise(points)):
            raise InstrumentError(f"{where}: points need two or more ascending values")
        if any(not 0 <= y <= 1 for _x, y in points):
            raise InstrumentError(f"{where}: point scores lie between 0 and 1")
        fields.update(
            points=points,
            unit=Text.read(raw.get("unit"), f"{where} unit", required=False),
            minimum=_float(raw.get("min"), where, 0.0),
            maximum=_float(raw.get("max"), where),
        )
    return Question(
        code=code,
        dimension=str(raw["dimension"]),
        type=str(kind),
        text=Text.read(raw.get("text"), where),
        help=Text.read(raw.get("help"), f"{where} help", required=False),
        weight=weight,
        show_if=_condition(raw.get("show_if"), where, earlier),
        **fields,
    )


def parse(raw: Mapping[str, Any]) -> Definition:
    """The checked definition of an instrument file (already read by tomllib)."""
    head = raw.get("instrument") or {}
    code = str(head.get("code", ""))
    version = head.get("version")
    if not code or not isinstance(version, int) or version < 1:
        raise InstrumentError("[instrument] needs a code and a version number from 1")
    overall = head.get("overall", "weighted_mean")
    if overall not in {"mean", "weighted_mean"}:
        raise InstrumentError("[instrument] overall is mean or weighted_mean")
    dimensions = tuple(
        Dimension(
            code=str(d.get("code", "")),
            tag=str(d.get("tag", d.get("code", ""))),
            name=Text.read(d.get("name"), f"dimension {d.get('code')}"),
            description=Text.read(d.get("description"), "description", required=False),
            group=Text.read(d.get("group"), "group", required=False),
            weight=_float(d.get("weight"), f"dimension {d.get('code')}", 1.0),
        )
        for d in raw.get("dimensions", [])
    )
    codes = [d.code for d in dimensions]
    if not codes or "" in codes or len(set(codes)) != len(codes):
        raise InstrumentError("dimensions need distinct codes")
    questions: dict[str, Question] = {}
    for entry in raw.get("questions", []):
        question = _question(entry, set(codes), questions)
        questions[question.code] = question
    empty = [c for c in codes if not any(q.dimension == c for q in questions.values())]
    if empty:
        raise InstrumentError(f"dimension {empty[0]} has no questions")
    bands = tuple(
        Band(
            _float(b.get("min"), "band"),
            _float(b.get("max"), "band"),
            Text.read(b.get("name"), "band name"),
            Text.read(b.get("text"), "band text"),
        )
        for b in raw.get("bands", [])
    )
    edges = [b.minimum for b in bands] + [bands[-1].maximum if bands else 0]
    if (
        not bands
        or edges[0] != 0
        or edges[-1] != 100
        or any(b.maximum != nxt.minimum for b, nxt in pairwise(bands))
    ):
        raise InstrumentError("bands must cover 0–100 in order, without gaps")
    mapping = raw.get("mapping") or {}
    mapped = {str(k): str(v) for k, v in (mapping.get("dimensions") or {}).items()}
    if any(v not in codes for v in mapped.values()):
        raise InstrumentError("mapping names a dimension this version lacks")
    return Definition(
        code=code,
        version=version,
        name=Text.read(head.get("name"), "[instrument] name"),
        description=Text.read(head.get("description"), "description", required=False),
        source=str(head.get("source", "")),
        assumed=bool(head.get("assumed", False)),
        overall=str(overall),
        bands=bands,
        dimensions=dimensions,
        questions=tuple(questions.values()),
        mapping_from=mapping.get("from_version"),
        mapping=mapped,
    )
