"""Every write to engagements. What callers may rely on:

- Enrolment pins the initiative's template's current published version and makes the
  dated plan from it; later versions of the template never change the plan. Every
  generated date is a Swedish working day (a weekend or holiday moves to the next one).
- A status changes only along TRANSITIONS; each change is recorded with who and when.
- Sessions are whole quarter hours; their coaches must be coaches of the engagement.
- An engagement's coaches are coaches of its partner (members of it), unless the office
  puts them there; a coach already on the engagement may stay.
- A booked session is not a session: it never counts as hours until the coach logs it.
  Booking, changing and cancelling it e-mail its invitees (through the outbox) a calendar
  invitation with one UID for its whole life and a sequence that grows with each change.
- An enrolment (an application) notifies the program office, an approval the company's
  users and the coaches, any other status change them and the partner's managers, each as
  they chose (``notices.py``), sent after the commit.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from redthread.accounts import predicates
from redthread.accounts.models import Membership
from redthread.assessments import selectors as assessment_selectors
from redthread.assessments import services as assessment_services
from redthread.core.working_days import swedish_working_day_on_or_after
from redthread.messaging.services import Attachment, message_send
from redthread.methodology.eligibility import Eligibility, initiative_eligibility
from redthread.methodology.models import Initiative, MethodModule, ProgramTemplate
from redthread.methodology.services import module_current, template_current
from redthread.registry.models import Organisation

from .calendar import CANCEL, REQUEST, booking_ical, booking_location
from .models import (
    TRANSITIONS,
    ActionItem,
    ActionItemComment,
    ActionOrigin,
    BookedSession,
    BookingStatus,
    Engagement,
    EngagementStatus,
    ExchangeRate,
    PlanAssessment,
    PlanStep,
    PlanStepStatus,
    Session,
    StatusChange,
)
from .notices import engagement_applied_notify, engagement_status_notify
from .selectors import company_user_choices, engagement_coach_ids


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
    note: str = "",
) -> tuple[Engagement, Eligibility]:
    """Enrols a company. Refused (ValidationError) when the initiative does not offer the
    template, the template has no published version, or the company does not meet the
    initiative's conditions. Conditions that cannot be checked for lack of facts do not
    refuse: they come back in the Eligibility for the caller to show. ``note`` (an
    applicant's message) is kept on the first status change and sent to the office."""
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
        engagement=engagement,
        from_status="",
        to_status=EngagementStatus.APPLIED,
        changed_by=actor,
        note=note,
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
    engagement_applied_notify(engagement=engagement, actor=actor, note=note)
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
    change = StatusChange.objects.create(
        engagement=locked,
        from_status=locked.status,
        to_status=to_status,
        changed_by=actor,
        note=note,
    )
    locked.status = to_status
    locked.save(update_fields=["status", "modified"])
    engagement.status = to_status
    engagement_status_notify(change=change, actor=actor)
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
    module: MethodModule | None = None,
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
        module=module,
    )
    item.full_clean()
    item.save()
    return item


def action_item_set_status(*, item: ActionItem, status: str) -> ActionItem:
    item.status = status
    item.full_clean()
    item.save(update_fields=["status", "modified"])
    return item


@transaction.atomic
def action_item_comment_add(*, item: ActionItem, author: Any, text: str) -> ActionItemComment:
    """Adds a comment to an action item; blank text is refused."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Skriv en kommentar."))
    comment = ActionItemComment(item=item, author=author, text=text)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def action_item_reassign(*, item: ActionItem, owner_person: Any) -> ActionItem:
    """Gives the item to another person at the engagement's company (the coach who owned
    it no longer does). A person of any other organisation is refused."""
    if owner_person is None or owner_person.organisation_id != item.engagement.company_id:
        raise ValidationError(_("Den ansvariga personen arbetar inte på företaget."))
    item.owner_person = owner_person
    item.owner_coach = None
    item.save(update_fields=["owner_person", "owner_coach", "modified"])
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
    *,
    engagement: Engagement,
    round: Any,
    module: MethodModule,
    dimension_name: str,
    kind: str,
    owner_person: Any = None,
    owner_coach: Any = None,
    due_date: datetime.date | None = None,
) -> ActionItem | PlanStep:
    """Turns a recommendation of an assessment into an action item (with an owner and a
    due date, if given) or a plan step. A module the plan has already (planned or done) is
    not added as a step again, nor one action per round and module made twice."""
    version = module_current(module)
    if kind == "step":
        if (
            engagement.plan_steps.filter(module_version__module=module)
            .exclude(status=PlanStepStatus.SKIPPED)
            .exists()
        ):
            raise ValidationError(_("%(module)s finns redan i planen.") % {"module": version.name})
        return plan_step_add(
            engagement=engagement,
            module=module,
            planned_date=timezone.localdate() + datetime.timedelta(weeks=2),
            phase_name=_("Efter mätning: %(dimension)s") % {"dimension": dimension_name},
        )
    with transaction.atomic():
        # Locks the engagement: two clicks at once make one action, not two.
        Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
        if engagement.action_items.filter(assessment_round=round, module=module).exists():
            raise ValidationError(
                _("%(module)s är redan en åtgärd från den här mätningen.")
                % {"module": version.name}
            )
        return action_item_create(
            engagement=engagement,
            title=_("%(module)s – för att stärka %(dimension)s")
            % {"module": version.name, "dimension": dimension_name.lower()},
            origin=ActionOrigin.ASSESSMENT,
            assessment_round=round,
            owner_person=owner_person,
            owner_coach=owner_coach,
            due_date=due_date,
            module=module,
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


# Booked sessions ------------------------------------------------------------------------

#: What a booking holds that its invitation shows: a change to any of them is an update.
BOOKING_FIELDS = frozenset(
    {"date", "start_time", "duration_minutes", "mode", "place", "video_link", "plan_step"}
)


@dataclass(frozen=True)
class _Invitee:
    name: str
    address: str
    user: Any = None

    @property
    def language(self) -> str:
        return getattr(self.user, "preferred_language", "") or settings.LANGUAGE_CODE


def _invitees(people: list[Any], company_users: list[Any]) -> list[_Invitee]:
    """Everyone invited who has an address, once each (a company user and a contact
    person with the same address are one invitee: the user, in their own language)."""
    found: dict[str, _Invitee] = {}
    for user in company_users:
        found.setdefault(user.email.lower(), _Invitee(str(user), user.email, user))
    for person in people:
        if person.email:
            found.setdefault(person.email.lower(), _Invitee(str(person), person.email))
    return sorted(found.values(), key=lambda i: i.address.lower())


def _booking_check(
    *,
    engagement: Engagement,
    date: datetime.date,
    duration_minutes: int,
    coaches: list[Any],
    plan_step: PlanStep | None,
    place: str,
    video_link: str,
    people: list[Any],
    company_users: list[Any],
) -> None:
    if engagement.status in EngagementStatus.FINAL:
        raise ValidationError(
            _("Uppdraget är avslutat eller avbrutet: nya tillfällen kan inte bokas.")
        )
    if date < timezone.localdate():
        raise ValidationError(_("Ett tillfälle bokas i dag eller framåt, inte bakåt i tiden."))
    if not coaches:
        raise ValidationError(_("Välj minst en coach."))
    _session_check(engagement, duration_minutes, coaches, plan_step)
    if not (place.strip() or video_link.strip()):
        raise ValidationError(_("Ange en plats eller en videolänk."))
    if any(p.organisation_id != engagement.company_id for p in people):
        raise ValidationError(_("Den inbjudna personen arbetar inte på företaget."))
    members = set(company_user_choices(engagement=engagement).values_list("pk", flat=True))
    if any(u.pk not in members for u in company_users):
        raise ValidationError(_("Den inbjudna användaren hör inte till företaget."))


def _organizer(booking: BookedSession, coaches: list[Any]) -> Any:
    """The coach the invitation comes from: the lead coach if present, else the first."""
    for coach in coaches:
        if coach.pk == booking.engagement.lead_coach_id:
            return coach
    return coaches[0] if coaches else None


#: The three messages a booking sends, by what happened to it.
BOOKING_KINDS = {
    "new": "booking_invitation",
    "changed": "booking_update",
    "cancelled": "booking_cancellation",
}


def _booking_send(
    *,
    booking: BookedSession,
    change: str,
    to: list[_Invitee],
    attendees: list[_Invitee],
    coaches: list[Any],
    invited_before: frozenset[str] | None = None,
) -> None:
    """One message per invitee in ``to``, each in its own language, with the invitation
    (REQUEST, or CANCEL when ``change`` is "cancelled" or they are no longer invited)
    listing ``attendees``; an update reads as an invitation to one not ``invited_before``.
    Queued in the caller's transaction: sent after it commits."""
    organizer = _organizer(booking, coaches)
    invited = {i.address.lower() for i in attendees}
    for invitee in to:
        address = invitee.address.lower()
        method = REQUEST if change != "cancelled" and address in invited else CANCEL
        kind = change if method == REQUEST else "cancelled"
        if kind == "changed" and invited_before is not None and address not in invited_before:
            kind = "new"
        with translation.override(invitee.language):
            text = booking_ical(
                booking,
                method=method,
                organizer=organizer,
                attendees=[(i.name, i.address) for i in attendees],
            )
        message_send(
            to=invitee.user or invitee.address,
            kind=BOOKING_KINDS[kind],
            template="engagements/email/booking",
            context={
                "booking": booking,
                "change": kind,
                "company": booking.engagement.company.name,
                "location": booking_location(booking),
                "end": (
                    datetime.datetime.combine(booking.date, booking.start_time)
                    + datetime.timedelta(minutes=booking.duration_minutes)
                ).time(),
                "coaches": [str(c) for c in coaches],
                # A company user can open the engagement; a contact without an account not.
                "link": booking.engagement.get_absolute_url() if invitee.user else "",
            },
            language=invitee.language,
            about=booking,
            attachments=[
                Attachment(
                    filename="inbjudan.ics" if method == REQUEST else "installt.ics",
                    content_type=f"text/calendar; method={method}",
                    content=text,
                )
            ],
        )


@transaction.atomic
def booking_create(
    *,
    engagement: Engagement,
    actor: Any,
    date: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    coaches: list[Any],
    mode: str = "onsite",
    place: str = "",
    video_link: str = "",
    plan_step: PlanStep | None = None,
    people: list[Any] | None = None,
    company_users: list[Any] | None = None,
) -> BookedSession:
    """Books a coming session and sends each invitee (the company's contact persons and
    users chosen; those without an address are skipped) an invitation with METHOD:REQUEST
    and SEQUENCE 0. Refused (ValidationError) for a past date, a closed engagement, a length
    not in quarter hours, a coach not on the engagement, an invitee of another company, or
    neither place nor video link. Nothing counts as hours until :func:`booking_log`."""
    people, company_users = list(people or []), list(company_users or [])
    _booking_check(
        engagement=engagement,
        date=date,
        duration_minutes=duration_minutes,
        coaches=coaches,
        plan_step=plan_step,
        place=place,
        video_link=video_link,
        people=people,
        company_users=company_users,
    )
    booking = BookedSession.objects.create(
        engagement=engagement,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        mode=mode,
        place=place.strip(),
        video_link=video_link.strip(),
        plan_step=plan_step,
        uid=f"booking-{uuid.uuid4()}@redthread",
        created_by=actor,
    )
    booking.coaches.set(coaches)
    booking.people.set(people)
    booking.company_users.set(company_users)
    invitees = _invitees(people, company_users)
    _booking_send(booking=booking, change="new", to=invitees, attendees=invitees, coaches=coaches)
    return booking


def _booking_lock(booking: BookedSession) -> BookedSession:
    locked = (
        # Only the booking's row: PostgreSQL locks no nullable side of a join (plan step).
        BookedSession.objects.select_for_update(of=("self",))
        .select_related("engagement__company", "plan_step__module_version")
        .get(pk=booking.pk)
    )
    if locked.status != BookingStatus.BOOKED:
        raise ValidationError(
            _("Tillfället är redan %(status)s.")
            % {"status": str(BookingStatus(locked.status).label).lower()}
        )
    return locked


@transaction.atomic
def booking_update(
    *,
    booking: BookedSession,
    coaches: list[Any],
    people: list[Any],
    company_users: list[Any],
    **fields: Any,
) -> BookedSession:
    """Changes a booked session (``fields`` among BOOKING_FIELDS). When anything the
    invitation shows changed, the sequence grows by one and every invitee gets the update
    (METHOD:REQUEST, same UID); one no longer invited gets METHOD:CANCEL. Nothing changed:
    nothing is sent. Refused as :func:`booking_create` is, and for a booking that is
    cancelled or logged already."""
    unknown = set(fields) - BOOKING_FIELDS
    if unknown:
        raise TypeError(f"booking_update has no field(s) {sorted(unknown)} to change")
    locked = _booking_lock(booking)
    before_invitees = _invitees(list(locked.people.all()), list(locked.company_users.all()))
    before_coaches = {c.pk for c in locked.coaches.all()}
    fields = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    merged = {name: fields.get(name, getattr(locked, name)) for name in BOOKING_FIELDS}
    _booking_check(
        engagement=locked.engagement,
        date=merged["date"],
        duration_minutes=merged["duration_minutes"],
        coaches=coaches,
        plan_step=merged["plan_step"],
        place=merged["place"],
        video_link=merged["video_link"],
        people=people,
        company_users=company_users,
    )
    invitees = _invitees(people, company_users)
    changed = (
        any(getattr(locked, name) != value for name, value in fields.items())
        or before_invitees != invitees
        or before_coaches != {c.pk for c in coaches}
    )
    for name, value in fields.items():
        setattr(locked, name, value)
    if changed:
        locked.sequence += 1
    locked.save()
    locked.coaches.set(coaches)
    locked.people.set(people)
    locked.company_users.set(company_users)
    if changed:
        current = {i.address.lower() for i in invitees}
        removed = [i for i in before_invitees if i.address.lower() not in current]
        _booking_send(
            booking=locked,
            change="changed",
            to=[*invitees, *removed],
            attendees=invitees,
            coaches=coaches,
            invited_before=frozenset(i.address.lower() for i in before_invitees),
        )
    return locked


@transaction.atomic
def booking_cancel(*, booking: BookedSession, actor: Any) -> BookedSession:
    """Cancels a booked session: its sequence grows by one and every invitee gets
    METHOD:CANCEL with its UID. Refused for one cancelled or logged already."""
    locked = _booking_lock(booking)
    coaches = list(locked.coaches.all())
    invitees = _invitees(list(locked.people.all()), list(locked.company_users.all()))
    locked.status = BookingStatus.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "modified"])
    _booking_send(
        booking=locked, change="cancelled", to=invitees, attendees=invitees, coaches=coaches
    )
    return locked


def booking_session_defaults(*, booking: BookedSession) -> dict[str, Any]:
    """What the logged session starts from: the booking's date, time, length, form,
    coaches and plan step."""
    return {
        "date": booking.date,
        "start_time": booking.start_time,
        "duration_minutes": booking.duration_minutes,
        "mode": booking.mode,
        "coaches": list(booking.coaches.values_list("pk", flat=True)),
        "plan_step": booking.plan_step_id,
    }


@transaction.atomic
def booking_log(*, booking: BookedSession, actor: Any, **session: Any) -> Session:
    """Turns a booked session, on or after its day, into a logged one (:func:`session_log`
    with ``session``'s facts); from then on it counts as hours, once. Refused before the
    day, and for a booking cancelled or logged already."""
    locked = _booking_lock(booking)
    if locked.date > timezone.localdate():
        raise ValidationError(_("Tillfället kan registreras från och med sin dag."))
    logged = session_log(engagement=locked.engagement, actor=actor, **session)
    locked.session = logged
    locked.status = BookingStatus.LOGGED
    locked.save(update_fields=["session", "status", "modified"])
    return logged
