"""The program office's pages for the audit trail and for people's rights under the
GDPR (``core/audit.py``, ``core/privacy.py``), and the public record of processing."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from .audit import (
    ACTIONS,
    audit_list,
    audited_models,
    history_of,
    object_entries,
    origin_label,
    record_name,
)
from .listing import Column, Listing
from .pdf import pdf_response
from .privacy import (
    json_value,
    normalise_address,
    personal_data_sources,
    retention_rules,
    shown,
    subject_collect,
    subject_erase,
    subject_export,
)


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Slags post"), required=False)
    user = forms.CharField(label=gettext_lazy("Vem (namn eller e-post)"), required=False)
    origin = forms.CharField(label=gettext_lazy("Varifrån (sida eller kommando)"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("Vad"),
        required=False,
        choices=[("", gettext_lazy("Allt")), *ACTIONS.items()],
    )
    since = forms.DateField(
        label=gettext_lazy("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=gettext_lazy("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [
            (key, str(model._meta.verbose_name_plural).capitalize())
            for key, model in audited_models().items()
        ]


def _model_or_404(key: str) -> type[Model]:
    model = audited_models().get(key)
    if model is None:
        raise Http404
    return model


@permission_required("core.view_audit", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every change of one kind of record, newest first, searchable by who, where from,
    what and when."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    models = audited_models()
    key = filters.get("kind") or "registry.organisation"
    if key not in models:
        key = next(iter(models))
    model = models[key]
    listing = Listing(
        request,
        audit_list(
            model=model,
            user=filters.get("user", ""),
            origin=filters.get("origin", ""),
            action=filters.get("action", ""),
            since=filters.get("since"),
            until=filters.get("until"),
        ),
        columns=[
            Column("when", gettext_lazy("När"), "history_date"),
            Column("who", gettext_lazy("Vem"), "history_user__email"),
            Column("action", gettext_lazy("Vad"), "history_type"),
            Column("record", gettext_lazy("Post")),
            Column("origin", gettext_lazy("Varifrån"), "history_change_reason"),
        ],
        default_sort="-when",
        filter_form=form,
    )
    rows = [
        {
            "record": record,
            "name": record_name(record, model),
            "action": ACTIONS.get(record.history_type, record.history_type),
            "object_id": getattr(record, model._meta.pk.attname),
            "origin": origin_label(record.history_change_reason or ""),
        }
        for record in listing.page.object_list
    ]
    return render(
        request,
        "core/audit_log.html",
        {"listing": listing, "rows": rows, "kind": key, "model": model},
    )


@permission_required("core.view_audit", raise_exception=True)
def audit_object(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One record's history, each change with the fields it changed, old and new."""
    model = _model_or_404(kind)
    records = history_of(model).filter(id=pk).select_related("history_user")
    records = records.order_by("-history_date", "-history_id")
    page = Paginator(records, 25).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if not shown:
        raise Http404
    last = shown[-1]
    older = records.filter(
        Q(history_date__lt=last.history_date)
        | Q(history_date=last.history_date, history_id__lt=last.history_id)
    ).first()
    return render(
        request,
        "core/audit_object.html",
        {
            "kind": kind,
            "model": model,
            "name": record_name(shown[0], model),
            "entries": object_entries(model, shown, older),
            "actions": ACTIONS,
            "page": page,
        },
    )


class SubjectForm(forms.Form):
    address = forms.EmailField(
        label=gettext_lazy("Personens e-postadress"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


def _subject(request: HttpRequest) -> str:
    form = SubjectForm(request.GET or request.POST or None)
    if not form.is_valid():
        raise Http404
    return normalise_address(form.cleaned_data["address"])


@permission_required("core.manage_privacy", raise_exception=True)
def privacy(request: HttpRequest) -> HttpResponse:
    """A person's data: find it by e-mail address, see it source by source, export it
    (JSON or PDF) or erase it."""
    form = SubjectForm(request.GET or None)
    found = None
    address = ""
    if form.is_valid():
        address = normalise_address(form.cleaned_data["address"])
        found = shown(subject_collect(address=address))
    return render(
        request,
        "core/privacy.html",
        {
            "form": form,
            "found": found,
            "address": address,
            "query": urlencode({"address": address}),
            "sources": personal_data_sources(),
            "retention": retention_rules(),
        },
    )


@permission_required("core.manage_privacy", raise_exception=True)
def privacy_export(request: HttpRequest, format: str) -> HttpResponse:
    address = _subject(request)
    stamp = timezone.localdate().isoformat()
    if format == "json":
        data = subject_export(address=address)
        for source in data["sources"]:
            source["records"] = [
                {key: json_value(value) for key, value in record.items()}
                for record in source["records"]
            ]
        data["exported"] = timezone.now().isoformat()
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="registerutdrag-{stamp}.json"'
        response["Cache-Control"] = "no-store"
        return response
    if format == "pdf":
        return pdf_response(
            "core/privacy_pdf.html",
            {
                "address": address,
                "found": shown(subject_collect(address=address)),
                "now": timezone.now(),
            },
            filename=f"registerutdrag-{stamp}.pdf",
            request=request,
        )
    raise Http404


@permission_required("core.manage_privacy", raise_exception=True)
def privacy_erase(request: HttpRequest) -> HttpResponse:
    """Asks before erasing (the address must be typed again); the POST erases."""
    address = _subject(request)
    found = subject_collect(address=address)
    error = ""
    if request.method == "POST":
        typed = normalise_address(request.POST.get("confirm", ""))
        if typed != address:
            error = _("Skriv e-postadressen exakt som ovan för att bekräfta.")
        else:
            done = subject_erase(address=address)
            messages.success(
                request,
                _(
                    "Personuppgifterna för %(address)s är raderade eller anonymiserade "
                    "(%(count)s poster)."
                )
                % {"address": address, "count": sum(done.values())},
            )
            return redirect(reverse("core:privacy"))
    return render(
        request,
        "core/privacy_erase.html",
        {"address": address, "found": found, "error": error},
        status=400 if error else 200,
    )


@login_not_required
def processing_record(request: HttpRequest) -> HttpResponse:
    """The record of processing activities (GDPR article 30), public."""
    return render(request, "core/processing_record.html", {"retention": retention_rules()})
