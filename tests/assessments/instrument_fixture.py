"""A small instrument that uses every answer type, weights and a condition, with scores
worked out by hand in the tests."""

from __future__ import annotations

import copy
from typing import Any


def _t(sv: str) -> dict[str, str]:
    return {"sv": sv, "en": sv + " (en)"}


LEVELS = [_t(f"Nivå {i}") for i in range(6)]

SMALL: dict[str, Any] = {
    "instrument": {
        "code": "test",
        "version": 1,
        "name": _t("Testinstrument"),
        "overall": "weighted_mean",
    },
    "bands": [
        {"min": 0, "max": 50, "name": _t("Låg"), "text": _t("Låg nivå.")},
        {"min": 50, "max": 100, "name": _t("Hög"), "text": _t("Hög nivå.")},
    ],
    "dimensions": [
        {"code": "a", "tag": "flöde", "name": _t("Flöde"), "weight": 1.0},
        {"code": "b", "tag": "ledarskap", "name": _t("Ledarskap"), "weight": 3.0},
    ],
    "questions": [
        # a: scale (weight 2), single, number
        {
            "code": "a1",
            "dimension": "a",
            "type": "scale",
            "text": _t("Skala"),
            "weight": 2.0,
            "levels": LEVELS,
        },
        {
            "code": "a2",
            "dimension": "a",
            "type": "single",
            "text": _t("Ett val"),
            "options": [
                {"code": "x", "sv": "X", "en": "X", "score": 0.0},
                {"code": "y", "sv": "Y", "en": "Y", "score": 0.5},
                {"code": "z", "sv": "Z", "en": "Z", "score": 1.0},
            ],
        },
        {
            "code": "a3",
            "dimension": "a",
            "type": "number",
            "text": _t("Antal"),
            "min": 0,
            "max": 100,
            "points": [[0, 0.0], [10, 0.5], [20, 1.0]],
        },
        # b: yes/no, and a multiple choice shown only after a yes
        {"code": "b1", "dimension": "b", "type": "yesno", "text": _t("Ja eller nej")},
        {
            "code": "b2",
            "dimension": "b",
            "type": "multiple",
            "text": _t("Flera val"),
            "show_if": {"question": "b1", "equals": "yes"},
            "options": [
                {"code": "p", "sv": "P", "en": "P", "score": 0.25},
                {"code": "q", "sv": "Q", "en": "Q", "score": 0.5},
                {"code": "r", "sv": "R", "en": "R", "score": 0.5},
            ],
        },
    ],
}


def version_two() -> dict[str, Any]:
    """Version 2: dimension ``a`` split into a renamed ``flow``; ``b`` dropped from the
    mapping (it was rewritten and cannot be compared)."""
    raw = copy.deepcopy(SMALL)
    raw["instrument"]["version"] = 2
    raw["dimensions"][0]["code"] = "flow"
    for question in raw["questions"]:
        if question["dimension"] == "a":
            question["dimension"] = "flow"
    raw["mapping"] = {"from_version": 1, "dimensions": {"a": "flow"}}
    return raw
