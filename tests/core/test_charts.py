"""The chart helper: its SVG read back as XML, and the geometry checked where it matters."""

from __future__ import annotations

import logging
import math
import re
import statistics
import xml.etree.ElementTree as ET
from typing import cast

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from redthread.core.charts import (
    MUTED_TEXT_COLOUR,
    PALETTE,
    TEXT_COLOUR,
    FiveNumbers,
    Series,
    TimelinePoint,
    TimelineStep,
    bars,
    five_numbers,
    radar,
    series_style,
    spread,
    swedish_number,
    timeline,
)

NS = "{http://www.w3.org/2000/svg}"
NBSP = "\xa0"
EVIL = "<script>alert('x')</script>"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, the very thing under test
    assert root.tag == f"{NS}svg"
    return root


def find(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(f"{NS}{tag}"))


def number(element: ET.Element, attribute: str) -> float:
    value = element.get(attribute)
    assert value is not None, f"{element.tag} has no {attribute}"
    return float(value)


def points(polygon: ET.Element) -> list[tuple[float, float]]:
    pairs = (pair.split(",") for pair in (polygon.get("points") or "").split())
    return [(float(x), float(y)) for x, y in pairs]


def texts(root: ET.Element) -> list[ET.Element]:
    return find(root, "text")


def text_at(root: ET.Element, content: str) -> ET.Element:
    (element,) = [text for text in texts(root) if text.text == content]
    return element


def rim(root: ET.Element) -> ET.Element:
    """A radar's outer ring: the grid polygon (no fill) reaching highest."""
    rings = [polygon for polygon in find(root, "polygon") if polygon.get("fill") == "none"]
    return min(rings, key=lambda polygon: points(polygon)[0][1])


def series_polygons(root: ET.Element) -> list[ET.Element]:
    """The series' polygons; the grid rings are the ones without fill."""
    return [polygon for polygon in find(root, "polygon") if polygon.get("fill") != "none"]


def markers(root: ET.Element, colour: str) -> list[ET.Element]:
    return [
        element
        for element in [*find(root, "circle"), *find(root, "path")]
        if element.get("fill") == colour
    ]


def marker_centre(marker: ET.Element) -> tuple[float, float]:
    if marker.tag == f"{NS}circle":
        return number(marker, "cx"), number(marker, "cy")
    coordinates = [float(value) for value in re.findall(r"-?\d+(?:\.\d+)?", marker.get("d", ""))]
    xs, ys = coordinates[0::2], coordinates[1::2]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def contrast(colour: str) -> float:
    """WCAG 2.1 contrast ratio of ``colour`` against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def sample_charts() -> list[str]:
    axes = ["Strategi", "Ledarskap", "Digitalisering", "Hållbarhet", "Marknad"]
    return [
        radar(
            axes,
            [Series("T0", [60, 40, None, 30, 70]), Series("T1", [80, 65, 55, 50, 85])],
            title="Mognad per område",
            description="Före och efter",
        ),
        spread(
            axes[:2],
            [
                ("T0", [five_numbers([10, 20, 30, 40, 50]), None]),
                ("T1", [five_numbers([30, 45, 60]), five_numbers([5, 95])]),
            ],
            title="Spridning",
        ),
        bars(
            ["Konsulttimmar", "Resor"],
            [Series("Budget", [1234567.5, 300]), Series("Utfall", [1000000, None])],
            title="Kostnader",
            unit="kr",
        ),
        timeline(
            [
                TimelineStep("Nulägesanalys", 0, 2.5),
                TimelineStep("5S", 3, 4, colour="#1d6b34"),
                TimelineStep("Värdeflödesanalys", 7.25, 30),  # past the end: drawn to it
            ],
            [TimelinePoint("T0", 0), TimelinePoint("T1", 11.5)],
            weeks=13,
            title="Tidslinje",
            axis_label="Vecka",
        ),
    ]


# --- radar -----------------------------------------------------------------------------


def test_radar_puts_each_value_on_its_spoke_at_its_distance():
    root = parse(radar(["A", "B", "C", "D"], [Series("T0", [100, 50, None, 0])], title="Mognad"))

    (polygon,) = series_polygons(root)
    top, right, centre = points(polygon)  # C has no value: the polygon skips it
    radius = centre[1] - top[1]
    assert radius > 50
    # 100 at the rim straight above the centre, 50 at half the radius to the right, 0 at
    # the centre.
    assert top[0] == centre[0]
    assert right[1] == centre[1]
    assert right[0] - centre[0] == pytest.approx(radius / 2, abs=0.01)
    # The outer ring's first corner is the top of the rim, and every spoke starts at the
    # centre and ends on the rim.
    assert points(rim(root))[0] == top
    spokes = find(root, "line")[:4]
    for spoke in spokes:
        assert (number(spoke, "x1"), number(spoke, "y1")) == centre
        end = (number(spoke, "x2"), number(spoke, "y2"))
        assert math.dist(end, centre) == pytest.approx(radius, abs=0.02)
    # A marker at each of the three values, in the series' shape (the first: circles).
    circles = markers(root, PALETTE[0])
    assert len(circles) == 3 + 1  # and one in the legend, drawn last
    assert sorted(marker_centre(m) for m in circles[:3]) == sorted([top, right, centre])
    assert {m.tag for m in circles} == {f"{NS}circle"}
    # Rings at 25, 50, 75 and 100 % of max_value, labelled.
    for label in ("25", "50", "75", "100"):
        text_at(root, label)
    assert len([p for p in find(root, "polygon") if p.get("fill") == "none"]) == 4


def test_radar_rings_follow_max_value():
    root = parse(radar(["A", "B", "C"], [Series("x", [5, 2.5, 1])], title="Skala", max_value=5))
    for label in ("1,25", "2,5", "3,75", "5"):
        text_at(root, label)
    (polygon,) = series_polygons(root)
    top, lower_right, _ = points(polygon)
    spoke = find(root, "line")[0]
    centre = number(spoke, "x1"), number(spoke, "y1")
    radius = math.dist(centre, top)
    assert top == points(rim(root))[0]
    assert math.dist(centre, lower_right) == pytest.approx(radius / 2, abs=0.02)


def test_radar_draws_one_polygon_per_series_told_apart_by_more_than_colour():
    axes = ["A", "B", "C", "D", "E"]
    series = [Series(f"S{i}", [10 * (i + 1)] * 5) for i in range(4)]
    root = parse(radar(axes, series, title="Fyra serier"))

    polygons = series_polygons(root)
    assert len(polygons) == len(series)
    assert [p.get("stroke") for p in polygons] == list(PALETTE[:4])
    assert len({p.get("stroke-dasharray") for p in polygons}) == 4
    shapes = set()
    for index in range(4):
        found = markers(root, PALETTE[index])
        # Five in the chart, one in the legend.
        assert len(found) == 6
        shapes.add(series_style(index).marker)
        assert len({m.tag for m in found}) == 1
    assert len(shapes) == 4
    # The legend is under the chart and names every series.
    legend_y = [number(text_at(root, s.label), "y") for s in series]
    lowest_polygon = max(y for p in polygons for _, y in points(p))
    assert min(legend_y) > lowest_polygon


def test_radar_with_fewer_than_three_values_draws_markers_only():
    root = parse(radar(["A", "B", "C", "D"], [Series("T0", [None, 40, None, 60])], title="Glest"))
    assert series_polygons(root) == []
    assert len(markers(root, PALETTE[0])) == 2 + 1  # and one in the legend


def test_radar_anchors_axis_labels_away_from_the_rim_and_wraps_long_ones():
    long_label = "Hållbarhetsredovisning och miljöarbete i hela företaget"
    root = parse(radar(["Topp", long_label, "Botten", "Vänster"], [], title="Etiketter"))
    polygon = min(find(root, "polygon"), key=lambda p: points(p)[0][1])  # the rim
    (top, right, bottom, left) = points(polygon)

    assert text_at(root, "Topp").get("text-anchor") == "middle"
    assert number(text_at(root, "Topp"), "y") < top[1]
    assert text_at(root, "Botten").get("text-anchor") == "middle"
    assert number(text_at(root, "Botten"), "y") > bottom[1]
    assert text_at(root, "Vänster").get("text-anchor") == "end"
    assert number(text_at(root, "Vänster"), "x") < left[0]

    first = next(t for t in texts(root) if (t.text or "").startswith("Hållbarhets"))
    lines = [t for t in texts(root) if t.get("x") == first.get("x")]
    assert len(lines) == 2
    assert {t.get("text-anchor") for t in lines} == {"start"}
    assert number(first, "x") > right[0]
    # The long word is broken with a hyphen; what does not fit on two lines ends in "…".
    first_line, second_line = (t.text or "" for t in lines)
    assert first_line.endswith("-")
    assert second_line.endswith("…")
    assert long_label.startswith(first_line[:-1] + second_line[:-1])
    # Two lines, one under the other, around the spoke's height.
    y1, y2 = (number(t, "y") for t in lines)
    assert y1 < right[1] < y2


def test_radar_clamps_values_outside_the_scale_to_the_rim_and_centre():
    root = parse(radar(["A", "B", "C"], [Series("x", [150, -10, 100])], title="Utanför"))
    (polygon,) = series_polygons(root)
    top, centre, _ = points(polygon)
    assert top == points(rim(root))[0]
    assert centre[0] == top[0]


# --- five numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([4, 1, 3, 2], FiveNumbers(1, 1.75, 2.5, 3.25, 4, 4)),
        ([1, 2, 3, 4, 5], FiveNumbers(1, 2, 3, 4, 5, 5)),
        ([10, 20, 30, 40, 50, 60, 70], FiveNumbers(10, 25, 40, 55, 70, 7)),
        ([7], FiveNumbers(7, 7, 7, 7, 7, 1)),
        ([2.5, 0.5], FiveNumbers(0.5, 1.0, 1.5, 2.0, 2.5, 2)),
    ],
)
def test_five_numbers_by_hand(values, expected):
    assert five_numbers(values) == expected


def test_five_numbers_of_nothing_is_none():
    assert five_numbers([]) is None


def test_five_numbers_refuses_what_is_not_a_number():
    with pytest.raises(ValueError, match="finite"):
        five_numbers([1.0, math.nan])


@settings(deadline=None, max_examples=200)
@given(
    st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
        min_size=2,
        max_size=60,
    )
)
def test_five_numbers_agrees_with_the_standard_library(values):
    result = five_numbers(values)
    assert result is not None
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert result.minimum == min(values)
    assert result.maximum == max(values)
    assert result.n == len(values)
    for mine, theirs in ((result.q1, q1), (result.median, median), (result.q3, q3)):
        assert math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-6)
    assert result.minimum <= result.q1 <= result.median <= result.q3 <= result.maximum


# --- spread ----------------------------------------------------------------------------


def tick(root: ET.Element, label: str) -> ET.Element:
    """The tick label ``label`` of a horizontal chart's axis (the only centred texts)."""
    (element,) = [t for t in ticks(root) if t.text == label]
    return element


def ticks(root: ET.Element) -> list[ET.Element]:
    return [t for t in texts(root) if t.get("text-anchor") == "middle"]


def axis_scale(root: ET.Element, end_label: str, end_value: float) -> tuple[float, float]:
    """Where 0 is and how many units one value is, read from the tick labels."""
    zero = number(tick(root, "0"), "x")
    end = number(tick(root, end_label), "x")
    return zero, (end - zero) / end_value


def test_spread_box_spans_the_quartiles_and_whiskers_the_extremes():
    stats = five_numbers([10, 20, 30, 40, 50])
    root = parse(spread(["Strategi"], [("T0", [stats])], title="Spridning"))
    x0, unit = axis_scale(root, "100", 100)

    box = next(r for r in find(root, "rect") if r.get("stroke") == PALETTE[0])
    assert number(box, "x") == pytest.approx(x0 + 20 * unit, abs=0.01)
    assert number(box, "width") == pytest.approx(20 * unit, abs=0.02)

    lines = [line for line in find(root, "line") if line.get("stroke") == PALETTE[0]]
    median = next(line for line in lines if line.get("stroke-width") == "3")
    assert number(median, "x1") == number(median, "x2") == pytest.approx(x0 + 30 * unit, abs=0.01)
    whiskers = [line for line in lines[:4] if line.get("y1") == line.get("y2")]
    ends = sorted(number(line, key) for line in whiskers for key in ("x1", "x2"))
    assert ends[0] == pytest.approx(x0 + 10 * unit, abs=0.01)
    assert ends[-1] == pytest.approx(x0 + 50 * unit, abs=0.01)
    # The box is centred on the whiskers, and n is said at the right.
    assert number(box, "y") + number(box, "height") / 2 == pytest.approx(number(whiskers[0], "y1"))
    assert number(text_at(root, "n=5"), "x") > x0 + 100 * unit
    for label in ("25", "50", "75"):
        assert number(tick(root, label), "x") == pytest.approx(x0 + int(label) * unit, abs=0.01)


def test_spread_puts_the_groups_of_a_category_in_its_row_and_skips_missing_ones():
    root = parse(
        spread(
            ["Strategi", "Ledarskap"],
            [
                ("T0", [five_numbers([1, 2, 3]), None]),
                ("T1", [five_numbers([4, 5, 6]), five_numbers([7, 8])]),
            ],
            title="Två grupper",
            max_value=10,
        )
    )
    t0 = [r for r in find(root, "rect") if r.get("stroke") == PALETTE[0]]
    t1 = [r for r in find(root, "rect") if r.get("stroke") == PALETTE[1]]
    assert len(t0) == 1 + 1  # one box, one legend sample
    assert len(t1) == 2 + 1
    # In the first row T0 comes above T1, and the second row is below both.
    assert number(t0[0], "y") < number(t1[0], "y") < number(t1[1], "y")
    strategi, ledarskap = text_at(root, "Strategi"), text_at(root, "Ledarskap")
    # Each category's label is level with its row's boxes.
    assert number(t0[0], "y") < number(strategi, "y") < number(t1[0], "y") + 14
    assert number(t1[0], "y") + 14 < number(ledarskap, "y") < number(t1[1], "y") + 14
    assert [t.text for t in texts(root) if (t.text or "").startswith("n=")] == [
        "n=3",
        "n=0",
        "n=3",
        "n=2",
    ]
    x0, unit = axis_scale(root, "10", 10)
    assert number(t1[1], "x") == pytest.approx(x0 + 7.25 * unit, abs=0.01)


# --- bars ------------------------------------------------------------------------------


def bar_rects(root: ET.Element, colour: str) -> list[ET.Element]:
    zero = tick(root, "0").get("x")
    return [r for r in find(root, "rect") if r.get("fill") == colour and r.get("x") == zero]


def test_bars_are_as_long_as_their_values():
    root = parse(bars(["A", "B", "C"], [Series("Timmar", [10, 20, 40])], title="Timmar", unit="h"))
    widths = [number(r, "width") for r in bar_rects(root, PALETTE[0])]
    assert len(widths) == 3
    assert widths[1] == pytest.approx(2 * widths[0], abs=0.02)
    assert widths[2] == pytest.approx(4 * widths[0], abs=0.02)
    # The axis ends at 40 (ticks every 10) and the longest bar reaches it.
    x0, unit = axis_scale(root, "40", 40)
    assert [t.text for t in ticks(root)] == ["0", "10", "20", "30", "40"]
    assert widths[2] == pytest.approx(40 * unit, abs=0.02)
    # Each bar has its value and unit at its end.
    for value, width in zip((10, 20, 40), widths, strict=True):
        label = text_at(root, f"{value}{NBSP}h")
        assert number(label, "x") > x0 + width


def test_bars_round_the_axis_up_and_format_numbers_the_swedish_way():
    root = parse(bars(["Konsulter"], [Series("Budget", [1234567.5])], title="Budget"))
    assert [t.text for t in ticks(root)] == [
        "0",
        f"500{NBSP}000",
        f"1{NBSP}000{NBSP}000",
        f"1{NBSP}500{NBSP}000",
    ]
    text_at(root, f"1{NBSP}234{NBSP}567,5")


def test_bars_take_a_number_format():
    root = parse(
        bars(["A"], [Series("x", [0.5])], title="Andel", number_format=lambda v: f"{v * 100:.0f} %")
    )
    text_at(root, "50 %")
    # 0.5 rounds up to 0.6 in steps of 0.2.
    assert [t.text for t in ticks(root)] == ["0 %", "20 %", "40 %", "60 %"]


def test_bars_group_series_within_a_category_and_skip_none():
    root = parse(
        bars(
            ["A", "B"],
            [Series("Budget", [100, 50]), Series("Utfall", [None, 75])],
            title="Grupper",
        )
    )
    budget, utfall = bar_rects(root, PALETTE[0]), bar_rects(root, PALETTE[1])
    assert len(budget) == 2
    assert len(utfall) == 1
    assert number(budget[0], "y") < number(budget[1], "y")
    assert number(budget[1], "y") < number(utfall[0], "y")
    assert number(utfall[0], "width") == pytest.approx(0.75 * number(budget[0], "width"), abs=0.02)
    # The legend, under the axis, names both series.
    axis_y = number(tick(root, "0"), "y")
    assert number(text_at(root, "Budget"), "y") > axis_y
    assert number(text_at(root, "Utfall"), "y") > axis_y


def test_bars_refuse_negative_values():
    with pytest.raises(ValueError, match="negative"):
        bars(["A"], [Series("x", [-1])], title="Minus")


# --- nothing to draw -------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: radar([], [], title="Tom"),
        lambda: radar(["A", "B", "C"], [], title="Inga serier"),
        lambda: radar(["A", "B", "C"], [Series("x", [])], title="Tom serie"),
        lambda: radar(["A", "B", "C"], [Series("x", [None, None, None])], title="Bara None"),
        lambda: radar(["A", "B"], [Series("x", [1, 2])], title="Två axlar"),
        lambda: radar(["A", "B", "C"], [Series("x", [0, 0, 0])], title="Nollor"),
        lambda: spread([], [], title="Tom"),
        lambda: spread(["A", "B"], [("T0", [None, None])], title="Bara None"),
        lambda: spread(["A", "B"], [("T0", [])], title="Tom grupp"),
        lambda: bars([], [], title="Tom"),
        lambda: bars(["A", "B"], [Series("x", [])], title="Tom serie"),
        lambda: bars(["A", "B"], [Series("x", [None, None])], title="Bara None"),
        lambda: bars(["A", "B"], [Series("x", [0, 0])], title="Nollor"),
    ],
)
def test_empty_and_degenerate_input_still_gives_a_chart(make):
    root = parse(make())
    assert find(root, "title")[0].text
    assert number(root, "height") > 0


def test_all_zero_bars_get_an_axis_from_0_to_1():
    root = parse(bars(["A", "B"], [Series("x", [0, 0])], title="Nollor"))
    assert [t.text for t in ticks(root)] == ["0", "1"]
    assert [number(r, "width") for r in bar_rects(root, PALETTE[0])] == [0, 0]
    assert [t.text for t in texts(root) if t.get("text-anchor") == "start"] == ["0", "0", "x"]


def test_all_none_draws_no_series():
    root = parse(radar(["A", "B", "C"], [Series("x", [None, None, None])], title="Bara None"))
    assert len(markers(root, PALETTE[0])) == 1  # the legend's
    root = parse(bars(["A", "B"], [Series("x", [None, None])], title="Bara None"))
    assert bar_rects(root, PALETTE[0]) == []


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="2 values for 3"):
        radar(["A", "B", "C"], [Series("x", [1, 2])], title="Fel")
    with pytest.raises(ValueError, match="1 summaries for 2"):
        spread(["A", "B"], [("T0", [None])], title="Fel")
    with pytest.raises(ValueError, match="finite"):
        bars(["A"], [Series("x", [math.inf])], title="Fel")


# --- the SVG as a whole ----------------------------------------------------------------


@pytest.mark.parametrize("index", [0, 1, 2])
def test_svg_is_self_contained_and_named_by_its_title_and_description(index):
    svg = sample_charts()[index]
    root = parse(svg)

    assert root.get("role") == "img"
    width, height = number(root, "width"), number(root, "height")
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width > 0
    assert height > 0
    referenced = (root.get("aria-labelledby") or "").split()
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    assert referenced
    assert set(referenced) <= set(by_id)
    assert by_id[referenced[0]].tag == f"{NS}title"
    if len(referenced) == 2:
        assert by_id[referenced[1]].tag == f"{NS}desc"
    # Presentation attributes only: nothing a PDF renderer might not follow.
    for forbidden in ("class=", "style", "<script", "href", "url(", "<image", "<foreignObject"):
        assert forbidden not in svg
    for text in texts(root):
        assert text.get("font-family") == "sans-serif"
        assert text.get("fill") in (TEXT_COLOUR, MUTED_TEXT_COLOUR)
        assert text.get("font-size")
    # Coordinates have at most two decimals.
    for element in root.iter():
        for name, value in element.attrib.items():
            if name not in ("id", "aria-labelledby"):
                assert not re.search(r"\d\.\d{3}", value), (element.tag, name, value)


def lazy(text: str) -> str:
    """A lazy translation where the API says str, as a view or a constant may hand one."""
    return cast(str, gettext_lazy(text))


def test_labels_may_be_lazy_translations():
    root = parse(
        bars(
            [lazy("Resor")],
            [Series(lazy("Utfall"), [1])],
            title=lazy("Kostnader"),
            description=lazy("Per år"),
            unit=lazy("kr"),
        )
    )
    assert find(root, "title")[0].text == "Kostnader"
    text_at(root, "Resor")
    text_at(root, "Utfall")
    text_at(root, f"1{NBSP}kr")
    root = parse(radar([lazy("Strategi")], [], title=lazy("Mognad")))
    text_at(root, "Strategi")
    root = parse(spread([lazy("Strategi")], [(lazy("T0"), [])], title="S"))
    text_at(root, "T0")


def test_description_is_optional():
    root = parse(radar(["A", "B", "C"], [], title="Utan beskrivning"))
    assert find(root, "desc") == []
    (title_id,) = (root.get("aria-labelledby") or "").split()
    assert find(root, "title")[0].get("id") == title_id

    root = parse(radar(["A", "B", "C"], [], title="Med", description="Så här läser du den"))
    assert find(root, "desc")[0].text == "Så här läser du den"


def test_same_input_gives_the_same_bytes():
    assert sample_charts() == sample_charts()


def test_ids_differ_between_charts_and_are_made_from_the_title():
    first = parse(bars(["A"], [Series("x", [1])], title="Kostnader per år"))
    second = parse(bars(["A"], [Series("x", [2])], title="Kostnader per år"))
    other_title = parse(bars(["A"], [Series("x", [1])], title="Timmar"))
    ids = [find(root, "title")[0].get("id") or "" for root in (first, second, other_title)]
    assert len(set(ids)) == 3
    assert ids[0].startswith("bars-kostnader-per-ar-")
    assert all(re.fullmatch(r"[a-z][a-z0-9_-]*", value) for value in ids)


def test_every_text_is_escaped():
    charts = [
        radar([EVIL, "b", "c"], [Series(EVIL, [1, 2, 3])], title=EVIL, description=EVIL),
        spread([EVIL], [(EVIL, [five_numbers([1, 2])])], title=EVIL, description=EVIL),
        bars([EVIL], [Series(EVIL, [1])], title=EVIL, description=EVIL, unit=EVIL),
        bars(["a"], [Series("b", [1])], title="x", number_format=lambda v: EVIL),
    ]
    for svg in charts:
        assert "<script" not in svg
        assert "&lt;script&gt;" in svg
        root = parse(svg)
        assert find(root, "script") == []
        # The text reads as written once parsed.
        assert any(EVIL in (element.text or "") for element in texts(root))
    quote = parse(radar(['" onload="alert(1)'], [], title='" onload="alert(1)'))
    assert not [
        name for element in quote.iter() for name in element.attrib if name.startswith("on")
    ]


def test_colours_and_text_meet_wcag_aa_contrast():
    assert len(PALETTE) >= 4
    for colour in PALETTE:
        assert contrast(colour) >= 3, colour
    assert contrast(TEXT_COLOUR) >= 4.5
    assert contrast(MUTED_TEXT_COLOUR) >= 4.5
    styles = [series_style(index) for index in range(6)]
    assert len({style.colour for style in styles}) == 6
    assert len({style.dasharray for style in styles}) == 6
    assert len({style.marker for style in styles}) == 6


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (12.0, "12"),
        (12.5, "12,5"),
        (0.25, "0,3"),
        (999, "999"),
        (1234, f"1{NBSP}234"),
        (1234567.5, f"1{NBSP}234{NBSP}567,5"),
        (-1234.56, f"-1{NBSP}234,6"),
        (-0.04, "0"),
        (1e20, f"100{NBSP}000{NBSP}000{NBSP}000{NBSP}000{NBSP}000{NBSP}000"),
    ],
)
def test_swedish_number(value, expected):
    assert swedish_number(value) == expected


def test_weasyprint_draws_the_charts_without_complaint(caplog):
    weasyprint = pytest.importorskip("weasyprint")
    html = "<html><body>" + "".join(sample_charts()) + "</body></html>"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None
    assert pdf.startswith(b"%PDF")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


# --- machine values are never localised ------------------------------------------------

#: Every attribute that holds numbers, and what may separate them.
NUMERIC_ATTRIBUTES = {
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "width",
    "height",
    "stroke-width",
    "fill-opacity",
    "font-size",
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_chart_in_every_language_writes_its_coordinates_for_a_machine(language):
    """In Swedish a "5,13" coordinate draws nothing: every number inside the SVG must read
    back with float(), whatever language the page is in; only the labels are localised."""
    with translation.override(language):
        charts = sample_charts()
    for svg in charts:
        root = parse(svg)
        for element in root.iter():
            for attribute, value in element.attrib.items():
                if attribute in NUMERIC_ATTRIBUTES:
                    float(value)
                elif attribute == "points":
                    for pair in value.split():
                        x, y = pair.split(",")
                        float(x), float(y)
                elif attribute == "viewBox":
                    assert len([float(part) for part in value.split()]) == 4
                elif attribute == "d":
                    for part in re.findall(r"[-0-9.,]+", value):
                        float(part)  # a comma inside a number would fail here
                elif attribute == "stroke-dasharray":
                    [float(part) for part in value.split()]


def test_chart_labels_follow_the_active_language():
    with translation.override("sv"):
        root = parse(bars(["A"], [Series("x", [1234.5])], title="t"))
        text_at(root, f"1{NBSP}234,5")
    with translation.override("en"):
        root = parse(bars(["A"], [Series("x", [1234.5])], title="t"))
        text_at(root, "1,234.5")


def test_the_timeline_draws_a_bar_per_step_and_a_line_per_point():
    with translation.override("sv"):
        root = parse(sample_charts()[-1])
    rects = find(root, "rect")[1:]  # after the background
    assert len(rects) == 3
    assert all(number(rect, "width") > 0 for rect in rects)
    x0 = number(rects[0], "x")
    # 2.5 weeks of 13, 4 weeks of 13: widths in proportion.
    assert number(rects[1], "width") / number(rects[0], "width") == pytest.approx(4 / 2.5, rel=0.01)
    assert number(rects[1], "x") > x0
    assert rects[1].get("fill") == "#1d6b34"
    dashed = [line for line in find(root, "line") if line.get("stroke-dasharray")]
    assert len(dashed) == 2
    text_at(root, "T1")
    text_at(root, "Vecka")
