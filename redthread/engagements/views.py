from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rules.contrib.views import permission_required

from redthread.accounts.predicates import is_program_office, organisation_ids
from redthread.core.listing import Column, Listing
from redthread.methodology.models import InitiativeFunding, ModuleAttachment
from redthread.methodology.services import template_current
from redthread.registry.models import Organisation, OrganisationKind
from redthread.registry.selectors import company_get, company_list

from . import selectors, services
from .calendar import calendar_events, calendar_feed_get_or_create, calendar_feed_revoke, ical
from .forms import (
    ActionItemForm,
    EngagementFilterForm,
    EngagementForm,
    EnrolForm,
    ExchangeRateForm,
    PlanStepAddForm,
    PlanStepMoveForm,
    PlanStepSkipForm,
    SessionForm,
    SessionRowFormSet,
    StatusForm,
)
from .models import (
    TRANSITIONS,
    ActionItem,
    ActionStatus,
    CalendarFeed,
    Engagement,
    EngagementStatus,
    ExchangeRate,
    Session,
)
from .state_aid import ceiling_warning, de_minimis
from .suggestions import coach_suggestions


@permission_required("engagements.view", raise_exception=True)
def engagement_list(request: HttpRequest) -> HttpResponse:
    form = EngagementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.engagement_list(
        user=request.user, **{k: v for k, v in filters.items() if v}
    )
    listing = Listing(
        request,
        queryset,
        columns=[
            Column("company", gettext_lazy("Företag"), "company__name"),
            Column("initiative", gettext_lazy("Satsning"), "initiative__name"),
            Column("template", gettext_lazy("Program"), "template_version__name"),
            Column("partner", gettext_lazy("Partner"), "partner__name"),
            Column("coach", gettext_lazy("Huvudcoach"), "lead_coach__full_name"),
            Column("start", gettext_lazy("Start"), "start_date"),
            Column("status", gettext_lazy("Status"), "status"),
            Column("hours", gettext_lazy("Coachtimmar"), "session_minutes", numeric=True),
        ],
        default_sort="-start",
        filter_form=form,
    )
    return render(
        request,
        "engagements/engagement_list.html",
        {"listing": listing, "can_enrol": request.user.has_perm("engagements.enrol")},
    )


def _engagement(request: HttpRequest, pk: int) -> Engagement:
    try:
        return selectors.engagement_get(user=request.user, pk=pk)
    except Engagement.DoesNotExist as exc:
        raise Http404 from exc


@permission_required("engagements.view", raise_exception=True)
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    can_log = request.user.has_perm("engagements.log")
    can_status = request.user.has_perm("engagements.change_status") and bool(
        TRANSITIONS[engagement.status]
    )
    sessions = list(selectors.session_list(engagement=engagement))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not (can_log or (action == "status" and can_status)):
        raise PermissionDenied
    session_form = (
        SessionForm(
            request.POST if action == "session" else None,
            engagement=engagement,
            last=sessions[0] if sessions else None,
            prefix="session",
        )
        if can_log
        else None
    )
    action_form = (
        ActionItemForm(
            request.POST if action == "action" else None, engagement=engagement, prefix="action"
        )
        if can_log
        else None
    )
    status_form = (
        StatusForm(
            request.POST if action == "status" else None, current=engagement.status, prefix="status"
        )
        if can_status
        else None
    )
    plan_forms: dict[str, Any] = {}
    if can_log:
        plan_forms = {
            "move": PlanStepMoveForm(
                request.POST if action == "move" else None, engagement=engagement, prefix="move"
            ),
            "skip": PlanStepSkipForm(
                request.POST if action == "skip" else None, engagement=engagement, prefix="skip"
            ),
            "add": PlanStepAddForm(request.POST if action == "add" else None, prefix="add"),
        }
    try:
        if action == "session" and session_form is not None and session_form.is_valid():
            data = session_form.cleaned_data
            services.session_log(
                engagement=engagement,
                actor=request.user,
                date=data["date"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                coaches=list(data["coaches"]),
                plan_step=data["plan_step"],
                women=data["women"],
                men=data["men"],
                other=data["other"],
                company_hours=data["company_hours"],
                notes=data["notes"],
                next_steps=data["next_steps"],
                step_done=data["step_done"],
            )
            messages.success(request, _("Tillfället är registrerat."))
            return redirect(f"{engagement.get_absolute_url()}?sparat=1")
        if action == "action" and action_form is not None and action_form.is_valid():
            services.action_item_create(engagement=engagement, **action_form.cleaned_data)
            messages.success(request, _("Åtgärden är tillagd."))
            return redirect(engagement)
        if action == "move" and plan_forms["move"].is_valid():
            data = plan_forms["move"].cleaned_data
            services.plan_step_move(step=data["step"], planned_date=data["planned_date"])
            messages.success(request, _("Steget är flyttat."))
            return redirect(engagement)
        if action == "skip" and plan_forms["skip"].is_valid():
            data = plan_forms["skip"].cleaned_data
            services.plan_step_skip(step=data["step"], reason=data["reason"])
            messages.success(request, _("Steget hoppas över."))
            return redirect(engagement)
        if action == "add" and plan_forms["add"].is_valid():
            services.plan_step_add(engagement=engagement, **plan_forms["add"].cleaned_data)
            messages.success(request, _("Steget är tillagt i planen."))
            return redirect(engagement)
        if action == "action-status":
            item = get_object_or_404(ActionItem, pk=request.POST.get("item"), engagement=engagement)
            services.action_item_set_status(item=item, status=request.POST.get("status", ""))
            return redirect(engagement)
        if action == "status" and status_form is not None and status_form.is_valid():
            services.engagement_status_change(
                engagement=engagement,
                to_status=status_form.cleaned_data["to_status"],
                actor=request.user,
                note=status_form.cleaned_data["note"],
            )
            messages.success(request, _("Statusen är ändrad."))
            return redirect(engagement)
    except ValidationError as error:
        target = {"session": session_form, "action": action_form, "status": status_form}.get(action)
        if target is not None:
            target.add_error(None, error)
        else:
            messages.error(request, " ".join(error.messages))
    today = timezone.localdate()
    items = list(selectors.action_item_list(engagement=engagement))
    return render(
        request,
        "engagements/engagement_detail.html",
        {
            "engagement": engagement,
            "plan": engagement.plan_steps.select_related("module_version"),
            "documents": ModuleAttachment.objects.filter(version__plan_steps__engagement=engagement)
            .select_related("version__module")
            .distinct(),
            "assessments": engagement.plan_assessments.select_related("round"),
            "can_log": can_log,
            "sessions": sessions,
            "items": items,
            "overdue": {i.pk for i in items if i.is_overdue(today)},
            "status_changes": engagement.status_changes.select_related("changed_by"),
            "session_form": session_form,
            "action_form": action_form,
            "status_form": status_form,
            "plan_forms": plan_forms,
            "action_statuses": ActionStatus.choices,
            "coach_hours": sum(s.duration_minutes for s in sessions) / 60,
            "company_hours": sum(s.company_hours for s in sessions),
            "today": today,
        },
    )


def _partners(request: HttpRequest) -> Any:
    partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name")
    if not is_program_office(request.user):
        partners = partners.filter(pk__in=organisation_ids(request.user, OrganisationKind.PARTNER))
    return partners


@permission_required("engagements.enrol", raise_exception=True)
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    form = EngagementForm(request.POST or None, instance=engagement, partners=_partners(request))
    if request.method == "POST" and form.is_valid():
        services.engagement_update(
            engagement=engagement,
            partner=form.cleaned_data["partner"],
            lead_coach=form.cleaned_data["lead_coach"],
            coaches=list(form.cleaned_data["coaches"]),
        )
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(engagement)
    return render(
        request, "engagements/engagement_form.html", {"form": form, "engagement": engagement}
    )


@permission_required("engagements.log", raise_exception=True)
def session_table(request: HttpRequest, pk: int) -> HttpResponse:
    """Several sessions in one table, for a coach catching up: every filled row is checked,
    and all are saved together or none."""
    engagement = _engagement(request, pk)
    if engagement.lead_coach_id is None:
        messages.error(request, _("Uppdraget har ingen huvudcoach att registrera tillfällen på."))
        return redirect(engagement)
    formset = SessionRowFormSet(request.POST or None, prefix="rows")
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]
        try:
            with transaction.atomic():
                for row in rows:
                    services.session_log(
                        engagement=engagement,
                        actor=request.user,
                        coaches=[engagement.lead_coach],
                        **row,
                    )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d tillfälle är registrerat.",
                    "%(count)d tillfällen är registrerade.",
                    len(rows),
                )
                % {"count": len(rows)},
            )
            return redirect(f"{engagement.get_absolute_url()}?sparat=1")
    return render(
        request,
        "engagements/session_table.html",
        {"engagement": engagement, "formset": formset, "problems": problems},
    )


@permission_required("engagements.log", raise_exception=True)
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """Changes a logged session. Two people editing it at once do not overwrite each other:
    the second is told, and keeps what they typed."""
    engagement = _engagement(request, pk)
    session = get_object_or_404(engagement.sessions.all(), pk=session_pk)
    form = SessionForm(request.POST or None, instance=session, engagement=engagement)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        coaches = list(data.pop("coaches"))
        data.pop("edit_token", None)
        data.pop("step_done", None)
        try:
            services.session_update(session=session, coaches=coaches, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tillfället är ändrat."))
            return redirect(engagement)
    return render(
        request,
        "engagements/session_form.html",
        {"form": form, "engagement": engagement, "session": session},
    )


@permission_required("engagements.enrol", raise_exception=True)
def engagement_enrol(request: HttpRequest) -> HttpResponse:
    partners = _partners(request)
    form = EnrolForm(
        request.POST or None,
        companies=company_list(user=request.user).order_by("name"),
        partners=partners,
        initial={
            "start_date": timezone.localdate(),
            "partner": partners.first() if partners.count() == 1 else None,
        },
    )
    suggestions = None
    if request.method == "POST" and "suggest" in request.POST:
        # Only the company and the program are needed to suggest coaches; nothing is saved,
        # and the form comes back as it was, without errors for what is not filled in yet.
        form.is_valid()
        company, template = form.cleaned_data.get("company"), form.cleaned_data.get("template")
        version = template_current(template) if template is not None else None
        if company is not None and version is not None:
            suggestions = coach_suggestions(company=company, version=version)
        form = EnrolForm(
            companies=company_list(user=request.user).order_by("name"),
            partners=partners,
            initial={**request.POST.dict(), "coaches": request.POST.getlist("coaches")},
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            engagement, eligibility = services.engagement_enrol(
                company=data["company"],
                initiative=data["initiative"],
                template=data["template"],
                partner=data["partner"],
                start_date=data["start_date"],
                actor=request.user,
                lead_coach=data["lead_coach"],
                coaches=list(data["coaches"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "%(company)s är anmält till %(program)s. Planen är skapad från version "
                    "%(number)d av mallen."
                )
                % {
                    "company": engagement.company.name,
                    "program": engagement.template_version.name,
                    "number": engagement.template_version.number,
                },
            )
            for note in eligibility.unknown:
                messages.warning(request, note)
            hours = sum(step.coach_hours for step in engagement.plan_steps.all())
            warning = ceiling_warning(
                company=engagement.company,
                planned_hours=hours,
                rate_sek=engagement.initiative.coach_hour_rate_sek,
                start=engagement.start_date,
            )
            if warning:
                messages.warning(request, warning)
            return redirect(engagement)
    return render(
        request, "engagements/engagement_enrol.html", {"form": form, "suggestions": suggestions}
    )


@permission_required("engagements.calendar", raise_exception=True)
def calendar_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        calendar_feed_revoke(user=request.user)
        messages.success(
            request, _("Kalenderadressen är bytt. Den gamla adressen fungerar inte längre.")
        )
        return redirect("engagements:calendar")
    today = timezone.localdate()
    events = calendar_events(
        user=request.user, start=today, end=today + datetime.timedelta(weeks=8)
    )
    weeks: dict[tuple[int, int], list[Any]] = {}
    for event in events:
        weeks.setdefault(event.date.isocalendar()[:2], []).append(event)
    feed = calendar_feed_get_or_create(user=request.user)
    feed_url = request.build_absolute_uri(
        reverse("engagements:calendar_feed", kwargs={"token": feed.token})
    )
    return render(
        request,
        "engagements/calendar.html",
        {"weeks": [(week, items) for (_year, week), items in weeks.items()], "feed_url": feed_url},
    )


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: the secret address is the key, so calendar programs need no login."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    today = timezone.localdate()
    events = calendar_events(
        user=feed.user,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=365),
    )
    response = HttpResponse(
        ical(events, name=f"Röd tråd – {feed.user}"), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=900"
    return response


@permission_required("engagements.overview", raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    """The partner's (or the office's) picture: engagements by status, hours this month,
    overdue action items."""
    today = timezone.localdate()
    engagements = Engagement.objects.visible_to(request.user)
    by_status = dict(
        engagements.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    month_sessions = Session.objects.filter(
        engagement__in=engagements, date__year=today.year, date__month=today.month
    ).aggregate(minutes=Sum("duration_minutes"), company=Sum("company_hours"), count=Count("pk"))
    overdue = (
        ActionItem.objects.filter(
            engagement__in=engagements,
            status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
            due_date__lt=today,
        )
        .select_related("engagement__company", "owner_person", "owner_coach")
        .order_by("due_date")
    )
    by_initiative = list(
        Session.objects.filter(engagement__in=engagements)
        .values("engagement__initiative__name", "engagement__initiative_id")
        .annotate(company=Sum("company_hours"), minutes=Sum("duration_minutes"))
        .order_by("engagement__initiative__name")
    )
    funders: dict[str, Decimal] = {}
    fundings = InitiativeFunding.objects.filter(
        initiative_id__in=[row["engagement__initiative_id"] for row in by_initiative]
    ).select_related("funder")
    company_hours = {row["engagement__initiative_id"]: row["company"] or 0 for row in by_initiative}
    for funding in fundings:
        # Co-financing counts toward every funder of the initiative.
        funders[funding.funder.name] = funders.get(funding.funder.name, Decimal(0)) + Decimal(
            company_hours.get(funding.initiative_id, 0)
        )
    return render(
        request,
        "engagements/overview.html",
        {
            "statuses": [
                (value, label, by_status.get(value, 0)) for value, label in EngagementStatus.choices
            ],
            "coach_hours": (month_sessions["minutes"] or 0) / 60,
            "company_hours": month_sessions["company"] or 0,
            "session_count": month_sessions["count"],
            "overdue": overdue[:50],
            "overdue_count": overdue.count(),
            "by_initiative": by_initiative,
            "by_funder": sorted(funders.items()),
            "today": today,
        },
    )


@permission_required("engagements.state_aid", raise_exception=True)
def state_aid_statement(request: HttpRequest, company_pk: int) -> HttpResponse:
    """The de minimis statement for one company: its support over three rolling years, on
    the page and as a PDF to sign and send."""
    try:
        company = company_get(user=request.user, pk=company_pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    statement = de_minimis(company=company)
    context = {"statement": statement, "company": company}
    if request.GET.get("format") == "pdf":
        from weasyprint import HTML

        html = render_to_string("engagements/state_aid_pdf.html", context, request=request)
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="de-minimis-{company.org_number or company.pk}.pdf"'
        )
        return response
    return render(request, "engagements/state_aid.html", context)


@permission_required("engagements.set_rates", raise_exception=True)
def exchange_rates(request: HttpRequest) -> HttpResponse:
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ExchangeRate.objects.update_or_create(
            year=form.cleaned_data["year"],
            defaults={"sek_per_eur": form.cleaned_data["sek_per_eur"]},
        )
        messages.success(request, _("Växelkursen är sparad."))
        return redirect("engagements:exchange_rates")
    return render(
        request,
        "engagements/exchange_rates.html",
        {"form": form, "rates": ExchangeRate.objects.all()},
    )
