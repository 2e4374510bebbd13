import copy
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redthread.assessments.instruments import (
    AnswerError,
    InstrumentError,
    Scores,
    combine,
    dimension_map,
    parse,
    percentile,
)
from redthread.methodology.instrument_files import INSTRUMENT_DIR

from .instrument_fixture import SMALL, version_two


@pytest.fixture
def small():
    return parse(SMALL)


def test_every_answer_type_scored_by_hand(small):
    answers = {"a1": 4, "a2": "y", "a3": 15, "b1": "yes", "b2": ["p", "q"]}
    scores = small.score(answers)
    # a: (2 × 4/5 + 1 × 0.5 + 1 × 0.75) / 4 = (1.6 + 0.5 + 0.75) / 4 = 0.7125
    assert scores.dimensions["a"] == 71.25
    # b: (1 × 1 + 1 × min(1, 0.25 + 0.5)) / 2 = 0.875
    assert scores.dimensions["b"] == 87.5
    # overall weighted by dimension: (1 × 71.25 + 3 × 87.5) / 4
    assert scores.overall == 83.44
    assert small.band(scores.overall).name.sv == "Hög"


def test_multiple_choice_is_capped_and_numbers_clamp(small):
    answers = {"a1": 0, "a2": "x", "a3": 100, "b1": "yes", "b2": ["p", "q", "r"]}
    scores = small.score(answers)
    assert scores.dimensions["a"] == 25.0  # (0 + 0 + 1 × 1.0) / 4
    assert scores.dimensions["b"] == 100.0


def test_a_hidden_question_counts_for_nothing(small):
    # b1 = no hides b2: its stale answer must not count, and it is not missing.
    answers = {"a1": 5, "a2": "z", "a3": 20, "b1": "no", "b2": ["q"]}
    assert [q.code for q in small.visible(answers)] == ["a1", "a2", "a3", "b1"]
    assert small.missing(answers) == []
    assert small.score(answers).dimensions == {"a": 100.0, "b": 0.0}
    assert small.missing({"a1": 5, "a2": "z", "a3": 20, "b1": "yes"})[0].code == "b2"


def test_unanswered_dimension_has_no_score_and_overall_uses_the_rest(small):
    scores = small.score({"a1": 5})
    assert scores.dimensions == {"a": 100.0, "b": None}
    assert scores.overall == 100.0
    assert small.score({}).overall is None


def test_plain_mean_ignores_dimension_weights():
    raw = copy.deepcopy(SMALL)
    raw["instrument"]["overall"] = "mean"
    definition = parse(raw)
    scores = definition.score({"a1": 5, "a2": "z", "a3": 20, "b1": "no"})
    assert scores.overall == 50.0


def test_several_respondents_count_equally(small):
    manager = Scores({"a": 80.0, "b": 40.0}, None)
    floor = Scores({"a": 40.0, "b": None}, None)
    combined = combine(small, [manager, floor])
    assert combined.dimensions == {"a": 60.0, "b": 40.0}
    assert combined.overall == 45.0  # (60 + 3 × 40) / 4


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        ("a1", "3", 3),
        ("a2", "z", "z"),
        ("a3", "12,5", 12.5),
        ("a3", "1 0", 10),
        ("b1", "no", "no"),
        ("b2", ["r", "p"], ["p", "r"]),
        ("b2", [], []),
    ],
)
def test_clean_accepts(small, code, raw, expected):
    assert small.question(code).clean(raw) == expected


@pytest.mark.parametrize(
    ("code", "raw"),
    [
        ("a1", "6"),
        ("a1", "-1"),
        ("a1", "2.5"),
        ("a2", "w"),
        ("a3", "101"),
        ("a3", "-1"),
        ("a3", "tolv"),
        ("a3", "nan"),
        ("a3", "inf"),
        ("b1", "kanske"),
        ("b2", ["p", "hack"]),
        ("a1", ""),
    ],
)
def test_clean_refuses_out_of_range_and_tampered_answers(small, code, raw):
    with pytest.raises(AnswerError):
        small.question(code).clean(raw)


def test_versions_compare_only_through_a_declared_mapping(small):
    two = parse(version_two())
    assert dimension_map(small, two) == {"a": "flow"}
    assert dimension_map(two, small) == {"flow": "a"}
    assert dimension_map(small, small) == {"a": "a", "b": "b"}
    three = version_two()
    three["instrument"]["version"] = 3
    three["mapping"] = {}
    assert dimension_map(small, parse(three)) == {}


def test_percentile_edges():
    assert percentile(50, [10, 20, 30, 40]) is None  # fewer than 5 peers
    assert percentile(50, [10, 20, 30, 40, 60]) == 80.0
    assert percentile(10, [10, 10, 10, 10, 10]) == 50.0  # all tied: the middle
    assert percentile(5, [10, 20, 30, 40, 50]) == 0.0
    assert percentile(99, [10, 20, 30, 40, 50]) == 100.0
    assert percentile(30, [10, 20, 30, 30, 50, 60]) == 50.0  # 2 below + half of 2 ties


@given(st.floats(0, 100), st.lists(st.floats(0, 100), min_size=5, max_size=40))
def test_percentile_lies_between_0_and_100(value, peers):
    result = percentile(value, peers)
    assert result is not None
    assert 0 <= result <= 100


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["questions"][0].update(levels=r["questions"][0]["levels"][:5]), "6 levels"),
        (lambda r: r["questions"][3].update(dimension="nope"), "unknown dimension"),
        (
            lambda r: r["questions"][4].update(show_if={"question": "later", "equals": "yes"}),
            "earlier",
        ),
        (lambda r: r["bands"][1].update(min=60), "bands"),
        (lambda r: r["questions"][1]["options"][0].update(score=2), "between 0 and 1"),
        (lambda r: r["questions"][2].update(points=[[10, 0.0], [5, 1.0]]), "ascending"),
        (lambda r: r["dimensions"][0].update(name={"sv": "Bara svenska"}), "Swedish and English"),
        (lambda r: r.update(mapping={"from_version": 0, "dimensions": {"a": "zz"}}), "mapping"),
    ],
)
def test_a_broken_instrument_file_is_refused_with_a_reason(change, message):
    raw = copy.deepcopy(SMALL)
    change(raw)
    with pytest.raises(InstrumentError, match=message):
        parse(raw)


@pytest.mark.parametrize("name", ["lean-v1.toml", "digital-v1.toml"])
def test_shipped_instruments_parse_and_use_every_answer_type(name):
    with (INSTRUMENT_DIR / name).open("rb") as handle:
        definition = parse(tomllib.load(handle))
    types = {q.type for q in definition.questions}
    assert types == {"scale", "single", "multiple", "yesno", "number"}
    assert any(q.show_if for q in definition.questions)
    # A company at the top of every scale scores 100 in every dimension.
    best: dict[str, object] = {}
    for question in definition.questions:
        if question.type == "scale":
            best[question.code] = 5
        elif question.type == "single":
            best[question.code] = max(question.options, key=lambda o: o.score).code
        elif question.type == "multiple":
            best[question.code] = [o.code for o in question.options]
        elif question.type == "yesno":
            best[question.code] = "yes" if question.yes_score >= question.no_score else "no"
        else:
            best[question.code] = max(question.points, key=lambda p: p[1])[0]
    assert definition.score(best).overall == pytest.approx(100.0)
