"""Impact statistics: how much a KPI changed, how sure we are, and compared with whom.

Funders ask for effects "with their uncertainty and against a comparison group". This module
gives two answers, as pure functions over plain numbers (no models, no database):

``paired_change``: one group of companies, each measured before and after the program. The
effect is the mean of each company's own change (after minus before), in the KPI's own unit.
Pairing matters: companies differ far more from each other than from themselves a year later,
so comparing a company with itself removes that spread from the estimate.

``difference_in_differences``: the same, for a treated group and a comparison group that was
measured at the same times but did not take part. The effect is the treated group's mean
change minus the comparison group's mean change.

Why a percentile bootstrap of the mean paired change. Our groups are small (often a few
dozen companies) and KPI changes are rarely bell-shaped: a few companies change a lot. A
bootstrap makes no assumption about that shape. It asks: "if we had drawn a different set of
companies like these, how different would the mean change have been?" and answers it by
drawing, many times over (``BOOTSTRAP_SAMPLES``), a new group of the same size from our own
companies with replacement, and taking the mean change of each. The middle 95 % of those
means (from the 2.5th to the 97.5th percentile) is the interval. It is simple to explain, it
stays inside the range of the observed changes, and it needs at least two companies: with
one there is nothing to resample, so the interval is ``None``. Like any method, it is rough
for very small groups, which is why groups under ``SMALL_GROUP`` are flagged (still shown,
never hidden).

Why resample companies. The company is the unit that took part in the program, so the
company is what we resample: its before and after values travel together as one change, and
in difference-in-differences each group is resampled on its own, as it was drawn on its own.
Resampling single measurements instead would break the pairing and pretend we had more
independent evidence than we have.

What difference-in-differences assumes. That without the program the treated companies'
KPI would have moved on average like the comparison group's did ("parallel trends"). The
comparison group then stands in for what would have happened anyway (the economy, the
season, the industry), and subtracting its change removes that common trend.

What it does not prove. The parallel-trends assumption cannot be checked from two
measurements; it is a judgement about how the comparison group was chosen. If companies
chose to join because they were already on the way up, or the comparison group differs in
size, sector or region in ways that move the KPI, the difference is not the program's
effect. The interval covers only sampling uncertainty (which companies happened to be
measured), not measurement error, attrition (companies that dropped out have no "after"
value and are not counted) or a poor comparison group. An interval that excludes zero says
the change is unlikely to be chance alone; it does not say the program caused it.

Reproducibility: every call draws from ``numpy.random.default_rng(seed)`` with a fixed
default seed, so the same inputs and seed give the same floats on every run and every page.
Results are plain Python floats. Missing values (``None`` or NaN) on either side of a pair
drop that pair; ``n`` counts the complete pairs. Infinite values are an error, not missing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: Groups with fewer complete pairs than this are flagged as small: shown, with a warning,
#: never hidden.
SMALL_GROUP = 10
#: How many resampled groups the bootstrap draws.
BOOTSTRAP_SAMPLES = 4000
#: The default seed, so a page shows the same interval every time it is drawn.
DEFAULT_SEED = 20260101

_LEVEL = 0.95
_QUANTILES = ((1 - _LEVEL) / 2, 1 - (1 - _LEVEL) / 2)  # 2.5 % and 97.5 %

Values = Sequence[float | None]
_Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Interval:
    """A confidence interval ``[low, high]`` at ``level`` (0.95 is a 95 % interval)."""

    low: float
    high: float
    level: float = _LEVEL

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise ValueError(f"interval low {self.low} is above high {self.high}")
        if not 0 < self.level < 1:
            raise ValueError(f"interval level {self.level} is not between 0 and 1")

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies in the interval, ends included."""
        return self.low <= x <= self.high


@dataclass(frozen=True)
class PairedChange:
    """Before and after for one group of companies, each compared with itself."""

    n: int
    mean_before: float | None
    mean_after: float | None
    #: Mean of (after - before), in the KPI's unit.
    mean_change: float | None
    #: Percentile bootstrap 95 % interval of the mean change (``None`` when ``n < 2``).
    interval: Interval | None
    #: Share (0-1) of companies whose change goes strictly in the better direction.
    share_improved: float | None
    #: ``n < SMALL_GROUP``.
    small: bool


@dataclass(frozen=True)
class DifferenceInDifferences:
    """The treated group's mean change minus the comparison group's."""

    n_treated: int
    n_comparison: int
    change_treated: float | None
    change_comparison: float | None
    #: ``change_treated - change_comparison``.
    effect: float | None
    #: Percentile bootstrap 95 % interval of the effect: companies resampled within each group
    #: independently (``None`` unless both groups have at least two complete pairs).
    interval: Interval | None
    #: Either group has fewer than ``SMALL_GROUP`` complete pairs.
    small: bool


def paired_change(
    before: Values,
    after: Values,
    *,
    higher_is_better: bool = True,
    seed: int = DEFAULT_SEED,
    samples: int = BOOTSTRAP_SAMPLES,
) -> PairedChange:
    """The mean change of a KPI over one group of companies, with its bootstrap interval.

    ``before[i]`` and ``after[i]`` are the same company. Pairs with ``None`` or NaN on either
    side are dropped. Raises ``ValueError`` when the lengths differ, a value is infinite, or
    ``samples`` is below 1.
    """
    _check_samples(samples)
    changes, kept_before, kept_after = _complete_pairs(before, after)
    n = len(changes)
    small = n < SMALL_GROUP
    if n == 0:
        return PairedChange(
            n=0,
            mean_before=None,
            mean_after=None,
            mean_change=None,
            interval=None,
            share_improved=None,
            small=small,
        )
    improved = changes > 0 if higher_is_better else changes < 0
    # A mean of changes lies between the smallest and largest change. Floating-point sums can
    # overshoot by the last bit (three changes of 0.1 have a mean of 0.10000000000000002), so
    # means are clipped to that range: this removes rounding, never a real value, and keeps
    # the mean inside the interval when every company changed by the same amount.
    smallest, largest = float(changes.min()), float(changes.max())
    mean_change = min(max(float(np.mean(changes)), smallest), largest)
    interval = None
    if n >= 2:
        rng = np.random.default_rng(seed)
        means = _bootstrap_means(rng, changes, samples)
        low, high = _percentiles(means)
        interval = Interval(min(max(low, smallest), largest), min(max(high, smallest), largest))
    return PairedChange(
        n=n,
        mean_before=float(np.mean(kept_before)),
        mean_after=float(np.mean(kept_after)),
        mean_change=mean_change,
        interval=interval,
        share_improved=float(np.mean(improved)),
        small=small,
    )


def difference_in_differences(
    treated_before: Values,
    treated_after: Values,
    comparison_before: Values,
    comparison_after: Values,
    *,
    seed: int = DEFAULT_SEED,
    samples: int = BOOTSTRAP_SAMPLES,
) -> DifferenceInDifferences:
    """The treated group's mean change minus the comparison group's, with a bootstrap interval.

    Each group is a list of companies measured before and after; the pairs are cleaned as in
    ``paired_change``. The bootstrap resamples companies within each group independently, from
    one generator seeded with ``seed``. Raises ``ValueError`` when a group's lengths differ, a
    value is infinite, or ``samples`` is below 1.
    """
    _check_samples(samples)
    treated, _, _ = _complete_pairs(treated_before, treated_after)
    comparison, _, _ = _complete_pairs(comparison_before, comparison_after)
    n_treated, n_comparison = len(treated), len(comparison)
    change_treated = float(np.mean(treated)) if n_treated else None
    change_comparison = float(np.mean(comparison)) if n_comparison else None
    effect = None
    if change_treated is not None and change_comparison is not None:
        effect = change_treated - change_comparison
    interval = None
    if n_treated >= 2 and n_comparison >= 2:
        rng = np.random.default_rng(seed)
        effects = _bootstrap_means(rng, treated, samples) - _bootstrap_means(
            rng, comparison, samples
        )
        low, high = _percentiles(effects)
        interval = Interval(low, high)
    return DifferenceInDifferences(
        n_treated=n_treated,
        n_comparison=n_comparison,
        change_treated=change_treated,
        change_comparison=change_comparison,
        effect=effect,
        interval=interval,
        small=n_treated < SMALL_GROUP or n_comparison < SMALL_GROUP,
    )


def _check_samples(samples: int) -> None:
    if samples < 1:
        raise ValueError(f"samples must be at least 1, not {samples}")


def _as_array(values: Values) -> _Array:
    """``values`` as floats, ``None`` as NaN."""
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


def _complete_pairs(before: Values, after: Values) -> tuple[_Array, _Array, _Array]:
    """The changes (after - before), before and after of the pairs with both values."""
    if len(before) != len(after):
        raise ValueError(f"before has {len(before)} values but after has {len(after)}")
    b, a = _as_array(before), _as_array(after)
    if np.isinf(b).any() or np.isinf(a).any():
        raise ValueError("a value is infinite")
    complete = ~(np.isnan(b) | np.isnan(a))
    b, a = b[complete], a[complete]
    return a - b, b, a


#: Resample indexes drawn at once at most (8 bytes each): bounds a bootstrap's memory.
_DRAW_CHUNK = 1_000_000


def _bootstrap_means(rng: np.random.Generator, values: _Array, samples: int) -> _Array:
    """The means of ``samples`` resamples of ``values`` with replacement.

    Drawn in chunks of whole resamples, so that memory stays about ``16 * _DRAW_CHUNK``
    bytes whatever the group's size (one draw of 4,000 resamples of 6,000 companies
    held 384 MB). The generator yields the same stream in chunks as in one draw, so the
    means, and the interval, are the same as before (a test compares them)."""
    size = len(values)
    per_chunk = max(1, _DRAW_CHUNK // max(size, 1))
    means: _Array = np.empty(samples)
    for start in range(0, samples, per_chunk):
        stop = min(start + per_chunk, samples)
        index = rng.integers(0, size, size=(stop - start, size))
        means[start:stop] = values[index].mean(axis=1)
    return means


def _percentiles(estimates: _Array) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of ``estimates``."""
    low, high = np.quantile(estimates, _QUANTILES)
    return float(low), float(high)
