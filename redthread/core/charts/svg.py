"""SVG primitives shared by every chart: colours and styles, elements with escaped
attributes, text measuring and wrapping, the root element with its accessible name, and
the legend.

Coordinates and every other number in an attribute go through :func:`coordinate`, which
never localises: SVG wants "5.13", and a Swedish "5,13" makes a browser drop the shape.
Numbers a person reads (tick labels, values at a bar's end) go through
:func:`value_text`, which is ``redthread.core.formats`` in the active language.

The helpers with a leading underscore are the package's own: the chart modules beside this
one use them, nothing outside the package should.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from redthread.core import formats

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

#: Series colours, each at least 3:1 against white (WCAG 2.1, 1.4.11), in the order used:
#: blue 6.7, red 6.5, green 5.5, violet 5.7, amber 5.0, cyan 5.4, pink 6.0, grey 7.6.
PALETTE: tuple[str, ...] = (
    "#1d4ed8",
    "#b91c1c",
    "#047857",
    "#7c3aed",
    "#b45309",
    "#0e7490",
    "#be185d",
    "#4b5563",
)
#: Lines and outlines: solid, dashed, dotted, dash-dot, long dash, dash-dot-dot.
DASH_PATTERNS: tuple[str, ...] = ("", "6 3", "2 3", "8 3 2 3", "12 4", "6 2 2 2 2 2")
#: Point markers; the same shape stands beside the series in the legend.
MARKER_SHAPES: tuple[str, ...] = (
    "circle",
    "square",
    "triangle",
    "diamond",
    "triangle-down",
    "cross",
)

#: All text: 14.7:1 against white. Tick labels use MUTED_TEXT_COLOUR (7.6:1).
TEXT_COLOUR = "#1f2937"
MUTED_TEXT_COLOUR = "#4b5563"
BACKGROUND = "#ffffff"
GRID_COLOUR = "#d1d5db"
AXIS_COLOUR = "#6b7280"
FONT_FAMILY = "sans-serif"

_FONT_SIZE = 12.0
_SMALL_FONT_SIZE = 10.0
_LINE_HEIGHT = _FONT_SIZE * 1.25
_MARGIN = 12.0
_FILL_OPACITY = 0.12
_NBSP = "\xa0"


@dataclass(frozen=True)
class Series:
    """One row of values, one per axis or category; ``None`` is a gap (no value)."""

    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class SeriesStyle:
    """How the series at one position is drawn: colour, dash pattern ("" = solid), marker."""

    colour: str
    dasharray: str
    marker: str


def series_style(index: int) -> SeriesStyle:
    """The style of the ``index``-th series. The first six differ in colour, dash pattern
    and marker shape alike; after that dash and marker repeat, colour changes until the
    eighth."""
    return SeriesStyle(
        colour=PALETTE[index % len(PALETTE)],
        dasharray=DASH_PATTERNS[index % len(DASH_PATTERNS)],
        marker=MARKER_SHAPES[index % len(MARKER_SHAPES)],
    )


# --- numbers a person reads ------------------------------------------------------------


def value_text(value: float, decimals: int = 1) -> str:
    """A value as a chart's label shows it, in the active language: at most ``decimals``
    decimals and none for a whole number ("1 234 567,5", "12")."""
    return formats.number(value, decimals, trim=True)


def swedish_number(value: float, decimals: int = 1) -> str:
    """:func:`value_text` in Swedish whatever the active language: 1234567.5 →
    "1 234 567,5", 12.0 → "12"."""
    with translation.override("sv"):
        return value_text(value, decimals)


# --- SVG building blocks ---------------------------------------------------------------


def coordinate(value: float) -> str:
    """A coordinate or any number inside the SVG: a decimal point, at most two decimals, no
    trailing zeros, never "-0", and never the active language's format (see the module
    docstring)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_Attribute = str | float | None


def _opening(name: str, attributes: dict[str, _Attribute]) -> str:
    """``name`` and its attributes, escaped; those that are ``None`` or "" are left out."""
    parts = [name]
    for key, value in attributes.items():
        if value is None or value == "":
            continue
        rendered = escape(value) if isinstance(value, str) else coordinate(value)
        parts.append(f'{key}="{rendered}"')
    return " ".join(parts)


def _tag(name: str, attributes: dict[str, _Attribute], text: str | None = None) -> str:
    """One element, its text escaped (no text: an empty element)."""
    if text is None:
        return f"<{_opening(name, attributes)}/>"
    return f"<{_opening(name, attributes)}>{escape(text)}</{name}>"


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: float = _FONT_SIZE,
    colour: str = TEXT_COLOUR,
) -> str:
    return _tag(
        "text",
        {
            "x": x,
            "y": y,
            "font-family": FONT_FAMILY,
            "font-size": size,
            "fill": colour,
            "text-anchor": anchor,
        },
        content,
    )


def _line(x1: float, y1: float, x2: float, y2: float, **style: _Attribute) -> str:
    attributes: dict[str, _Attribute] = {"x1": x1, "y1": y1, "x2": x2, "y2": y2}
    attributes.update({key.replace("_", "-"): value for key, value in style.items()})
    return _tag("line", attributes)


def _path(points: Sequence[tuple[float, float]]) -> str:
    """A closed path through ``points``."""
    first, *rest = points
    return (
        f"M{coordinate(first[0])} {coordinate(first[1])}"
        + "".join(f"L{coordinate(x)} {coordinate(y)}" for x, y in rest)
        + "Z"
    )


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.0) -> str:
    """A filled marker centred on (x, y), outlined in white so that touching ones part."""
    paint: dict[str, _Attribute] = {"fill": colour, "stroke": BACKGROUND, "stroke-width": 1}
    if shape == "circle":
        return _tag("circle", {"cx": x, "cy": y, "r": size, **paint})
    s = size
    if shape == "square":
        a = s * 0.9
        points = [(x - a, y - a), (x + a, y - a), (x + a, y + a), (x - a, y + a)]
    elif shape == "triangle":
        points = [(x, y - 1.25 * s), (x + 1.15 * s, y + 0.85 * s), (x - 1.15 * s, y + 0.85 * s)]
    elif shape == "triangle-down":
        points = [(x - 1.15 * s, y - 0.85 * s), (x + 1.15 * s, y - 0.85 * s), (x, y + 1.25 * s)]
    elif shape == "diamond":
        a = s * 1.25
        points = [(x, y - a), (x + a, y), (x, y + a), (x - a, y)]
    elif shape == "cross":
        a, w = s * 1.2, s * 0.45
        points = [
            (x - w, y - a),
            (x + w, y - a),
            (x + w, y - w),
            (x + a, y - w),
            (x + a, y + w),
            (x + w, y + w),
            (x + w, y + a),
            (x - w, y + a),
            (x - w, y + w),
            (x - a, y + w),
            (x - a, y - w),
            (x - w, y - w),
        ]
    else:
        raise ValueError(f"Unknown marker shape {shape!r}.")
    return _tag("path", {"d": _path(points), **paint})


# --- text measuring and wrapping (an estimate: the server has no font metrics) ---------

_NARROW = frozenset("iljtfrI.,:;!|'()[] ")
_WIDE = frozenset("mwMW@%")


def _text_width(text: str, size: float = _FONT_SIZE) -> float:
    """About how wide ``text`` is in a common sans-serif; generous rather than tight."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.32
        elif char in _WIDE:
            em += 0.88
        elif char.isupper() or char.isdigit():
            em += 0.68
        else:
            em += 0.58
    return em * size


def _truncate(text: str, width: float, size: float = _FONT_SIZE) -> str:
    """``text``, cut with "…" if it is wider than ``width``."""
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, width: float, size: float = _FONT_SIZE, max_lines: int = 2) -> list[str]:
    """``text`` in at most ``max_lines`` lines of ``width``, broken between words; a word
    wider than a whole line is broken with a hyphen, and what still does not fit on the
    last line ends in "…"."""
    words = text.split()
    lines: list[str] = []
    current = ""
    while words and len(lines) < max_lines - 1:
        word = words[0]
        candidate = f"{current} {word}" if current else word
        if _text_width(candidate, size) <= width:
            current = candidate
            words.pop(0)
        elif current:
            lines.append(current)
            current = ""
        else:
            cut = len(word) - 1
            while cut > 2 and _text_width(word[:cut] + "-", size) > width:
                cut -= 1
            lines.append(word[:cut] + "-")
            words[0] = word[cut:]
    rest = " ".join([current, *words] if current else words)
    if rest:
        lines.append(_truncate(rest, width, size))
    return lines


def _baselines(top: float, count: int, size: float = _FONT_SIZE) -> list[float]:
    """Baselines of ``count`` lines whose block starts at ``top``."""
    line_height = size * 1.25
    return [top + index * line_height + size * 0.95 for index in range(count)]


# --- input checks ----------------------------------------------------------------------


def _values(values: Sequence[float | None], count: int, label: str) -> list[float | None]:
    """A series' values as floats, one per axis or category (none at all = all gaps)."""
    if len(values) == 0:
        return [None] * count
    if len(values) != count:
        raise ValueError(f"{label!r} has {len(values)} values for {count} axes or categories.")
    result: list[float | None] = []
    for value in values:
        if value is None:
            result.append(None)
            continue
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{label!r} has a value that is not a finite number: {value!r}.")
        result.append(number)
    return result


def _positive(value: float, name: str) -> float:
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive number, not {value!r}.")
    return number


def _at_least(value: int, minimum: int, name: str) -> None:
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value!r}.")


# --- the whole chart -------------------------------------------------------------------


def _svg(
    kind: str, title: str, description: str, width: float, height: float, body: str
) -> SafeString:
    """Wrap ``body`` (already escaped) in the root element with its accessible name.

    The ids come from the title (readable) and a hash of everything drawn (so two charts on
    one page do not clash, and the same chart always gets the same ids)."""
    title, description = str(title), str(description)  # either may be a lazy translation
    digest = hashlib.sha256(
        "\x1f".join(
            (kind, title, description, coordinate(width), coordinate(height), body)
        ).encode()
    ).hexdigest()[:10]
    slug = slugify(title)[:40].strip("-_") or "chart"
    base = f"{kind}-{slug}-{digest}"
    title_id, desc_id = f"{base}-title", f"{base}-desc"
    labelled_by = f"{title_id} {desc_id}" if description else title_id
    head = _opening(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "width": width,
            "height": height,
            "viewBox": f"0 0 {coordinate(width)} {coordinate(height)}",
            "role": "img",
            "aria-labelledby": labelled_by,
        },
    )
    parts = [f"<{head}>", _tag("title", {"id": title_id}, title)]
    if description:
        parts.append(_tag("desc", {"id": desc_id}, description))
    parts.append(
        _tag("rect", {"x": 0, "y": 0, "width": width, "height": height, "fill": BACKGROUND})
    )
    parts.append(body)
    parts.append("</svg>")
    # Every text and attribute value above was escaped as it was built (see _tag).
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts only  # nosec B308 B703


_Sample = Callable[[float, float, SeriesStyle], str]
_SAMPLE_WIDTH = 30.0


def _legend(
    labels: Sequence[str], sample: _Sample, top: float, width: float
) -> tuple[list[str], float]:
    """The legend as rows of "sample label" items from ``top``; returns its parts and
    height. ``sample(x, y, style)`` draws the series' sample, ``_SAMPLE_WIDTH`` wide."""
    parts: list[str] = []
    row_height = 20.0
    x, y = _MARGIN, top
    room = width - 2 * _MARGIN - _SAMPLE_WIDTH - 6
    for index, label in enumerate(labels):
        text = _truncate(label, room)
        item_width = _SAMPLE_WIDTH + 6 + _text_width(text)
        if x > _MARGIN and x + item_width > width - _MARGIN:
            x, y = _MARGIN, y + row_height
        middle = y + row_height / 2
        parts.append(sample(x, middle, series_style(index)))
        parts.append(_text(x + _SAMPLE_WIDTH + 6, middle + _FONT_SIZE * 0.35, text))
        x += item_width + 18
    return parts, (y - top + row_height if labels else 0.0)


def _line_sample(x: float, y: float, style: SeriesStyle) -> str:
    line = _line(
        x,
        y,
        x + _SAMPLE_WIDTH,
        y,
        stroke=style.colour,
        stroke_width=2,
        stroke_dasharray=style.dasharray,
    )
    return line + _marker(style.marker, x + _SAMPLE_WIDTH / 2, y, style.colour)


def _bar_sample(x: float, y: float, style: SeriesStyle) -> str:
    return _tag(
        "rect", {"x": x, "y": y - 5, "width": 16, "height": 10, "fill": style.colour}
    ) + _marker(style.marker, x + 24, y, style.colour)
