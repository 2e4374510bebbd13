"""The public certificate check: anyone, signed in or not, enters a code (or follows the
QR code on a certificate) and learns whether it is valid. An unknown, mistyped or revoked
code answers with one sentence and nothing else; the page works without JavaScript and
is rate-limited per client address (``services.certificate_verify``)."""

from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from redthread.core.ratelimit import client_address

from . import certificates, services
from .forms import VerifyForm


def qr_svg(url: str) -> str:
    # segno writes the SVG itself from the URL alone: nothing from the user is unescaped.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, title=url))  # noqa: S308 - an SVG segno builds from our own URL  # nosec B308 B703


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET if "code" in request.GET else None)
    context: dict[str, object] = {"form": form}
    status = 200
    if form.is_bound and form.is_valid():
        try:
            result = services.certificate_verify(
                code=form.cleaned_data["code"],
                client_address=client_address(request),
            )
        except services.VerificationRateLimited:
            context["limited"] = True
            status = 429
        else:
            context["result"] = result
            if result.certificate is not None:
                context["code"] = certificates.code_display(result.certificate.code)
    response = render(request, "academy/verify.html", context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
