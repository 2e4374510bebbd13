"""The certification register: who holds a certificate of which course, from which
partner, and whether it is valid, expired or revoked today; for the office and for a
partner manager (its own people only), with an export of the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from redthread.core.exporting import (
    EXPORT_FORMAT_CHOICES,
    export_response,
    export_table,
    is_export_format,
)
from redthread.core.listing import Column, Listing

from . import selectors
from .forms import CertificateRegisterFilterForm
from .models import CertificateState

REGISTER_COLUMNS = [
    Column("name", gettext_lazy("Coach"), "participant__user__full_name"),
    Column("partner", gettext_lazy("Partner"), "participant__partner__name"),
    Column("region", gettext_lazy("Region"), "participant__partner__region"),
    Column("course", gettext_lazy("Kurs"), "participant__cohort__course__name"),
    Column("issued", gettext_lazy("Utfärdat"), "issued_on"),
    Column("expires", gettext_lazy("Giltigt till"), "expires_on"),
    Column("state", gettext_lazy("Status"), "state"),
]


@permission_required("academy.view_register", raise_exception=True)
def certificate_register(request: HttpRequest) -> HttpResponse:
    form = CertificateRegisterFilterForm(
        request.GET or None,
        partners=selectors.register_partners(user=request.user),
        competences=selectors.course_competences(),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    certificates = selectors.certificate_register(
        user=request.user,
        q=filters.get("q") or "",
        partner=filters.get("partner"),
        region=filters.get("region") or "",
        method_module=filters.get("method_module"),
        state=filters.get("state") or "",
    )
    export = request.GET.get("format", "")
    if is_export_format(export):
        return export_response(
            export_table(
                headers=[str(c.label) for c in REGISTER_COLUMNS],
                rows=_export_rows(
                    certificates.order_by("participant__user__full_name", "-issued_on", "pk")
                ),
                fmt=export,
                title=_("Certifieringsregister"),
            )
        )
    listing = Listing(
        request,
        certificates,
        columns=REGISTER_COLUMNS,
        default_sort="name",
        filter_form=form,
    )
    return render(
        request,
        "academy/certificate_register.html",
        {
            "listing": listing,
            "export_formats": EXPORT_FORMAT_CHOICES,
            "states": dict(CertificateState.choices),
            "form_errors": form.errors if form.is_bound and not form.is_valid() else None,
        },
    )


def _export_rows(certificates: Any) -> Iterator[list[object]]:
    states = dict(CertificateState.choices)
    # Rows carry the ``state`` annotation, which the model class does not declare.
    for certificate in certificates.iterator(chunk_size=500):
        participant = certificate.participant
        yield [
            str(participant.user),
            participant.partner.name,
            str(participant.partner.get_region_display()),
            participant.cohort.course.name,
            certificate.issued_on,
            certificate.expires_on,
            str(states[certificate.state]),
        ]
