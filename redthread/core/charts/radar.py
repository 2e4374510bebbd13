"""The radar (spider) chart: a company's scores per dimension, one polygon per round."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.safestring import SafeString

from .svg import (
    _FILL_OPACITY,
    _MARGIN,
    _SMALL_FONT_SIZE,
    AXIS_COLOUR,
    GRID_COLOUR,
    MUTED_TEXT_COLOUR,
    Series,
    _at_least,
    _baselines,
    _legend,
    _line,
    _line_sample,
    _marker,
    _positive,
    _svg,
    _tag,
    _text,
    _values,
    _wrap,
    coordinate,
    series_style,
    value_text,
)


def radar(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    max_value: float = 100.0,
    size: int = 420,
) -> SafeString:
    """A spider chart: one spoke per axis, the first at 12 o'clock and the rest clockwise,
    rings at 25, 50, 75 and 100 % of ``max_value``, and for each series a closed polygon
    with a marker at every value. ``None`` values are left out (the polygon joins the
    others); a series with fewer than three values gets markers only. ``size`` is the width;
    the height grows with the legend under the chart."""
    max_value = _positive(max_value, "max_value")
    _at_least(size, 240, "size")
    # str(): labels may be lazy translations.
    axes, labels = [str(axis) for axis in axes], [str(item.label) for item in series]
    count = len(axes)
    rows = [_values(item.values, count, label) for item, label in zip(series, labels, strict=True)]

    side = max(80.0, size * 0.23)  # room for the labels left and right of the rim
    font = 11.0  # axis labels
    line_height = font * 1.25
    radius = size / 2 - side
    label_gap = 10.0
    cx = size / 2
    cy = 2 * line_height + label_gap + 6 + radius
    parts: list[str] = []

    def angle(index: int) -> float:
        return 2 * math.pi * index / count

    def point(index: int, distance: float) -> tuple[float, float]:
        return (
            cx + distance * math.sin(angle(index)),
            cy - distance * math.cos(angle(index)),
        )

    def distance(value: float) -> float:
        return radius * min(max(value, 0.0), max_value) / max_value

    # Rings: polygons along the spokes, or circles while there are too few spokes for one.
    for fraction in (0.25, 0.5, 0.75, 1.0):
        ring = radius * fraction
        stroke = AXIS_COLOUR if fraction == 1.0 else GRID_COLOUR
        if count >= 3:
            points = " ".join(
                f"{coordinate(x)},{coordinate(y)}"
                for x, y in (point(i, ring) for i in range(count))
            )
            parts.append(
                _tag(
                    "polygon",
                    {"points": points, "fill": "none", "stroke": stroke, "stroke-width": 1},
                )
            )
        else:
            parts.append(
                _tag(
                    "circle",
                    {
                        "cx": cx,
                        "cy": cy,
                        "r": ring,
                        "fill": "none",
                        "stroke": stroke,
                        "stroke-width": 1,
                    },
                )
            )
    for index in range(count):
        x, y = point(index, radius)
        parts.append(_line(cx, cy, x, y, stroke=GRID_COLOUR, stroke_width=1))
    # Ring values, just inside each ring, right of the first spoke.
    for fraction in (0.25, 0.5, 0.75, 1.0):
        parts.append(
            _text(
                cx + 6,
                cy - radius * fraction + _SMALL_FONT_SIZE + 1,
                value_text(max_value * fraction, decimals=2),
                size=_SMALL_FONT_SIZE,
                colour=MUTED_TEXT_COLOUR,
            )
        )
    # Axis labels outside the rim, anchored away from it.
    for index, label in enumerate(axes):
        sine, cosine = math.sin(angle(index)), math.cos(angle(index))
        x, y = point(index, radius + label_gap)
        if abs(sine) < 0.15:
            anchor, room = "middle", min(2 * min(x, size - x) - 2 * _MARGIN, size * 0.5)
        elif sine > 0:
            anchor, room = "start", size - _MARGIN / 2 - x
        else:
            anchor, room = "end", x - _MARGIN / 2
        lines = _wrap(label, room, font)
        # Above the rim the block ends at the label point, below it starts there, and at
        # the sides it is centred on it.
        top = y - len(lines) * line_height * (1 + cosine) / 2
        for line, baseline in zip(lines, _baselines(top, len(lines), font), strict=True):
            parts.append(_text(x, baseline, line, anchor=anchor, size=font))
    # Series: all polygons first, then all markers, so that no line hides a point.
    markers: list[str] = []
    for index, values in enumerate(rows):
        style = series_style(index)
        points_drawn = [point(i, distance(v)) for i, v in enumerate(values) if v is not None]
        if len(points_drawn) >= 3:
            parts.append(
                _tag(
                    "polygon",
                    {
                        "points": " ".join(
                            f"{coordinate(x)},{coordinate(y)}" for x, y in points_drawn
                        ),
                        "fill": style.colour,
                        "fill-opacity": _FILL_OPACITY,
                        "stroke": style.colour,
                        "stroke-width": 2,
                        "stroke-dasharray": style.dasharray,
                        "stroke-linejoin": "round",
                    },
                )
            )
        markers.extend(_marker(style.marker, x, y, style.colour) for x, y in points_drawn)
    parts.extend(markers)

    legend_top = cy + radius + label_gap + 2 * line_height + 10
    legend, legend_height = _legend(labels, _line_sample, legend_top, size)
    parts.extend(legend)
    height = legend_top + legend_height + _MARGIN
    return _svg("radar", title, description, size, height, "".join(parts))
