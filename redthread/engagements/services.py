"""Every write to engagements. What callers may rely on:

- Enrolment pins the initiative's template's current published version and makes the
  dated plan from it; later versions of the template never change the plan. Every
  generated date is a Swedish working day (a weekend or holiday moves to the next one).
- A status changes only along TRANSITIONS; each change is recorded with who and when.
- Sessions are whole quarter hours; their coaches must be coaches of the engagement.
- An engagement's coaches are coaches of its partner (members of it), unless the office
  puts them there; a coach already on the engagement may stay.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from redthread.accounts import predicates
from redthread.accounts.models import Membership
from redthread.assessments import selectors as assessment_selectors
from redthread.assessments import services as assessment_services
from redthread.core.working_days import swedish_working_day_on_or_after
from redthread.methodology.eligibility import Eligibility, initiative_eligibility
from redthread.methodology.models import Initiative, MethodModule, ProgramTemplate
from redthread.methodology.services import module_current, template_current
from redthread.registry.models import Organisation

from .models import (
    TRANSITIONS,
    ActionItem,
    ActionOrigin,
    Engagement,
    EngagementStatus,
    ExchangeRate,
    PlanAssessment,
    PlanStep,
    PlanStepStatus,
    Session,
    StatusChange,
)
from .selectors import engagement_coach_ids


def _week(start: datetime.date, offset_weeks: int) -> datetime.date:
    """The plan date ``offset_weeks`` after the start, moved on to a Swedish working day
    when it falls on a weekend or a holiday."""
    return swedish_working_day_on_or_after(start + datetime.timedelta(weeks=offset_weeks))


@transaction.atomic
def engagement_enrol(
    *,
    company: Organisation,
    initiative: Initiative,
    template: ProgramTemplate,
    partner: Organisation,
    start_date: datetime.date,
    actor: Any,
    lead_coach: Any = None,
    coaches: list[Any] | None = None,
) -> tuple[Engagement, Eligibility]:
    """Enrols a company. Refused (ValidationError) when the initiative does not offer the
    template, the template has no published version, or the company does not meet the
    initiative's conditions. Conditions that cannot be checked for lack of facts do not
    refuse: they come back in the Eligibility for the caller to show."""
    if not initiative.templates.filter(pk=template.pk).exists():
        raise ValidationError(
            _("%(initiative)s erbjuder inte programmallen %(template)s.")
            % {"initiative": initiative.name, "template": template.code}
        )
    version = template_current(template)
    if version is None:
        raise ValidationError(_("Programmallen har ingen publicerad version."))
    eligibility = initiative_eligibility(initiative=initiative, company=company, on=start_date)
    if eligibility.reasons:
        raise ValidationError(eligibility.reasons)
    _coaches_check(partner=partner, coaches=[lead_coach, *(coaches or [])], actor=actor)
    engagement = Engagement.objects.create(
        company=company,
        initiative=initiative,
        template_version=version,
        partner=partner,
        lead_coach=lead_coach,
        start_date=start_date,
        status=EngagementStatus.APPLIED,
    )
    if coaches:
        engagement.coaches.set(coaches)
    StatusChange.objects.create(
        engagement=engagement, from_status="", to_status=EngagementStatus.APPLIED, changed_by=actor
    )
    order = 0
    steps = []
    for phase in version.phases.prefetch_related("steps__module_version"):
        for step in phase.steps.all():
            order += 1
            steps.append(
                PlanStep(
                    engagement=engagement,
                    template_step=step,
                    module_version=step.module_version,
                    phase_name=phase.name,
                    order=order,
                    planned_date=_week(start_date, step.offset_weeks),
                    coach_hours=step.coach_hours,
                )
            )
    PlanStep.objects.bulk_create(steps)
    PlanAssessment.objects.bulk_create(
        PlanAssessment(
            engagement=engagement,
            timepoint=point.timepoint,
            instrument=point.instrument,
            planned_date=_week(start_date, point.offset_weeks),
        )
        for point in version.assessment_points.all()
    )
    return engagement, eligibility


@transaction.atomic
def engagement_status_change(
    *, engagement: Engagement, to_status: str, actor: Any, note: str = ""
) -> Engagement:
    """Moves the engagement to ``to_status`` if its current status allows it."""
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if to_status not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("Statusen kan inte ändras från %(current)s till %(target)s.")
            % {
                "current": str(EngagementStatus(locked.status).label).lower(),
                "target": str(EngagementStatus(to_status).label).lower(),
            }
        )
    StatusChange.objects.create(
        engagement=locked,
        from_status=locked.status,
        to_status=to_status,
        changed_by=actor,
        note=note,
    )
    locked.status = to_status
    locked.save(update_fields=["status", "modified"])
    engagement.status = to_status
    return locked


def plan_step_move(*, step: PlanStep, planned_date: datetime.date) -> PlanStep:
    step.planned_date = planned_date
    step.save(update_fields=["planned_date"])
    return step


def plan_step_skip(*, step: PlanStep, reason: str) -> PlanStep:
    if not reason.strip():
        raise ValidationError(_("Skriv varför steget hoppas över."))
    step.status = PlanStepStatus.SKIPPED
    step.skip_reason = reason.strip()
    step.save(update_fields=["status", "skip_reason"])
    return step


def plan_step_add(
    *, engagement: Engagement, module: MethodModule, planned_date: datetime.date, phase_name: str
) -> PlanStep:
    """Adds a step that is not in the template, with the module's current version."""
    order = (engagement.plan_steps.aggregate(n=Max("order"))["n"] or 0) + 1
    return PlanStep.objects.create(
        engagement=engagement,
        module_version=module_current(module),
        phase_name=phase_name,
        order=order,
        planned_date=planned_date,
    )


@transaction.atomic
def session_log(
    *,
    engagement: Engagement,
    actor: Any,
    date: datetime.date,
    duration_minutes: int,
    coaches: list[Any],
    start_time: datetime.time | None = None,
    mode: str = "onsite",
    plan_step: PlanStep | None = None,
    women: int = 0,
    men: int = 0,
    other: int = 0,
    company_hours: Decimal | int = 0,
    notes: str = "",
    next_steps: str = "",
    step_done: bool = False,
) -> Session:
    """Logs a coaching session; with ``step_done`` the plan step is marked carried out."""
    if engagement.status in EngagementStatus.FINAL:
        raise ValidationError(
            _("Uppdraget är avslutat eller avbrutet: nya tillfällen kan inte registreras.")
        )
    _session_check(engagement, duration_minutes, coaches, plan_step)
    session = Session.objects.create(
        engagement=engagement,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        mode=mode,
        plan_step=plan_step,
        women=women,
        men=men,
        other=other,
        company_hours=company_hours,
        notes=notes,
        next_steps=next_steps,
        created_by=actor,
    )
    session.coaches.set(coaches)
    if plan_step is not None and step_done:
        plan_step.status = PlanStepStatus.DONE
        plan_step.save(update_fields=["status"])
    return session


@transaction.atomic
def sessions_log(
    *, engagement: Engagement, actor: Any, rows: list[dict[str, Any]]
) -> list[Session]:
    """Logs several sessions of the engagement's lead coach, each row holding
    ``session_log``'s facts (date, duration_minutes, mode, participants, company_hours,
    notes): all are saved, or none (the first refused row's ``ValidationError`` is raised)."""
    if engagement.lead_coach is None:
        raise ValidationError(_("Uppdraget har ingen huvudcoach att registrera tillfällen på."))
    return [
        session_log(engagement=engagement, actor=actor, coaches=[engagement.lead_coach], **row)
        for row in rows
    ]


def _session_check(
    engagement: Engagement, duration_minutes: int, coaches: list[Any], plan_step: PlanStep | None
) -> None:
    if duration_minutes <= 0 or duration_minutes % 15:
        raise ValidationError(_("Längden anges i hela kvartar: 15, 30, 45, 60 … minuter."))
    allowed = {engagement.lead_coach_id, *engagement.coaches.values_list("pk", flat=True)}
    strangers = [c for c in coaches if c.pk not in allowed]
    if strangers:
        raise ValidationError(
            _("Inte coach i uppdraget: %(names)s.")
            % {"names": ", ".join(str(c) for c in strangers)}
        )
    if plan_step is not None and plan_step.engagement_id != engagement.pk:
        raise ValidationError(_("Plansteget hör till ett annat uppdrag."))


SESSION_FIELDS = frozenset(
    {
        "date",
        "start_time",
        "duration_minutes",
        "mode",
        "plan_step",
        "women",
        "men",
        "other",
        "company_hours",
        "notes",
        "next_steps",
    }
)


@transaction.atomic
def session_update(*, session: Session, coaches: list[Any], **fields: Any) -> Session:
    """Changes a logged session (the audit trail keeps what it was)."""
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise TypeError(f"session_update has no field(s) {sorted(unknown)} to change")
    _session_check(
        session.engagement,
        fields.get("duration_minutes", session.duration_minutes),
        coaches,
        fields.get("plan_step", session.plan_step),
    )
    for name, value in fields.items():
        setattr(session, name, value)
    session.save()
    session.coaches.set(coaches)
    return session


def action_item_create(
    *,
    engagement: Engagement,
    title: str,
    due_date: datetime.date | None = None,
    owner_person: Any = None,
    owner_coach: Any = None,
    origin: str = ActionOrigin.OTHER,
    session: Session | None = None,
    plan_step: PlanStep | None = None,
    assessment_round: Any = None,
) -> ActionItem:
    if owner_person is not None and owner_person.organisation_id != engagement.company_id:
        raise ValidationError(_("Den ansvariga personen arbetar inte på företaget."))
    item = ActionItem(
        engagement=engagement,
        title=title,
        due_date=due_date,
        owner_person=owner_person,
        owner_coach=owner_coach,
        origin=ActionOrigin.SESSION if session is not None else origin,
        session=session,
        plan_step=plan_step,
        assessment_round=assessment_round,
    )
    item.full_clean()
    item.save()
    return item


def action_item_set_status(*, item: ActionItem, status: str) -> ActionItem:
    item.status = status
    item.full_clean()
    item.save(update_fields=["status", "modified"])
    return item


def session_notes_purge(*, today: datetime.date, retention_days: int) -> int:
    """Blanks the notes and next steps of sessions older than the retention period (they
    may hold personal data); the sessions themselves, with hours and participants, stay.
    Returns how many sessions were blanked."""
    cutoff = today - datetime.timedelta(days=retention_days)
    old = Session.objects.filter(date__lt=cutoff).exclude(notes="", next_steps="")
    count = 0
    for session in old.iterator():
        session.notes = ""
        session.next_steps = ""
        session.save(update_fields=["notes", "next_steps", "modified"])
        # The audit trail must not keep what the retention rule removes.
        session.history.all().update(notes="", next_steps="")
        count += 1
    return count


def _coaches_check(
    *,
    partner: Organisation,
    coaches: list[Any],
    actor: Any,
    already: frozenset[int] | set[int] = frozenset(),
) -> None:
    """Only the office puts a coach of another partner on an engagement: a coach on it reads
    its notes and its company."""
    if predicates.is_program_office(actor):
        return
    members = set(Membership.objects.filter(organisation=partner).values_list("user_id", flat=True))
    strangers = sorted(
        {str(c) for c in coaches if c is not None and c.pk not in members and c.pk not in already}
    )
    if strangers:
        raise ValidationError(
            _("Inte coach hos %(partner)s: %(names)s.")
            % {"partner": partner.name, "names": ", ".join(strangers)}
        )


@transaction.atomic
def engagement_update(
    *,
    engagement: Engagement,
    partner: Organisation,
    lead_coach: Any,
    coaches: list[Any],
    actor: Any,
) -> Engagement:
    """Changes who delivers the engagement; its plan and history stay. Refused
    (ValidationError) when a coach new to the engagement is not a coach of ``partner`` and
    ``actor`` is not the office."""
    _coaches_check(
        partner=partner,
        coaches=[lead_coach, *coaches],
        actor=actor,
        already=engagement_coach_ids(engagement=engagement),
    )
    engagement.partner = partner
    engagement.lead_coach = lead_coach
    engagement.save(update_fields=["partner", "lead_coach", "modified"])
    engagement.coaches.set([c for c in coaches if c != lead_coach])
    return engagement


@transaction.atomic
def plan_assessment_start(*, point: PlanAssessment, actor: Any) -> Any:
    """Opens the round of measurement a plan foresees (once): for the engagement's company,
    with the instrument's current version, the engagement's partner and coaches."""
    if point.round_id is not None:
        return point.round
    instrument = assessment_selectors.instrument_current(point.instrument)
    if instrument is None:
        raise ValidationError(
            _("Instrumentet finns inte i systemet ännu: be administratören läsa in det.")
        )
    engagement = point.engagement
    round_ = assessment_services.round_create(
        company=engagement.company,
        instrument=instrument,
        timepoint=point.timepoint,
        date=timezone.localdate(),
        partner=engagement.partner,
        created_by=actor,
        coaches=[engagement.lead_coach, *engagement.coaches.all()],
    )
    point.round = round_
    point.save(update_fields=["round"])
    return round_


def recommendation_apply(
    *, engagement: Engagement, round: Any, module: MethodModule, dimension_name: str, kind: str
) -> ActionItem | PlanStep:
    """Turns a recommendation of an assessment into an action item or a plan step."""
    version = module_current(module)
    if kind == "step":
        return plan_step_add(
            engagement=engagement,
            module=module,
            planned_date=timezone.localdate() + datetime.timedelta(weeks=2),
            phase_name=_("Efter mätning: %(dimension)s") % {"dimension": dimension_name},
        )
    return action_item_create(
        engagement=engagement,
        title=_("%(module)s – för att stärka %(dimension)s")
        % {"module": version.name, "dimension": dimension_name.lower()},
        origin=ActionOrigin.ASSESSMENT,
        assessment_round=round,
    )


def exchange_rate_set(*, year: int, sek_per_eur: Decimal) -> ExchangeRate:
    """The office's SEK per EUR for ``year`` (one rate a year: a second call replaces it).
    The de minimis statements of that year use it from now on."""
    if sek_per_eur <= 0:
        raise ValidationError(_("Växelkursen måste vara större än noll."))
    rate, _created = ExchangeRate.objects.update_or_create(
        year=year, defaults={"sek_per_eur": sek_per_eur}
    )
    return rate
