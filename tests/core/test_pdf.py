"""One PDF path: every PDF template extends core/pdf.html, none carries its own styles, and
core.pdf prints with the one stylesheet and translated page numbers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import get_template
from django.utils import translation

from redthread.core import pdf

PDF_TEMPLATES = [
    "assessments/round_report_pdf.html",
    "engagements/state_aid_pdf.html",
    "outcomes/report_pdf.html",
]


@pytest.mark.parametrize("name", PDF_TEMPLATES)
def test_every_pdf_template_extends_the_base_and_has_no_styles_of_its_own(name):
    template: Any = get_template(name)  # the Django backend's wrapper: .template.origin
    source = Path(template.template.origin.name).read_text()
    assert source.startswith('{% extends "core/pdf.html" %}')
    assert "<style" not in source
    assert "style=" not in source


def test_no_other_module_imports_weasyprint():
    root = Path(pdf.__file__).resolve().parents[1]
    callers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "from weasyprint" in path.read_text(encoding="utf-8")
    )
    assert callers == ["core/pdf.py"]


def _text(content: bytes, tmp_path: Path) -> str:
    binary = shutil.which("pdftotext")
    assert binary is not None, "pdftotext is missing: run make system-deps (poppler-utils)"
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603 - our own file, a fixed program
        [binary, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_render_pdf_prints_the_page_with_its_numbers_in_the_active_language(tmp_path):
    with translation.override("sv"):
        swedish = _text(pdf.render_pdf("core/pdf.html", {}), tmp_path)
    with translation.override("en"):
        english = _text(pdf.render_pdf("core/pdf.html", {}), tmp_path)
    assert "Sida 1 av 1" in swedish
    assert "Page 1 of 1" in english


def test_pdf_response_is_a_download_never_cached():
    response = pdf.pdf_response("core/pdf.html", {}, filename="intyg.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="intyg.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
