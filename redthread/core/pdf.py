"""Every PDF is made here: a template that extends ``core/pdf.html``, rendered to HTML
and printed by WeasyPrint with the one stylesheet ``static/redthread/pdf.css``.

Charts in a PDF are the pages' own (``core.charts``): self-contained SVG that WeasyPrint
draws as a browser does. The page numbers ("Sida 2 av 5") are added here, where their words
are translated; the running header is the text of the element with class
``running-title`` (the report's name and period, the company).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

__all__ = ["PDF_CONTENT_TYPE", "STYLESHEET", "pdf_response", "render_pdf"]

PDF_CONTENT_TYPE = "application/pdf"
#: The stylesheet of every PDF, as the static files finders name it.
STYLESHEET = "redthread/pdf.css"


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_numbers() -> str:
    page, of = _css_string(_("Sida") + " "), _css_string(" " + _("av") + " ")
    return (
        "@page { @bottom-center { content: "
        f"{page} counter(page) {of} counter(pages); "
        "font-size: 8pt; color: #555; } }"
    )


def render_pdf(
    template: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """``template`` (extending ``core/pdf.html``) rendered with ``context`` in the active
    language and printed as an A4 PDF with the shared stylesheet. Nothing is fetched over
    the network: relative addresses resolve against the project directory."""
    from weasyprint import CSS, HTML  # imported here: most requests never print

    path = finders.find(STYLESHEET)
    if not isinstance(path, str):
        raise RuntimeError(f"The PDF stylesheet {STYLESHEET} is missing from the static files.")
    html = render_to_string(template, context, request=request)
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=path), CSS(string=_page_numbers())]
    )
    return pdf


def pdf_response(
    template: str,
    context: dict[str, Any],
    *,
    filename: str,
    request: HttpRequest | None = None,
) -> HttpResponse:
    """The PDF of :func:`render_pdf` as a download named ``filename``, never stored in a
    shared or browser cache (a PDF holds a company's data)."""
    response = HttpResponse(render_pdf(template, context, request=request), PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "no-store"
    return response
