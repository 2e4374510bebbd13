"""The layout the horizontal charts share (spread, bars, timeline): a row per category, a
column of category labels on the left, a value axis under the rows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .svg import (
    _FONT_SIZE,
    _LINE_HEIGHT,
    _MARGIN,
    AXIS_COLOUR,
    GRID_COLOUR,
    MUTED_TEXT_COLOUR,
    _baselines,
    _line,
    _text,
    _text_width,
    _wrap,
)

_BAND = 14.0  # height of one box or bar
_BAND_GAP = 4.0
_ROW_PADDING = 8.0


@dataclass(frozen=True)
class _Rows:
    """Where the rows of a horizontal chart go: one per category, ``bands`` bands in each."""

    top: float
    height: float  # of one row
    bands: int

    def row_top(self, row: int) -> float:
        return self.top + row * self.height

    def band_middle(self, row: int, band: int) -> float:
        content = self.bands * _BAND + (self.bands - 1) * _BAND_GAP
        first = self.row_top(row) + (self.height - content) / 2
        return first + band * (_BAND + _BAND_GAP) + _BAND / 2


def _rows(top: float, bands: int) -> _Rows:
    bands = max(bands, 1)
    content = bands * _BAND + (bands - 1) * _BAND_GAP
    return _Rows(top=top, height=max(content, 2 * _LINE_HEIGHT) + 2 * _ROW_PADDING, bands=bands)


def _category_column(categories: Sequence[str], width: float) -> float:
    """How wide the column of category labels is: the widest label, within reason."""
    widest = max((_text_width(label) for label in categories), default=0.0)
    return min(max(widest, 40.0), width * 0.28)


def _category_labels(
    categories: Sequence[str], rows: _Rows, column: float, right: float
) -> list[str]:
    """Category labels, right-aligned against ``right``, on at most two lines each."""
    parts = []
    for row, label in enumerate(categories):
        lines = _wrap(label, column)
        middle = rows.row_top(row) + rows.height / 2
        top = middle - len(lines) * _LINE_HEIGHT / 2
        for line, baseline in zip(lines, _baselines(top, len(lines)), strict=True):
            parts.append(_text(right, baseline, line, anchor="end"))
    return parts


def _value_axis(
    ticks: Sequence[tuple[float, str]], x0: float, x1: float, top: float, bottom: float
) -> list[str]:
    """Vertical grid lines at ``ticks`` (fraction of the axis, label), the zero line, and
    the tick labels under ``bottom``."""
    parts = []
    for fraction, label in ticks:
        x = x0 + (x1 - x0) * fraction
        stroke = AXIS_COLOUR if fraction == 0 else GRID_COLOUR
        parts.append(_line(x, top, x, bottom, stroke=stroke, stroke_width=1))
        parts.append(
            _text(x, bottom + 4 + _FONT_SIZE, label, anchor="middle", colour=MUTED_TEXT_COLOUR)
        )
    parts.append(_line(x0, bottom, x1, bottom, stroke=AXIS_COLOUR, stroke_width=1))
    return parts


def _row_rules(count: int, rows: _Rows, x0: float, x1: float) -> list[str]:
    """Faint lines between category rows."""
    return [
        _line(
            _MARGIN, rows.row_top(row), x1, rows.row_top(row), stroke=GRID_COLOUR, stroke_width=0.5
        )
        for row in range(1, count)
    ]


def _nice_scale(largest: float) -> tuple[float, float]:
    """A tick step and an axis end for values from 0 to ``largest``: about four steps of
    1, 2, 2.5 or 5 times a power of ten, and 0..1 when there is nothing above zero."""
    if largest <= 0:
        return 1.0, 1.0
    rough = largest / 4
    base = 10.0 ** math.floor(math.log10(rough))
    # 2.5 would need two decimals below 1; 1, 2 and 5 then give one.
    multiples = (1.0, 2.0, 2.5, 5.0, 10.0) if base >= 1 else (1.0, 2.0, 5.0, 10.0)
    step = next(m * base for m in multiples if m * base >= rough * (1 - 1e-9))
    return step, step * math.ceil(largest / step - 1e-9)
