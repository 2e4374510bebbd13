"""A plan over weeks: a row per step with a bar from its first to its last week, and a
dashed line at each point in time where the company is measured."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from .axes import _BAND, _category_column, _category_labels, _nice_scale, _row_rules, _rows
from .svg import (
    _FONT_SIZE,
    _MARGIN,
    _SMALL_FONT_SIZE,
    AXIS_COLOUR,
    GRID_COLOUR,
    MUTED_TEXT_COLOUR,
    TEXT_COLOUR,
    _at_least,
    _line,
    _positive,
    _svg,
    _tag,
    _text,
    _text_width,
    series_style,
    value_text,
)


@dataclass(frozen=True)
class TimelineStep:
    """One row: ``label`` from week ``start`` for ``length`` weeks, in ``colour`` (a
    colour at least 3:1 against white; the first series colour when none is given)."""

    label: str
    start: float
    length: float
    colour: str = ""


@dataclass(frozen=True)
class TimelinePoint:
    """A moment on the plan (say a measurement), drawn as a dashed line at ``week``."""

    label: str
    week: float


def timeline(
    steps: Sequence[TimelineStep],
    points: Sequence[TimelinePoint],
    *,
    weeks: float,
    title: str,
    description: str = "",
    axis_label: str = "",
    width: int = 720,
) -> SafeString:
    """The plan as a chart: the axis runs from week 0 to ``weeks`` (a bar or a point past
    it is drawn at the end), each step is a bar in its row with its label on the left, each
    point a dashed vertical line labelled above the rows. ``axis_label`` is written under
    the axis (say "Vecka")."""
    weeks = _positive(weeks, "weeks")
    _at_least(width, 320, "width")
    labels = [str(step.label) for step in steps]
    column = _category_column(labels, width)
    x0 = _MARGIN + column + 12
    x1 = width - _MARGIN - 8
    top = _MARGIN + _SMALL_FONT_SIZE + 6  # room for the points' labels
    rows = _rows(top, 1)
    bottom = rows.row_top(max(len(steps), 1))

    def x(week: float) -> float:
        return x0 + (x1 - x0) * min(max(float(week), 0.0), weeks) / weeks

    step, _end = _nice_scale(weeks)
    step = max(step, 1.0)  # whole weeks only
    parts: list[str] = []
    tick = 0.0
    while tick <= weeks + 1e-9:
        stroke = AXIS_COLOUR if tick == 0 else GRID_COLOUR
        parts.append(_line(x(tick), top, x(tick), bottom, stroke=stroke, stroke_width=1))
        parts.append(
            _text(
                x(tick),
                bottom + 4 + _FONT_SIZE,
                value_text(tick, 0),
                anchor="middle",
                colour=MUTED_TEXT_COLOUR,
            )
        )
        tick += step
    parts.append(_line(x0, bottom, x1, bottom, stroke=AXIS_COLOUR, stroke_width=1))
    parts.extend(_row_rules(len(steps), rows, x0, x1))
    parts.extend(_category_labels(labels, rows, column, x0 - 8))
    default = series_style(0).colour
    for row, item in enumerate(steps):
        start = x(item.start)
        end = max(x(float(item.start) + max(float(item.length), 0.0)), start + 2)
        parts.append(
            _tag(
                "rect",
                {
                    "x": start,
                    "y": rows.band_middle(row, 0) - _BAND / 2,
                    "width": end - start,
                    "height": _BAND,
                    "rx": 2,
                    "fill": item.colour or default,
                },
            )
        )
    for point in points:
        at = x(point.week)
        parts.append(
            _line(
                at,
                top - 2,
                at,
                bottom,
                stroke=TEXT_COLOUR,
                stroke_width=1.5,
                stroke_dasharray="4 3",
            )
        )
        text = str(point.label)
        anchor = "middle"
        if at - _text_width(text, _SMALL_FONT_SIZE) / 2 < _MARGIN:
            anchor = "start"
        elif at + _text_width(text, _SMALL_FONT_SIZE) / 2 > width - _MARGIN:
            anchor = "end"
        parts.append(_text(at, top - 6, text, anchor=anchor, size=_SMALL_FONT_SIZE))
    height = bottom + 4 + _FONT_SIZE + 6
    if axis_label:
        parts.append(_text((x0 + x1) / 2, height + _FONT_SIZE, str(axis_label), anchor="middle"))
        height += _FONT_SIZE + 6
    return _svg("timeline", title, description, width, height + _MARGIN, "".join(parts))
