"""Horizontal grouped bars: counts or amounts per category."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.safestring import SafeString

from .axes import (
    _BAND,
    _category_column,
    _category_labels,
    _nice_scale,
    _row_rules,
    _rows,
    _value_axis,
)
from .svg import (
    _FONT_SIZE,
    _MARGIN,
    _NBSP,
    Series,
    _at_least,
    _bar_sample,
    _legend,
    _marker,
    _svg,
    _tag,
    _text,
    _text_width,
    _values,
    series_style,
    value_text,
)


def bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    width: int = 640,
    number_format: Callable[[float], str] = value_text,
) -> SafeString:
    """Horizontal grouped bars: a row per category and in it a bar per series, each with
    the series' marker and its value (``number_format``, then ``unit``) at its end. The axis
    runs from 0 to a round number at or above the largest value. ``None`` draws no bar;
    negative values are refused (the axis starts at 0)."""
    _at_least(width, 320, "width")
    categories, labels = [str(item) for item in categories], [str(item.label) for item in series]
    unit = str(unit)
    rows_values = [
        _values(item.values, len(categories), label)
        for item, label in zip(series, labels, strict=True)
    ]
    present = [value for values in rows_values for value in values if value is not None]
    if any(value < 0 for value in present):
        raise ValueError("bars() draws values from 0 up; got a negative value.")
    step, end = _nice_scale(max(present, default=0.0))

    def label(value: float) -> str:
        text = number_format(value)
        return f"{text}{_NBSP}{unit}" if unit else text

    value_labels = [[None if v is None else label(v) for v in values] for values in rows_values]
    widest = max(
        (_text_width(text, 11) for labels in value_labels for text in labels if text),
        default=0.0,
    )
    column = _category_column(categories, width)
    x0 = _MARGIN + column + 12
    x1 = width - _MARGIN - max(widest + 18, 24.0)
    rows = _rows(_MARGIN, len(series))
    top, bottom = rows.top, rows.row_top(len(categories))

    def x(value: float) -> float:
        return x0 + (x1 - x0) * value / end

    ticks = [(step * k / end, number_format(step * k)) for k in range(round(end / step) + 1)]
    parts = _value_axis(ticks, x0, x1, top, bottom)
    parts.extend(_row_rules(len(categories), rows, x0, x1))
    parts.extend(_category_labels(categories, rows, column, x0 - 8))
    for band, (values, texts) in enumerate(zip(rows_values, value_labels, strict=True)):
        style = series_style(band)
        for row, (value, text) in enumerate(zip(values, texts, strict=True)):
            if value is None or text is None:
                continue
            y = rows.band_middle(row, band)
            end_x = x(value)
            parts.append(
                _tag(
                    "rect",
                    {
                        "x": x0,
                        "y": y - _BAND / 2,
                        "width": end_x - x0,
                        "height": _BAND,
                        "fill": style.colour,
                    },
                )
            )
            parts.append(_marker(style.marker, end_x + 7, y, style.colour, size=3.5))
            parts.append(_text(end_x + 14, y + 11 * 0.35, text, size=11))

    legend_top = bottom + 4 + _FONT_SIZE + 12
    legend, legend_height = _legend(labels, _bar_sample, legend_top, width)
    parts.extend(legend)
    height = legend_top + legend_height + _MARGIN
    return _svg("bars", title, description, width, height, "".join(parts))
