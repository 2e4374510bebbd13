"""Box plots (spread of scores per dimension, T0 against T1) and the five-number summary
they draw."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from .axes import _BAND, _category_column, _category_labels, _row_rules, _rows, _value_axis
from .svg import (
    _FILL_OPACITY,
    _FONT_SIZE,
    _MARGIN,
    SeriesStyle,
    _at_least,
    _Attribute,
    _legend,
    _line,
    _marker,
    _positive,
    _svg,
    _tag,
    _text,
    _text_width,
    series_style,
    value_text,
)


@dataclass(frozen=True)
class FiveNumbers:
    """The summary a box plot draws (see :func:`five_numbers`)."""

    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float
    n: int


def five_numbers(values: Sequence[float]) -> FiveNumbers | None:
    """Minimum, quartiles, median and maximum of ``values``; ``None`` when there are none.

    Quartiles interpolate linearly between the two nearest ranks, as numpy's ``percentile``
    does by default ("linear") and ``statistics.quantiles(..., method="inclusive")`` does.
    """
    data = sorted(float(value) for value in values)
    if not data:
        return None
    if not all(math.isfinite(value) for value in data):
        raise ValueError("five_numbers() takes finite numbers only.")

    def quantile(fraction: float) -> float:
        position = (len(data) - 1) * fraction
        below = math.floor(position)
        above = min(below + 1, len(data) - 1)
        weight = position - below
        low, high = data[below], data[above]
        # numpy's _lerp: from the nearer end, so that the result stays between low and high.
        if weight >= 0.5:
            return high - (high - low) * (1 - weight)
        return low + (high - low) * weight

    return FiveNumbers(
        minimum=data[0],
        q1=quantile(0.25),
        median=quantile(0.5),
        q3=quantile(0.75),
        maximum=data[-1],
        n=len(data),
    )


def _box(
    low: float,
    q1: float,
    median: float,
    q3: float,
    high: float,
    y: float,
    height: float,
    style: SeriesStyle,
) -> str:
    """One box plot at x coordinates: whisker low–high with caps, box q1–q3, median."""
    half = height / 2
    outline: dict[str, _Attribute] = {
        "stroke": style.colour,
        "stroke-width": 1.5,
        "stroke-dasharray": style.dasharray,
    }
    return "".join(
        [
            _line(low, y, q1, y, **_underscored(outline)),
            _line(q3, y, high, y, **_underscored(outline)),
            _line(low, y - half * 0.6, low, y + half * 0.6, stroke=style.colour, stroke_width=1.5),
            _line(
                high, y - half * 0.6, high, y + half * 0.6, stroke=style.colour, stroke_width=1.5
            ),
            _tag(
                "rect",
                {
                    "x": q1,
                    "y": y - half,
                    "width": q3 - q1,
                    "height": height,
                    "fill": style.colour,
                    "fill-opacity": _FILL_OPACITY * 1.5,
                    **outline,
                },
            ),
            _line(median, y - half, median, y + half, stroke=style.colour, stroke_width=3),
        ]
    )


def _underscored(attributes: dict[str, _Attribute]) -> dict[str, _Attribute]:
    return {key.replace("-", "_"): value for key, value in attributes.items()}


def spread(
    categories: Sequence[str],
    groups: Sequence[tuple[str, Sequence[FiveNumbers | None]]],
    *,
    title: str,
    description: str = "",
    max_value: float = 100.0,
    width: int = 640,
) -> SafeString:
    """Horizontal box plots: a row per category and in it a box per group (say "T0" and
    "T1"): whisker from minimum to maximum, box from q1 to q3, a line at the median, and
    "n=…" at the right (``None`` draws no box and says n=0). The axis runs from 0 to
    ``max_value`` with a tick every 25 %; the legend is under it."""
    max_value = _positive(max_value, "max_value")
    _at_least(width, 320, "width")
    categories, labels = [str(item) for item in categories], [str(label) for label, _ in groups]
    stats: list[list[FiveNumbers | None]] = []
    for label, (_, numbers) in zip(labels, groups, strict=True):
        if len(numbers) not in (0, len(categories)):
            raise ValueError(
                f"{label!r} has {len(numbers)} summaries for {len(categories)} categories."
            )
        stats.append(list(numbers) or [None] * len(categories))

    column = _category_column(categories, width)
    x0 = _MARGIN + column + 12
    counts = [f"n={summary.n if summary else 0}" for row in stats for summary in row]
    count_column = 16 + max((_text_width(text, 11) for text in counts), default=0.0)
    x1 = width - _MARGIN - max(count_column, 48.0)
    rows = _rows(_MARGIN, len(groups))
    top, bottom = rows.top, rows.row_top(len(categories))

    def x(value: float) -> float:
        return x0 + (x1 - x0) * min(max(value, 0.0), max_value) / max_value

    ticks = [
        (fraction, value_text(max_value * fraction, decimals=2))
        for fraction in (0.0, 0.25, 0.5, 0.75, 1.0)
    ]
    parts = _value_axis(ticks, x0, x1, top, bottom)
    parts.extend(_row_rules(len(categories), rows, x0, x1))
    parts.extend(_category_labels(categories, rows, column, x0 - 8))
    for band, row_stats in enumerate(stats):
        style = series_style(band)
        for row, summary in enumerate(row_stats):
            y = rows.band_middle(row, band)
            if summary is not None:
                parts.append(
                    _box(
                        x(summary.minimum),
                        x(summary.q1),
                        x(summary.median),
                        x(summary.q3),
                        x(summary.maximum),
                        y,
                        _BAND,
                        style,
                    )
                )
            parts.append(_marker(style.marker, x1 + 10, y, style.colour, size=3.5))
            parts.append(_text(x1 + 18, y + 11 * 0.35, f"n={summary.n if summary else 0}", size=11))

    legend_top = bottom + 4 + _FONT_SIZE + 12
    legend, legend_height = _legend(labels, _box_sample, legend_top, width)
    parts.extend(legend)
    height = legend_top + legend_height + _MARGIN
    return _svg("spread", title, description, width, height, "".join(parts))


def _box_sample(x: float, y: float, style: SeriesStyle) -> str:
    return _box(x, x + 4, x + 9, x + 14, x + 18, y, 10, style) + _marker(
        style.marker, x + 25, y, style.colour
    )
