"""Wide tables on a 1366 × 768 screen: the coverage matrix scrolls inside its own box and the
results' tables inside theirs, the page itself never sideways, and the first column stays
in view while a table scrolls."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import Site

PAGE_SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def _first_column_stays(site: Site, box: str) -> None:
    """Scrolls ``box`` to its right end and checks its first column is still where it was."""
    page = site.page
    locator = page.locator(box).first
    expect(locator).to_be_visible()
    first = locator.locator("tbody tr:first-child > :first-child")
    before = first.bounding_box()
    locator.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    after = first.bounding_box()
    assert before is not None
    assert after is not None
    assert abs(after["x"] - before["x"]) < 1


def test_the_coverage_matrix_and_the_results_fit_a_1366_screen(site: Site) -> None:
    page = site.page
    page.set_viewport_size({"width": 1366, "height": 768})
    site.log_in("programledare@demo.test")
    site.visit("/metod/")
    expect(page.get_by_role("heading", name="Moduler i satsningar")).to_be_visible()
    assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS)
    _first_column_stays(site, ".table-wrap.matrix")
    # The matrix's box is no taller than the screen: it scrolls inside, headings held.
    height = page.locator(".table-wrap.matrix").first.evaluate("box => box.clientHeight")
    assert height <= 768
    site.visit("/resultat/")
    expect(page.get_by_role("heading", name="Effekter på nyckeltalen")).to_be_visible()
    assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS)
    # The difference against the comparison group, the last column, is on screen.
    last = page.get_by_role("region", name="Tabell: effekter på nyckeltalen").locator(
        "thead th:last-child"
    )
    box = last.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 1366
