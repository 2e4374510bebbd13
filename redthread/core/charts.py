"""Charts drawn on the server as SVG: one helper for the web page and for the PDF.

Why here: the same chart has to appear on a page and in a PDF that WeasyPrint renders, and
WeasyPrint runs no JavaScript and reads only part of CSS. So each function returns one
self-contained ``<svg>`` element, styled only with presentation attributes (``fill``,
``stroke``, ``stroke-dasharray``, ``font-size``, ``font-family="sans-serif"``): no classes,
no stylesheet, no script, no external reference. A browser and WeasyPrint draw it alike, and
a template includes it with ``{{ chart }}`` wherever it is needed.

Accessibility: the ``<svg>`` has ``role="img"`` and is named by its ``<title>`` (and
``<desc>``, when a description is given). A picture of numbers is not a way for a screen
reader user to read them: a data table beside the chart, or a click away, is the page's job,
not this module's. Series are told apart by colour (each at least 3:1 against white), by
dash pattern and by marker shape, never by colour alone; text is #1f2937 (14.7:1). The chart
brings its own white background so those ratios hold on any page.

Output is deterministic: the same input gives the same bytes (coordinates rounded to two
decimals, ids made from the title and a hash of the chart itself, never from a counter),
so pages and PDFs can be compared and cached.

The visible heading belongs to the page (a ``<figure>``'s caption or a heading): ``title``
names the chart for assistive technology and is not drawn. Values outside ``0..max_value``
are drawn at the nearest edge; the table beside the chart carries the exact numbers.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

__all__ = [
    "DASH_PATTERNS",
    "MARKER_SHAPES",
    "MUTED_TEXT_COLOUR",
    "PALETTE",
    "TEXT_COLOUR",
    "FiveNumbers",
    "Series",
    "SeriesStyle",
    "bars",
    "five_numbers",
    "radar",
    "series_style",
    "spread",
    "swedish_number",
]

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
class FiveNumbers:
    """The summary a box plot draws (see :func:`five_numbers`)."""

    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float
    n: int


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


# --- numbers ---------------------------------------------------------------------------


def swedish_number(value: float, decimals: int = 1) -> str:
    """``value`` the Swedish way: digits grouped by a non-breaking space, a decimal comma,
    at most ``decimals`` decimals (halves rounded up, away from zero) and none for a whole
    number: 1234567.5 → "1 234 567,5", 12.0 → "12"."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"Cannot format {number!r} as a number.")
    context = Context(prec=400)  # enough digits for any float
    rounded = Decimal(repr(number)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=context
    )
    if rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1), context=context)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if rounded < 0 else ""
    text = sign + _NBSP.join(groups)
    return f"{text},{fraction}" if fraction else text


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


# --- SVG building blocks ---------------------------------------------------------------


def _num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_Attribute = str | float | None


def _opening(name: str, attributes: dict[str, _Attribute]) -> str:
    """``name`` and its attributes, escaped; those that are ``None`` or "" are left out."""
    parts = [name]
    for key, value in attributes.items():
        if value is None or value == "":
            continue
        rendered = escape(value) if isinstance(value, str) else _num(value)
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
        f"M{_num(first[0])} {_num(first[1])}"
        + "".join(f"L{_num(x)} {_num(y)}" for x, y in rest)
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
        "\x1f".join((kind, title, description, _num(width), _num(height), body)).encode()
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
            "viewBox": f"0 0 {_num(width)} {_num(height)}",
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
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts only


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


def _box_sample(x: float, y: float, style: SeriesStyle) -> str:
    return _box(x, x + 4, x + 9, x + 14, x + 18, y, 10, style) + _marker(
        style.marker, x + 25, y, style.colour
    )


def _bar_sample(x: float, y: float, style: SeriesStyle) -> str:
    return _tag(
        "rect", {"x": x, "y": y - 5, "width": 16, "height": 10, "fill": style.colour}
    ) + _marker(style.marker, x + 24, y, style.colour)


# --- radar -----------------------------------------------------------------------------


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
                f"{_num(x)},{_num(y)}" for x, y in (point(i, ring) for i in range(count))
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
                swedish_number(max_value * fraction, decimals=2),
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
                        "points": " ".join(f"{_num(x)},{_num(y)}" for x, y in points_drawn),
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


# --- horizontal charts: shared layout --------------------------------------------------

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


# --- spread (box plots) ----------------------------------------------------------------


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
        (fraction, swedish_number(max_value * fraction, decimals=2))
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


def _row_rules(count: int, rows: _Rows, x0: float, x1: float) -> list[str]:
    """Faint lines between category rows."""
    return [
        _line(
            _MARGIN, rows.row_top(row), x1, rows.row_top(row), stroke=GRID_COLOUR, stroke_width=0.5
        )
        for row in range(1, count)
    ]


# --- bars ------------------------------------------------------------------------------


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


def bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    width: int = 640,
    number_format: Callable[[float], str] = swedish_number,
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
