"""The red thread in the browser: a program manager builds a new template from modules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from redthread.methodology import services
from redthread.methodology.models import ProgramTemplate, VersionStatus

from .conftest import Site


def _option(page: Any, starts_with: str) -> str:
    """The full label of the module option that starts with the module's name."""
    labels: list[str] = page.get_by_label("Metodmodul").locator("option").all_inner_texts()
    return next(label for label in labels if label.startswith(starts_with))


def test_program_manager_builds_a_template_from_modules(site: Site) -> None:
    page = site.page
    site.log_in("programledare@demo.test")
    with site.navigation():
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Röda tråden"
        ).click()
    expect(page.get_by_role("heading", name="Moduler i satsningar")).to_be_visible()
    with site.navigation():
        page.get_by_role("navigation", name="Metodik").get_by_role(
            "link", name="Programmallar"
        ).click()
    with site.navigation():
        page.get_by_role("link", name="Ny mall").click()
    page.get_by_label("Kod").fill("pilot-5s")
    page.get_by_label("Namn").fill("Pilot: 5S och flöde")
    page.get_by_label("Längd (veckor)").fill("12")
    with site.navigation():
        page.get_by_role("button", name="Skapa utkast").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utkast: Pilot: 5S och flöde")
    expect(page.get_by_text("Mallen har inga faser.")).to_be_visible()

    page.get_by_label("Fasens namn").fill("Kom igång")
    with site.navigation():
        page.get_by_role("button", name="Lägg till fasen").click()
    for module, week in (("5S", "0"), ("Värdeflödesanalys", "3")):
        page.get_by_role("combobox", name="Fas", exact=True).select_option(label="Kom igång")
        page.get_by_label("Metodmodul").select_option(label=_option(page, module))
        page.get_by_label("Börjar vecka").fill(week)
        page.get_by_label("Coachtimmar").fill("8")
        with site.navigation():
            page.get_by_role("button", name="Lägg till steget").click()
    # A step after the end of the program is refused, and says why.
    page.get_by_role("combobox", name="Fas", exact=True).select_option(label="Kom igång")
    page.get_by_label("Metodmodul").select_option(label=_option(page, "Snabba omställningar"))
    page.get_by_label("Börjar vecka").fill("30")
    with site.navigation():
        page.get_by_role("button", name="Lägg till steget").click()
    expect(page.get_by_text("bara 12 veckor långt")).to_be_visible()

    page.get_by_label("Mättillfälle").select_option("T0")
    page.get_by_role("spinbutton", name="Vecka", exact=True).fill("0")
    with site.navigation():
        page.get_by_role("button", name="Lägg till mättillfället").click()
    expect(page.get_by_text("Innan utkastet kan publiceras")).to_have_count(0)
    with site.navigation():
        page.get_by_role("link", name="Publicera").click()
    with site.navigation():
        page.get_by_role("button", name="Ja, publicera").click()
    expect(page.get_by_text("Version 1 – Publicerad").first).to_be_visible()
    expect(page.get_by_role("table", name="Kom igång").get_by_role("row")).to_have_count(3)

    template = ProgramTemplate.objects.get(code="pilot-5s")
    current = services.template_current(template)
    assert current is not None
    assert current.status == VersionStatus.PUBLISHED
    assert [s.module_version.module.code for p in current.phases.all() for s in p.steps.all()] == [
        "5s",
        "vardeflodesanalys",
    ]


def test_the_template_timeline_draws_in_swedish(site: Site) -> None:
    """The timeline's coordinates are never written the Swedish way ("5,13" draws nothing)."""
    page = site.page
    site.log_in("programledare@demo.test")
    template = ProgramTemplate.objects.filter(versions__status=VersionStatus.PUBLISHED).first()
    assert template is not None
    site.visit(reverse("methodology:template_detail", args=[template.code]))
    assert page.locator("html").get_attribute("lang") == "sv"
    chart = page.locator("figure.timeline svg")
    expect(chart).to_be_visible()
    shapes = chart.locator("rect").all()[1:]  # the first is the chart's white background
    assert shapes, "the timeline draws no step"
    for shape in shapes:
        for attribute in ("x", "y", "width", "height"):
            float(shape.get_attribute(attribute) or "")
        box = shape.bounding_box()
        assert box is not None
        assert box["width"] > 0
        assert box["height"] > 0
    lines = chart.locator("line[stroke-dasharray]").all()
    assert lines, "the timeline draws no assessment point"
    for line in lines:
        box = line.bounding_box()
        assert box is not None
        assert box["height"] > 0
