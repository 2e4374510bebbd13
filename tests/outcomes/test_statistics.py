"""Impact statistics: hand-computed values, planted effects, scipy as a reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats  # scipy ships no type stubs
from hypothesis import given, settings
from hypothesis import strategies as st

from redthread.outcomes.statistics import (
    BOOTSTRAP_SAMPLES,
    DEFAULT_SEED,
    SMALL_GROUP,
    DifferenceInDifferences,
    Interval,
    PairedChange,
    difference_in_differences,
    paired_change,
)

# scipy draws from another random stream than ours, so the two intervals differ by Monte
# Carlo noise only; allow this share of the interval's width (measured: about 0.035 at most).
SCIPY_TOLERANCE = 0.15


def _companies(seed: int, n: int, trend: float) -> tuple[list[float], list[float]]:
    """``n`` companies: before ~ N(100, 15), after = before + trend + N(0, 4)."""
    rng = np.random.default_rng(seed)
    before = rng.normal(100, 15, n)
    after = before + trend + rng.normal(0, 4, n)
    return before.tolist(), after.tolist()


def _floats(result: PairedChange | DifferenceInDifferences) -> list[object]:
    """Every number a result holds, apart from the counts."""
    counts = {"n", "n_treated", "n_comparison", "small", "interval"}
    values: list[object] = [v for k, v in vars(result).items() if k not in counts]
    if result.interval is not None:
        values += [result.interval.low, result.interval.high, result.interval.level]
    return values


# --- paired change: hand-computed -------------------------------------------------------------


def test_hand_computed_example():
    result = paired_change([1, 2, 3], [2, 4, 6])
    assert result.n == 3
    assert result.mean_before == 2.0
    assert result.mean_after == 4.0
    assert result.mean_change == 2.0
    assert result.share_improved == 1.0
    assert result.small is True
    # Changes 1, 2, 3: a resample is all ones (or all threes) with probability 1/27 > 2.5 %,
    # so the percentile interval is exactly the smallest and largest change.
    assert result.interval == Interval(1.0, 3.0)


def test_lower_is_better_flips_the_share_improved():
    result = paired_change([1, 2, 3], [2, 4, 6], higher_is_better=False)
    assert result.share_improved == 0.0
    assert result.mean_change == 2.0  # the change keeps its sign, only the verdict flips


def test_no_change_is_not_an_improvement_either_way():
    before, after = [10, 10, 10, 10], [11, 9, 10, 12]
    assert paired_change(before, after).share_improved == 0.5
    assert paired_change(before, after, higher_is_better=False).share_improved == 0.25


def test_equal_changes_give_a_point_interval_that_holds_the_mean():
    # 0.1 + 0.1 + 0.1 is 0.30000000000000004 in floating point: the mean must not drift
    # above the only change there is.
    result = paired_change([0, 0, 0], [0.1, 0.1, 0.1])
    assert result.mean_change == 0.1
    assert result.interval == Interval(0.1, 0.1)
    assert result.interval.contains(result.mean_change)


def test_results_are_plain_python_floats():
    result = paired_change([1, 2, 3, 4], [2, 4, 6, 9])
    assert all(type(v) is float for v in _floats(result))
    did = difference_in_differences([0, 0, 1], [2, 4, 3], [5, 5, 2], [6, 6, 4])
    assert all(type(v) is float for v in _floats(did))


# --- paired change: planted effects -----------------------------------------------------------


def test_planted_effect_is_recovered_inside_its_interval():
    before, after = _companies(seed=1, n=60, trend=5)
    result = paired_change(before, after)
    assert result.n == 60
    assert result.small is False
    assert result.interval is not None
    assert result.interval.contains(5)
    assert not result.interval.contains(0)
    assert result.mean_change is not None
    assert result.interval.low < result.mean_change < result.interval.high


def test_no_effect_gives_an_interval_that_contains_zero():
    before, after = _companies(seed=1, n=60, trend=0)
    result = paired_change(before, after)
    assert result.interval is not None
    assert result.interval.contains(0)


def test_interval_agrees_with_scipy_percentile_bootstrap():
    rng = np.random.default_rng(7)
    before = rng.normal(100, 15, 200)
    # A skewed change, so that the percentile interval is not simply symmetric.
    after = before + rng.gamma(2, 3, 200) - 4
    changes = after - before
    result = paired_change(before.tolist(), after.tolist())
    reference = scipy.stats.bootstrap(
        (changes,),
        np.mean,
        method="percentile",
        confidence_level=0.95,
        n_resamples=BOOTSTRAP_SAMPLES,
        rng=np.random.default_rng(12345),
    ).confidence_interval
    width = reference.high - reference.low
    assert result.interval is not None
    assert result.interval.low == pytest.approx(reference.low, abs=SCIPY_TOLERANCE * width)
    assert result.interval.high == pytest.approx(reference.high, abs=SCIPY_TOLERANCE * width)
    assert result.mean_change == pytest.approx(float(np.mean(changes)))


# --- difference in differences ----------------------------------------------------------------


def test_did_hand_computed_example():
    # Treated changes 2 and 4 (mean 3), comparison changes 1 and 1 (mean 1): effect 2.
    result = difference_in_differences([0, 0], [2, 4], [5, 7], [6, 8])
    assert result.n_treated == 2
    assert result.n_comparison == 2
    assert result.change_treated == 3.0
    assert result.change_comparison == 1.0
    assert result.effect == 2.0
    assert result.small is True
    # Resampled treated means are 2, 3 or 4 (1/4, 1/2, 1/4), the comparison's always 1.
    assert result.interval == Interval(1.0, 3.0)


def test_did_recovers_a_planted_effect_over_a_common_trend():
    treated = _companies(seed=2, n=60, trend=3 + 4)
    comparison = _companies(seed=3, n=60, trend=3)
    result = difference_in_differences(*treated, *comparison)
    assert result.effect == pytest.approx(4, abs=1)
    assert result.interval is not None
    assert result.interval.contains(4)
    assert not result.interval.contains(0)
    assert result.small is False


def test_did_without_treatment_effect_contains_zero():
    treated = _companies(seed=2, n=60, trend=3)
    comparison = _companies(seed=3, n=60, trend=3)
    result = difference_in_differences(*treated, *comparison)
    assert result.interval is not None
    assert result.interval.contains(0)


def test_did_interval_agrees_with_scipy_two_sample_bootstrap():
    treated = _companies(seed=4, n=150, trend=7)
    comparison = _companies(seed=5, n=120, trend=3)
    result = difference_in_differences(*treated, *comparison)

    def effect(t: np.ndarray, c: np.ndarray, axis: int) -> np.ndarray:
        difference: np.ndarray = t.mean(axis=axis) - c.mean(axis=axis)
        return difference

    changes = [np.subtract(after, before) for before, after in (treated, comparison)]
    reference = scipy.stats.bootstrap(
        tuple(changes),
        effect,
        method="percentile",
        n_resamples=BOOTSTRAP_SAMPLES,
        rng=np.random.default_rng(12345),
    ).confidence_interval
    width = reference.high - reference.low
    assert result.interval is not None
    assert result.interval.low == pytest.approx(reference.low, abs=SCIPY_TOLERANCE * width)
    assert result.interval.high == pytest.approx(reference.high, abs=SCIPY_TOLERANCE * width)


def test_did_with_an_empty_group_has_no_effect():
    result = difference_in_differences([1, 2], [3, 6], [], [])
    assert result.change_treated == 3.0
    assert result.change_comparison is None
    assert result.effect is None
    assert result.interval is None
    assert result.small is True


def test_did_with_a_single_company_in_a_group_has_an_effect_but_no_interval():
    result = difference_in_differences([1, 2], [3, 6], [1], [2])
    assert result.effect == 2.0
    assert result.interval is None


# --- reproducibility --------------------------------------------------------------------------


def test_same_seed_gives_identical_results():
    before, after = _companies(seed=1, n=30, trend=2)
    assert paired_change(before, after) == paired_change(before, after, seed=DEFAULT_SEED)
    assert paired_change(before, after, seed=5) == paired_change(before, after, seed=5)
    treated, comparison = _companies(seed=2, n=30, trend=5), _companies(seed=3, n=30, trend=2)
    assert difference_in_differences(*treated, *comparison, seed=5) == (
        difference_in_differences(*treated, *comparison, seed=5)
    )


def test_different_seed_gives_different_bounds():
    before, after = _companies(seed=1, n=30, trend=2)
    one, other = paired_change(before, after, seed=1), paired_change(before, after, seed=2)
    assert one.mean_change == other.mean_change
    assert one.interval is not None
    assert other.interval is not None
    assert one.interval.low != other.interval.low
    assert one.interval.high != other.interval.high
    treated, comparison = _companies(seed=2, n=30, trend=5), _companies(seed=3, n=30, trend=2)
    did_one = difference_in_differences(*treated, *comparison, seed=1)
    did_other = difference_in_differences(*treated, *comparison, seed=2)
    assert did_one.effect == did_other.effect
    assert did_one.interval != did_other.interval


# --- small groups and missing values ----------------------------------------------------------


def test_small_groups_are_flagged_not_hidden():
    below = paired_change(list(range(SMALL_GROUP - 1)), [x + 1 for x in range(SMALL_GROUP - 1)])
    assert below.n == 9
    assert below.small is True
    assert below.mean_change == 1.0
    assert below.interval is not None
    at = paired_change(list(range(SMALL_GROUP)), [x + 1 for x in range(SMALL_GROUP)])
    assert at.n == 10
    assert at.small is False


def test_did_is_small_when_either_group_is():
    ten, nine = list(range(10)), list(range(9))
    assert difference_in_differences(ten, ten, ten, ten).small is False
    assert difference_in_differences(nine, nine, ten, ten).small is True
    assert difference_in_differences(ten, ten, nine, nine).small is True


def test_one_company_has_a_change_but_no_interval():
    result = paired_change([3], [5])
    assert result.n == 1
    assert result.mean_change == 2.0
    assert result.share_improved == 1.0
    assert result.interval is None
    assert result.small is True


def test_no_companies_gives_nothing():
    result = paired_change([], [])
    assert result == PairedChange(
        n=0,
        mean_before=None,
        mean_after=None,
        mean_change=None,
        interval=None,
        share_improved=None,
        small=True,
    )
    assert paired_change([None], [1.0]) == result


def test_pairs_with_a_missing_value_are_dropped():
    result = paired_change([1, None, 3, math.nan, 5], [2, 4, None, 7, 9])
    assert result.n == 2  # (1, 2) and (5, 9)
    assert result.mean_before == 3.0
    assert result.mean_after == 5.5
    assert result.mean_change == 2.5
    did = difference_in_differences([1, None, 3], [2, 4, math.nan], [0, 0], [1, None])
    assert (did.n_treated, did.n_comparison) == (1, 1)
    assert did.effect == 0.0


def test_mismatched_lengths_raise():
    with pytest.raises(ValueError, match="before has 2 values but after has 3"):
        paired_change([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="before has 1 values"):
        difference_in_differences([1, 2], [1, 2], [1], [1, 2])


def test_infinite_values_and_no_samples_raise():
    with pytest.raises(ValueError, match="infinite"):
        paired_change([1, 2], [math.inf, 3])
    with pytest.raises(ValueError, match="samples"):
        paired_change([1, 2], [3, 4], samples=0)


def test_interval_checks_its_ends():
    assert Interval(1, 2).contains(1)
    assert Interval(1, 2).contains(2)
    assert not Interval(1, 2).contains(2.5)
    with pytest.raises(ValueError, match="above"):
        Interval(2, 1)


# --- properties -------------------------------------------------------------------------------

_value = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(_value, _value), min_size=2, max_size=30), st.integers(0, 2**32))
def test_interval_lies_within_the_observed_changes(pairs, seed):
    before = [b for b, _ in pairs]
    after = [a for _, a in pairs]
    changes = [a - b for b, a in pairs]
    result = paired_change(before, after, seed=seed)
    assert result.interval is not None
    assert min(changes) <= result.interval.low <= result.interval.high <= max(changes)
    assert result.mean_change is not None
    assert min(changes) <= result.mean_change <= max(changes)
    assert result.n == len(pairs)


@pytest.mark.parametrize("size", [1, 3, 7, 1_001, 6_001])
def test_the_chunked_bootstrap_draws_the_same_means_as_one_draw(size):
    """The resamples are drawn in chunks to bound memory; the generator's stream is the
    same, so every mean (and so every interval) equals one draw of all resamples."""
    from redthread.outcomes import statistics

    values = np.random.default_rng(1).normal(size=size)
    one_draw = values[
        np.random.default_rng(7).integers(0, size, size=(BOOTSTRAP_SAMPLES, size))
    ].mean(axis=1)
    chunked = statistics._bootstrap_means(np.random.default_rng(7), values, BOOTSTRAP_SAMPLES)
    assert np.array_equal(one_draw, chunked)
