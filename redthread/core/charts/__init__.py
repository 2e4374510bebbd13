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

The package, one module per seam: ``svg`` (primitives, colours, the coordinate formatter
that never localises), ``axes`` (the horizontal layout), ``radar``, ``spread`` (box plots),
``bars`` and ``timeline``. Callers import from the package: ``from redthread.core.charts
import bars``.
"""

from __future__ import annotations

from .bars import bars
from .radar import radar
from .spread import FiveNumbers, five_numbers, spread
from .svg import (
    DASH_PATTERNS,
    MARKER_SHAPES,
    MUTED_TEXT_COLOUR,
    PALETTE,
    TEXT_COLOUR,
    Series,
    SeriesStyle,
    coordinate,
    series_style,
    swedish_number,
    value_text,
)
from .timeline import TimelinePoint, TimelineStep, timeline

__all__ = [
    "DASH_PATTERNS",
    "MARKER_SHAPES",
    "MUTED_TEXT_COLOUR",
    "PALETTE",
    "TEXT_COLOUR",
    "FiveNumbers",
    "Series",
    "SeriesStyle",
    "TimelinePoint",
    "TimelineStep",
    "bars",
    "coordinate",
    "five_numbers",
    "radar",
    "series_style",
    "spread",
    "swedish_number",
    "timeline",
    "value_text",
]
