"""The shipped instruments in the demo, and the synthetic answers the engagement demo
uses: answers that a respondent at a given maturity would plausibly give."""

from __future__ import annotations

import random
from io import TextIOBase
from itertools import pairwise
from typing import Any

from redthread.core.demo import step

from . import services
from .instruments import NO, YES, Definition, Question


@step("assessment instruments", order=35)
def load_instruments(out: TextIOBase) -> None:
    created = services.instruments_load_shipped()
    out.write(f"  {created} new instrument versions\n")


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _inverse(question: Question, target: float) -> float:
    """The number whose score is closest to ``target`` (points are piecewise linear)."""
    best, best_gap = question.points[0][0], 2.0
    for (x0, y0), (x1, y1) in pairwise(question.points):
        if y0 == y1:
            candidates = [x0]
        else:
            t = clamp((target - y0) / (y1 - y0))
            candidates = [x0 + t * (x1 - x0)]
        for x in candidates:
            gap = abs(question.score(x) - target)
            if gap < best_gap:
                best, best_gap = x, gap
    return max(question.minimum, min(question.maximum, round(best)))


def _answer(question: Question, level: float, rng: random.Random) -> Any:
    noisy = clamp(level + rng.gauss(0, 0.12))
    if question.type == "scale":
        return round(5 * noisy)
    if question.type == "single":
        return min(question.options, key=lambda o: abs(o.score - noisy)).code
    if question.type == "multiple":
        chosen, total = [], 0.0
        options = [o for o in question.options if o.score > 0]
        rng.shuffle(options)
        for option in options:
            if total >= noisy:
                break
            chosen.append(option.code)
            total += option.score
        order = [o.code for o in question.options]
        return sorted(chosen, key=order.index)
    if question.type == "yesno":
        high = question.yes_score >= question.no_score
        return (
            (YES if high else NO) if rng.random() < clamp(noisy + 0.15) else (NO if high else YES)
        )
    return _inverse(question, noisy)


def answers_for(
    definition: Definition, levels: dict[str, float], rng: random.Random
) -> dict[str, Any]:
    """Answers of a respondent whose maturity per dimension is ``levels`` (0–1), with the
    questions a real respondent would not see left out."""
    answers = {q.code: _answer(q, levels.get(q.dimension, 0.4), rng) for q in definition.questions}
    visible = {q.code for q in definition.visible(answers)}
    return {code: value for code, value in answers.items() if code in visible}
