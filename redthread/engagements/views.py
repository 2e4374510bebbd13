from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from redthread.accounts.typing import AuthenticatedRequest
from redthread.core.forms import concurrent_edit, edit_token
from redthread.core.listing import Column, Listing
from redthread.core.pdf import pdf_response
from redthread.methodology.services import template_current
from redthread.registry.models import Organisation
from redthread.registry.selectors import company_get, company_list, partner_list

from . import company_views, selectors, services
from .calendar import (
    calendar_events,
    calendar_feed_get,
    calendar_feed_get_or_create,
    calendar_feed_revoke,
    ical,
)
from .forms import (
    ActionItemForm,
    BookingCancelForm,
    BookingForm,
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
    ActionStatus,
    BookedSession,
    BookingStatus,
    Engagement,
    PlanStepStatus,
)
from .state_aid import ceiling_warning, de_minimis
from .suggestions import coach_suggestions


@permission_required("engagements.view", raise_exception=True)
def engagement_list(request: HttpRequest) -> HttpResponse:
    if rules.has_perm("engagements.company_view", request.user):
        # The company sees its own programs, on a page made for it (no coach's filters).
        return company_views.program_list(request)
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
        annotate=selectors.engagement_figures,
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


def _page(request: HttpRequest, engagement: Engagement, **bound: Any) -> HttpResponse:
    """The engagement page, with the forms the user may use. ``bound`` holds the form a
    refused action sends back (under its name in the page: ``session_form``,
    ``action_form``, ``status_form``, ``move``, ``skip``, ``add``), so that its errors
    show beside what the user typed."""
    can_log = request.user.has_perm("engagements.log")
    targets = selectors.engagement_status_targets(engagement=engagement, user=request.user)
    sessions = list(selectors.session_list(engagement=engagement))
    forms: dict[str, Any] = {}
    if can_log:
        forms = {
            "session_form": SessionForm(
                engagement=engagement, last=sessions[0] if sessions else None, prefix="session"
            ),
            "action_form": ActionItemForm(engagement=engagement, prefix="action"),
            "move": PlanStepMoveForm(engagement=engagement, prefix="move"),
            "skip": PlanStepSkipForm(engagement=engagement, prefix="skip"),
            "add": PlanStepAddForm(prefix="add"),
        }
    if targets:
        forms["status_form"] = StatusForm(targets=targets, prefix="status")
    forms.update(bound)
    today = timezone.localdate()
    items = list(selectors.action_item_list(engagement=engagement))
    return render(
        request,
        "engagements/engagement_detail.html",
        {
            "engagement": engagement,
            "plan": selectors.plan_step_list(engagement=engagement),
            "documents": selectors.plan_document_list(engagement=engagement),
            "assessments": selectors.plan_assessment_list(engagement=engagement),
            "can_log": can_log,
            "sessions": sessions,
            "items": items,
            "overdue": {i.pk for i in items if i.is_overdue(today)},
            "status_changes": selectors.status_change_list(engagement=engagement),
            "bookings": selectors.booking_list(engagement=engagement),
            "session_form": forms.get("session_form"),
            "action_form": forms.get("action_form"),
            "status_form": forms.get("status_form"),
            "plan_forms": {k: forms[k] for k in ("move", "skip", "add") if k in forms},
            "action_statuses": ActionStatus.choices,
            "coach_hours": sum(s.duration_minutes for s in sessions) / 60,
            "company_hours": sum(s.company_hours for s in sessions),
            "today": today,
        },
    )


@permission_required("engagements.view", raise_exception=True)
@require_safe
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    if rules.has_perm("engagements.company_view", request.user):
        # The company's page: its plan and actions, never the coach's notes or forms.
        return company_views.program_detail(request, engagement)
    return _page(request, engagement)


ActionView = Callable[..., HttpResponse]


def _action(view: ActionView) -> ActionView:
    """An action on the engagement page, for an engagement the user may see (404 for any
    other). A POST does it; a GET (the address bar, or the language switch on the page a
    refused action showed) is sent on to the engagement page."""

    @functools.wraps(view)
    def action(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        engagement = _engagement(request, pk)
        if request.method != "POST":
            return redirect(engagement)
        return view(request, engagement, **kwargs)

    return action


def _form_action(
    request: HttpRequest,
    engagement: Engagement,
    form: Any,
    *,
    shown_as: str,
    change: Callable[[dict[str, Any]], object],
    done: str,
    then: str = "",
    reason_beside_form: bool = True,
) -> HttpResponse:
    """What the page's form actions share: a valid form makes its ``change``, the user is
    told ``done`` and sent to ``then`` (the page). A refusal, the form's or the service's
    (``ValidationError``), shows the page again with the form as ``shown_as``; the service's
    reason stands beside the form, or (the plan's small forms, folded away) as a message."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as error:
            if reason_beside_form:
                form.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
            return redirect(then or engagement.get_absolute_url())
    return _page(request, engagement, **{shown_as: form})


@permission_required("engagements.log", raise_exception=True)
@_action
def session_log(request: HttpRequest, engagement: Engagement) -> HttpResponse:
    def log(data: dict[str, Any]) -> object:
        return services.session_log(
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

    return _form_action(
        request,
        engagement,
        SessionForm(request.POST, engagement=engagement, prefix="session"),
        shown_as="session_form",
        change=log,
        done=_("Tillfället är registrerat."),
        # The page that follows clears the draft the browser kept of the form.
        then=f"{engagement.get_absolute_url()}?sparat=1",
    )


@permission_required("engagements.log", raise_exception=True)
@_action
def action_item_create(request: HttpRequest, engagement: Engagement) -> HttpResponse:
    return _form_action(
        request,
        engagement,
        ActionItemForm(request.POST, engagement=engagement, prefix="action"),
        shown_as="action_form",
        change=lambda data: services.action_item_create(engagement=engagement, **data),
        done=_("Åtgärden är tillagd."),
    )


@permission_required("engagements.log", raise_exception=True)
@_action
def action_item_status(request: HttpRequest, engagement: Engagement, item_pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.action_item_list(engagement=engagement), pk=item_pk)
    try:
        services.action_item_set_status(item=item, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, engagement)
    return redirect(engagement)


@permission_required("engagements.log", raise_exception=True)
@_action
def plan_step_move(request: HttpRequest, engagement: Engagement) -> HttpResponse:
    return _form_action(
        request,
        engagement,
        PlanStepMoveForm(request.POST, engagement=engagement, prefix="move"),
        shown_as="move",
        change=lambda data: services.plan_step_move(
            step=data["step"], planned_date=data["planned_date"]
        ),
        done=_("Steget är flyttat."),
        reason_beside_form=False,
    )


@permission_required("engagements.log", raise_exception=True)
@_action
def plan_step_skip(request: HttpRequest, engagement: Engagement) -> HttpResponse:
    return _form_action(
        request,
        engagement,
        PlanStepSkipForm(request.POST, engagement=engagement, prefix="skip"),
        shown_as="skip",
        change=lambda data: services.plan_step_skip(step=data["step"], reason=data["reason"]),
        done=_("Steget hoppas över."),
        reason_beside_form=False,
    )


@permission_required("engagements.log", raise_exception=True)
@_action
def plan_step_add(request: HttpRequest, engagement: Engagement) -> HttpResponse:
    return _form_action(
        request,
        engagement,
        PlanStepAddForm(request.POST, prefix="add"),
        shown_as="add",
        change=lambda data: services.plan_step_add(engagement=engagement, **data),
        done=_("Steget är tillagt i planen."),
        reason_beside_form=False,
    )


# Those who work in engagements reach it; which moves each may make, on which engagement,
# is engagement_status_targets' (the rules): a coach its own engagement's few, the office all.
@permission_required("engagements.log", raise_exception=True)
@_action
def status_change(request: HttpRequest, engagement: Engagement) -> HttpResponse:
    targets = selectors.engagement_status_targets(engagement=engagement, user=request.user)
    if not targets:
        # Completed and withdrawn are final, and a coach moves only from where it may.
        raise PermissionDenied
    return _form_action(
        request,
        engagement,
        StatusForm(request.POST, targets=targets, prefix="status"),
        shown_as="status_form",
        change=lambda data: services.engagement_status_change(
            engagement=engagement,
            to_status=data["to_status"],
            actor=request.user,
            note=data["note"],
        ),
        done=_("Statusen är ändrad."),
    )


@permission_required("engagements.enrol", raise_exception=True)
@concurrent_edit
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    form = EngagementForm(
        request.POST or None,
        instance=engagement,
        partners=partner_list(user=request.user),
        coaches=selectors.coach_choices(user=request.user, current=engagement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_update(
                engagement=engagement,
                partner=form.cleaned_data["partner"],
                lead_coach=form.cleaned_data["lead_coach"],
                coaches=list(form.cleaned_data["coaches"]),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
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
            services.sessions_log(engagement=engagement, actor=request.user, rows=rows)
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
@concurrent_edit
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
    """The enrolment form. ``?company=`` (from the company's page) chooses the company. Two
    buttons send the form without saving it: "Föreslå coacher" lists the best coaches for
    the company and the program, and each suggestion's "Välj" makes that coach the lead
    coach, with everything typed so far kept (no JavaScript needed)."""
    partners = partner_list(user=request.user)
    companies = company_list(user=request.user).order_by("name")
    coaches = selectors.coach_choices(user=request.user)
    initial: dict[str, Any] = {
        "start_date": timezone.localdate(),
        "partner": partners.first() if partners.count() == 1 else None,
    }
    chosen = request.GET.get("company", "")
    # A primary key is at most nine digits here: a longer number is nonsense, not a query.
    if chosen.isdigit() and len(chosen) < 10 and companies.filter(pk=chosen).exists():
        initial["company"] = int(chosen)
    form = EnrolForm(
        request.POST or None,
        companies=companies,
        partners=partners,
        coaches=coaches,
        initial=initial,
    )
    suggestions = None
    assignable: set[int] = set()
    if request.method == "POST" and ("suggest" in request.POST or "choose_coach" in request.POST):
        # Only the company and the program are needed to suggest coaches; nothing is saved,
        # and the form comes back as it was, without errors for what is not filled in yet.
        form.is_valid()
        company, template = form.cleaned_data.get("company"), form.cleaned_data.get("template")
        version = template_current(template) if template is not None else None
        if company is not None and version is not None:
            suggestions = coach_suggestions(company=company, version=version)
            suggested = [s.profile.user_id for s in suggestions]
            assignable = set(coaches.filter(pk__in=suggested).values_list("pk", flat=True))
        values: dict[str, Any] = {**request.POST.dict(), "coaches": request.POST.getlist("coaches")}
        pick = request.POST.get("choose_coach", "")
        picked = coaches.filter(pk=pick).first() if pick.isdigit() and len(pick) < 10 else None
        if picked is not None:
            values["lead_coach"] = picked.pk
            messages.info(
                request,
                _("%(coach)s är vald som huvudcoach. Anmäl för att spara.") % {"coach": picked},
            )
        form = EnrolForm(companies=companies, partners=partners, coaches=coaches, initial=values)
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
        request,
        "engagements/engagement_enrol.html",
        {"form": form, "suggestions": suggestions, "assignable": assignable},
    )


@permission_required("engagements.calendar", raise_exception=True)
def calendar_page(request: AuthenticatedRequest) -> HttpResponse:
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
    feed = calendar_feed_get(token=token)
    if feed is None:
        raise Http404
    today = timezone.localdate()
    events = calendar_events(
        user=feed.user,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=365),
    )
    text = ical(
        events,
        name=f"Röd tråd – {feed.user}",
        url=request.build_absolute_uri(reverse("engagements:calendar")),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@permission_required("engagements.overview", raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    """The partner's (or the office's) picture: engagements by status, hours this month,
    overdue action items."""
    today = timezone.localdate()
    board = selectors.overview(user=request.user, today=today)
    return render(request, "engagements/overview.html", {**vars(board), "today": today})


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
        return pdf_response(
            "engagements/state_aid_pdf.html",
            context,
            filename=f"de-minimis-{company.org_number or company.pk}.pdf",
            request=request,
        )
    return render(request, "engagements/state_aid.html", context)


@permission_required("engagements.set_rates", raise_exception=True)
def exchange_rates(request: HttpRequest) -> HttpResponse:
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exchange_rate_set(
                year=form.cleaned_data["year"], sek_per_eur=form.cleaned_data["sek_per_eur"]
            )
        except ValidationError as error:
            form.add_error("sek_per_eur", error)
        else:
            messages.success(request, _("Växelkursen är sparad."))
            return redirect("engagements:exchange_rates")
    return render(
        request,
        "engagements/exchange_rates.html",
        {"form": form, "rates": selectors.exchange_rate_list()},
    )


def _booking(engagement: Engagement, booking_pk: int) -> BookedSession:
    try:
        return selectors.booking_get(engagement=engagement, pk=booking_pk)
    except BookedSession.DoesNotExist as exc:
        raise Http404 from exc


def _booking_closed(request: HttpRequest, booking: BookedSession) -> HttpResponse | None:
    """A cancelled or logged booking can no longer change: the user is told and sent to
    the engagement page."""
    if booking.status == BookingStatus.BOOKED:
        return None
    messages.info(
        request,
        _("Tillfället är redan %(status)s.")
        % {"status": str(BookingStatus(booking.status).label).lower()},
    )
    return redirect(booking.engagement)


def _company_address(company: Organisation) -> str:
    """Where an on-site session starts from: the company's street address and town."""
    return ", ".join(part for part in (company.street_address, company.postal_town) if part)


def _invited_message(count: int) -> str:
    if not count:
        return _("Ingen på företaget med e-postadress är inbjuden.")
    return ngettext(
        "En inbjudan skickas till %(count)d person.",
        "En inbjudan skickas till %(count)d personer.",
        count,
    ) % {"count": count}


@permission_required("engagements.log", raise_exception=True)
def booking_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Books a coming session; the company's invitees get a calendar invitation."""
    engagement = _engagement(request, pk)
    today = timezone.localdate()
    next_step = (
        engagement.plan_steps.filter(status=PlanStepStatus.PLANNED, planned_date__gte=today)
        .order_by("planned_date", "order")
        .first()
    )
    form = BookingForm(
        request.POST or None,
        engagement=engagement,
        initial={
            "date": next_step.planned_date if next_step else today + datetime.timedelta(weeks=1),
            "plan_step": next_step,
            "start_time": datetime.time(9),
            "place": _company_address(engagement.company),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                engagement=engagement,
                actor=request.user,
                date=data["date"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                place=data["place"],
                video_link=data["video_link"],
                coaches=list(data["coaches"]),
                plan_step=data["plan_step"],
                people=list(data["people"]),
                company_users=list(data["company_users"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            invited = booking.people.exclude(email="").count() + booking.company_users.count()
            messages.success(request, f"{_('Tillfället är bokat.')} {_invited_message(invited)}")
            return redirect(f"{engagement.get_absolute_url()}#bookings-heading")
    return render(
        request,
        "engagements/booking_form.html",
        {"form": form, "engagement": engagement, "booking": None},
    )


@permission_required("engagements.log", raise_exception=True)
@concurrent_edit
def booking_edit(request: HttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    """Changes a booked session; the invitees get the update. Two people changing it at
    once do not overwrite each other: the second is told, and keeps what they typed."""
    engagement = _engagement(request, pk)
    booking = _booking(engagement, booking_pk)
    closed = _booking_closed(request, booking)
    if closed is not None:
        return closed
    form = BookingForm(request.POST or None, instance=booking, engagement=engagement)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("edit_token", None)
        coaches = list(data.pop("coaches"))
        people = list(data.pop("people"))
        company_users = list(data.pop("company_users"))
        before = booking.sequence
        try:
            updated = services.booking_update(
                booking=booking,
                coaches=coaches,
                people=people,
                company_users=company_users,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if updated.sequence == before:
                messages.info(request, _("Inget ändrades, så ingen uppdatering skickades."))
            else:
                messages.success(
                    request, _("Tillfället är ändrat. De inbjudna får en uppdatering.")
                )
            return redirect(f"{engagement.get_absolute_url()}#bookings-heading")
    return render(
        request,
        "engagements/booking_form.html",
        {"form": form, "engagement": engagement, "booking": booking},
    )


@permission_required("engagements.log", raise_exception=True)
@concurrent_edit
def booking_cancel(request: HttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    """Asks first; the cancellation then reaches every invitee. Refused when the booking
    changed after the question was shown (the user sees it as it is now)."""
    engagement = _engagement(request, pk)
    booking = _booking(engagement, booking_pk)
    closed = _booking_closed(request, booking)
    if closed is not None:
        return closed
    fields = list(BookingForm.Meta.fields)
    form = BookingCancelForm(
        request.POST or None, initial={"edit_token": edit_token(booking, fields)}
    )
    if request.method == "POST" and form.is_valid():
        stored = BookedSession.objects.select_for_update().get(pk=booking.pk)
        if form.cleaned_data["edit_token"] != edit_token(stored, fields):
            messages.error(
                request,
                _(
                    "Någon annan har ändrat tillfället under tiden. Kontrollera det och "
                    "ställ in det igen om det ska ställas in."
                ),
            )
            return redirect(request.path)
        try:
            services.booking_cancel(booking=booking, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Tillfället är inställt. De inbjudna får en avbokning."))
        return redirect(f"{engagement.get_absolute_url()}#bookings-heading")
    return render(
        request,
        "engagements/booking_cancel.html",
        {"form": form, "engagement": engagement, "booking": booking},
    )


@permission_required("engagements.log", raise_exception=True)
def booking_log(request: HttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    """Turns a booked session into a logged one after the day: the session form, filled
    in from the booking."""
    engagement = _engagement(request, pk)
    booking = _booking(engagement, booking_pk)
    closed = _booking_closed(request, booking)
    if closed is not None:
        return closed
    defaults = services.booking_session_defaults(booking=booking)
    form = SessionForm(
        request.POST or None,
        engagement=engagement,
        initial={**defaults, "step_done": booking.plan_step_id is not None},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("edit_token", None)
        data["coaches"] = list(data["coaches"])
        try:
            services.booking_log(booking=booking, actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tillfället är registrerat."))
            return redirect(f"{engagement.get_absolute_url()}?sparat=1")
    return render(
        request,
        "engagements/booking_log.html",
        {
            "form": form,
            "engagement": engagement,
            "booking": booking,
            "too_early": booking.date > timezone.localdate(),
        },
    )
