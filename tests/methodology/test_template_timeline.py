"""The template timeline: drawn by core.charts from the selector, its coordinates for a
machine in every language (a Swedish "5,13" draws nothing)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import translation

from redthread.methodology import selectors, services

NS = "{http://www.w3.org/2000/svg}"


def test_the_structure_draws_a_bar_per_step_and_a_line_per_point(methodology):
    version = services.template_current(methodology["template"])
    assert version is not None
    with translation.override("sv"):
        structure = selectors.template_version_structure(version=version)
    assert structure["weeks"] == 16
    root = ET.fromstring(str(structure["timeline"]))  # noqa: S314 - our own output
    bars = list(root.iter(f"{NS}rect"))[1:]  # after the background
    assert len(bars) == 2
    for bar in bars:
        assert float(bar.get("width") or "") > 0
        float(bar.get("x") or "")
    assert len([line for line in root.iter(f"{NS}line") if line.get("stroke-dasharray")]) == 1


def test_the_template_page_in_swedish_has_no_localised_coordinates(methodology, world):
    url = reverse("methodology:template_detail", args=[methodology["template"].code])
    page = world.client("program_manager").get(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert page.status_code == 200
    html = page.content.decode()
    (svg,) = re.findall(r'<figure class="timeline[^"]*">(<svg.*?</svg>)', html, re.S)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    for element in root.iter():
        for attribute in ("x", "y", "x1", "x2", "y1", "y2", "width", "height"):
            if attribute in element.attrib:
                float(element.attrib[attribute])
