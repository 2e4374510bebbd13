from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from redthread.academy.models import CoachProfile
from redthread.accounts import predicates
from redthread.accounts.models import Role, User
from redthread.accounts.typing import RequestUser
from redthread.assessments.models import AssessmentRound, InstrumentVersion
from redthread.assessments.selectors import round_figures as assessment_round_figures
from redthread.methodology.models import (
    InitiativeFunding,
    ModuleAttachment,
    TemplateStep,
    TemplateVersion,
    Timepoint,
)
from redthread.registry.models import Organisation, OrganisationKind

from .models import (
    COACH_TRANSITIONS,
    TRANSITIONS,
    ActionItem,
    ActionItemComment,
    ActionStatus,
    BookedSession,
    BookingStatus,
    Engagement,
    EngagementStatus,
    EngagementTotals,
    ExchangeRate,
    PlanAssessment,
    PlanStep,
    PlanStepStatus,
    Session,
    StatusChange,
)


def coach_choices(*, user: RequestUser, current: Engagement | None = None) -> QuerySet[User]:
    """The coaches ``user`` may put on an engagement: every active coach for the office;
    for anyone else the active coaches of its own partners, and whoever is on ``current``
    already (the office may have added a coach of another partner). By name."""
    coaches = User.objects.filter(role=Role.COACH, is_active=True)
    if not predicates.is_program_office(user):
        condition = Q(
            memberships__organisation__in=predicates.organisation_ids(
                user, OrganisationKind.PARTNER
            )
        )
        if current is not None and current.pk:
            condition |= Q(pk__in=engagement_coach_ids(engagement=current))
        coaches = coaches.filter(pk__in=User.objects.filter(condition).values("pk"))
    return coaches.order_by("full_name", "email")


def engagement_coach_ids(*, engagement: Engagement) -> set[int]:
    """The lead coach's and the co-coaches' ids."""
    ids = set(engagement.coaches.values_list("pk", flat=True))
    if engagement.lead_coach_id:
        ids.add(engagement.lead_coach_id)
    return ids


def engagement_list(
    *,
    user: RequestUser,
    q: str = "",
    initiative: Any = None,
    partner: Any = None,
    status: str = "",
    region: str = "",
) -> QuerySet[Engagement]:
    """The engagements ``user`` may see, with the rows the list joins in; its figures come
    from :func:`engagement_figures` (applied to the page's rows only)."""
    engagements = Engagement.objects.visible_to(user).select_related(
        "company__municipality__county__nuts",
        "initiative",
        "partner",
        "lead_coach",
        "template_version",
    )
    if q:
        engagements = engagements.filter(company__name__icontains=q)
    if initiative is not None:
        engagements = engagements.filter(initiative=initiative)
    if partner is not None:
        engagements = engagements.filter(partner=partner)
    if status:
        engagements = engagements.filter(status=status)
    if region:
        engagements = engagements.filter(company__municipality__county__nuts__code=region)
    return engagements


def _sum_per_engagement(queryset: QuerySet[Any], expression: Any) -> Any:
    """A correlated subquery: ``expression`` aggregated over ``queryset``'s rows of the
    outer engagement (0 without rows). Each figure is its own subquery, so one join can
    never multiply another's rows (a ``Sum`` over sessions beside a join to action items
    counted each session once per action item)."""
    return Coalesce(
        Subquery(
            queryset.filter(engagement=OuterRef("pk"))
            .order_by()
            .values("engagement")
            .annotate(v=expression)
            .values("v")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def engagement_figures(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """The list's figures per engagement: the coach minutes logged and the action items
    still to do."""
    return engagements.annotate(
        session_minutes=_sum_per_engagement(Session.objects.all(), Sum("duration_minutes")),
        open_actions=_sum_per_engagement(
            ActionItem.objects.filter(status__in=ActionStatus.PENDING), Count("pk")
        ),
    )


def engagement_get(*, user: RequestUser, pk: int) -> Engagement:
    return (
        Engagement.objects.visible_to(user)
        .select_related(
            "company", "initiative", "partner", "lead_coach", "template_version__template"
        )
        .get(pk=pk)
    )


def session_list(*, engagement: Engagement) -> QuerySet[Session]:
    return engagement.sessions.select_related("plan_step__module_version").prefetch_related(
        "coaches"
    )


def action_item_list(*, engagement: Engagement) -> QuerySet[ActionItem]:
    return engagement.action_items.select_related("owner_person", "owner_coach", "session")


def plan_step_list(*, engagement: Engagement) -> QuerySet[PlanStep]:
    return engagement.plan_steps.select_related("module_version")


def plan_assessment_list(*, engagement: Engagement) -> QuerySet[PlanAssessment]:
    # The rounds with their figures: a round still waiting for respondents says so.
    return engagement.plan_assessments.prefetch_related(
        Prefetch("round", queryset=assessment_round_figures(AssessmentRound.objects.all()))
    )


def plan_document_list(*, engagement: Engagement) -> QuerySet[ModuleAttachment]:
    """The attachments of the module versions the plan pinned (templates, checklists)."""
    return (
        ModuleAttachment.objects.filter(version__plan_steps__engagement=engagement)
        .select_related("version__module")
        .distinct()
    )


def engagement_status_targets(*, engagement: Engagement, user: RequestUser) -> list[str]:
    """The statuses ``user`` may move ``engagement`` to now, in ``EngagementStatus`` order:
    every move ``TRANSITIONS`` allows for the office and the partner's managers
    (``engagements.change_status``), the coach's moves (``COACH_TRANSITIONS``) for a coach
    of this engagement (``engagements.change_own_status``), none for anyone else and none
    once the engagement is completed or withdrawn."""
    allowed = TRANSITIONS[engagement.status]
    if user.has_perm("engagements.change_status"):
        targets = allowed
    elif user.has_perm("engagements.change_own_status", engagement):
        targets = allowed & COACH_TRANSITIONS.get(engagement.status, set())
    else:
        targets = set()
    return [status for status in EngagementStatus.values if status in targets]


def status_change_list(*, engagement: Engagement) -> QuerySet[StatusChange]:
    return engagement.status_changes.select_related("changed_by")


def engagement_open_list(*, user: RequestUser, company_id: int) -> QuerySet[Engagement]:
    """The company's engagements that are not over, of those ``user`` may see."""
    return (
        Engagement.objects.visible_to(user)
        .filter(company_id=company_id, status__in=EngagementStatus.OPEN)
        .select_related("initiative")
    )


def engagement_cohorts(*, user: RequestUser) -> list[int]:
    """The years the engagements ``user`` may see started in, latest first."""
    return [
        d.year
        for d in Engagement.objects.visible_to(user).dates("start_date", "year", order="DESC")
    ]


@dataclass(frozen=True)
class Overview:
    """The status board: engagements by status, this month's hours, overdue action items,
    and the company hours by initiative and by funder."""

    #: (status, its label, how many)
    statuses: list[tuple[str, Any, int]]
    coach_hours: float
    company_hours: Decimal | int
    session_count: int
    overdue: list[ActionItem]
    overdue_count: int
    #: rows with the initiative's name and id, its company hours and session minutes
    by_initiative: list[Any]
    by_funder: list[tuple[str, Decimal]]


#: The board lists this many overdue action items (and counts them all).
OVERDUE_SHOWN = 50


def overview(*, user: RequestUser, today: datetime.date) -> Overview:
    """The board over the engagements ``user`` may see (a partner's managers: their own)."""
    engagements = Engagement.objects.visible_to(user)
    # Counted over the visible ids: a coach's engagements join its co-coaches, and a count
    # grouped beside that join would count an engagement once per co-coach.
    counts = dict(
        Engagement.objects.filter(pk__in=engagements.values("pk"))
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    # A range on the indexed date, not date__month (a function of every row's date).
    first = today.replace(day=1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    # The month's sessions and the overdue items are few beside all of them: read through
    # the date indexes, each row's engagement checked (EXISTS), not by scanning every
    # session and item of the engagements in view (which SQLite picks for an IN).
    in_view = Exists(engagements.filter(pk=OuterRef("engagement_id")))
    month = (
        Session.objects.filter(date__gte=first, date__lt=after)
        .filter(in_view)
        .aggregate(minutes=Sum("duration_minutes"), company=Sum("company_hours"), count=Count("pk"))
    )
    overdue = (
        ActionItem.objects.filter(status__in=ActionStatus.PENDING, due_date__lt=today)
        .filter(in_view)
        .select_related("engagement__company", "owner_person", "owner_coach")
        .order_by("due_date")
    )
    # The engagements' kept totals (``totals``), not every session: one row per engagement.
    by_initiative = list(
        EngagementTotals.objects.filter(engagement__in=engagements, sessions__gt=0)
        .values("engagement__initiative__name", "engagement__initiative_id")
        .annotate(company=Sum("company_hours"), minutes=Sum("minutes"))
        .order_by("engagement__initiative__name")
    )
    company_hours = {row["engagement__initiative_id"]: row["company"] or 0 for row in by_initiative}
    funders: dict[str, Decimal] = {}
    for funding in InitiativeFunding.objects.filter(initiative_id__in=company_hours).select_related(
        "funder"
    ):
        # Co-financing counts toward every funder of the initiative.
        funders[funding.funder.name] = funders.get(funding.funder.name, Decimal(0)) + Decimal(
            company_hours.get(funding.initiative_id, 0)
        )
    return Overview(
        statuses=[
            (value, label, counts.get(value, 0)) for value, label in EngagementStatus.choices
        ],
        coach_hours=(month["minutes"] or 0) / 60,
        company_hours=month["company"] or 0,
        session_count=month["count"],
        overdue=list(overdue[:OVERDUE_SHOWN]),
        overdue_count=overdue.count(),
        by_initiative=by_initiative,
        by_funder=sorted(funders.items()),
    )


def maturity_rounds(
    *,
    user: RequestUser,
    instrument: InstrumentVersion,
    initiative: Any = None,
    partner: Any = None,
    cohort: int | None = None,
) -> QuerySet[AssessmentRound]:
    """The scored rounds at the planned timepoints of the engagements ``user`` may see,
    with ``instrument``'s code (any of its versions), narrowed by initiative, partner and
    start year."""
    engagements = Engagement.objects.visible_to(user)
    if initiative:
        engagements = engagements.filter(initiative=initiative)
    if partner:
        engagements = engagements.filter(partner=partner)
    if cohort:
        engagements = engagements.filter(start_date__year=cohort)
    return (
        AssessmentRound.objects.filter(
            plan_assessment__engagement__in=engagements.values("pk"),
            instrument__code=instrument.code,
            overall__isnull=False,
            timepoint__in=Timepoint.PLANNED,
        )
        .select_related("instrument")
        .defer("instrument__definition")
    )


def exchange_rate_list() -> QuerySet[ExchangeRate]:
    return ExchangeRate.objects.all()


#: How long the coverage matrix's counts are kept at most.
MODULE_USAGE_SECONDS = 300


def module_usage() -> Any:
    """How many engagements have each module in their plans, per initiative and per
    template (for the coverage matrix of the methodology, through its hook)."""
    from redthread.methodology.hooks import ModuleUsage

    from .models import PlanStep

    # Kept while the plan steps and the engagements look the same (their counts, last ids,
    # the sum of the steps' module versions, the engagements' last change), at most
    # MODULE_USAGE_SECONDS: the grouped count reads every plan step of the nation.
    steps = PlanStep.objects.order_by().aggregate(
        n=Count("pk"), last=Max("pk"), modules=Sum("module_version_id")
    )
    engagements = Engagement.objects.order_by().aggregate(n=Count("pk"), last=Max("modified"))
    key = (
        "engagements.module_usage:"
        + hashlib.sha256(
            repr((sorted(steps.items()), engagements["n"], str(engagements["last"]))).encode()
        ).hexdigest()
    )
    kept = cache.get(key)
    if isinstance(kept, ModuleUsage):
        return kept
    # One grouped query: an engagement has one initiative and one template, so the distinct
    # engagements per (module, initiative, template) add up to those per module and
    # initiative, and per module and template, without counting one twice.
    by_initiative: dict[tuple[int, int], int] = {}
    by_template: dict[tuple[int, int], int] = {}
    rows = (
        PlanStep.objects.order_by()
        .values_list(
            "module_version__module_id",
            "engagement__initiative_id",
            "engagement__template_version__template_id",
        )
        .annotate(n=Count("engagement", distinct=True))
    )
    for module_id, initiative_id, template_id, n in rows:
        by_initiative[(module_id, initiative_id)] = (
            by_initiative.get((module_id, initiative_id), 0) + n
        )
        by_template[(module_id, template_id)] = by_template.get((module_id, template_id), 0) + n
    usage = ModuleUsage(by_initiative, by_template)
    cache.set(key, usage, MODULE_USAGE_SECONDS)
    return usage


def company_user_choices(*, engagement: Engagement) -> QuerySet[User]:
    """The active company users of the engagement's company: whom a booking may invite."""
    return User.objects.filter(
        role=Role.COMPANY_USER,
        is_active=True,
        pk__in=User.objects.filter(memberships__organisation=engagement.company_id).values("pk"),
    ).order_by("full_name", "email")


def booking_list(*, engagement: Engagement) -> QuerySet[BookedSession]:
    """The engagement's booked sessions still to be logged, first first."""
    return (
        engagement.booked_sessions.filter(status=BookingStatus.BOOKED)
        .select_related("plan_step__module_version")
        .prefetch_related("coaches", "people", "company_users")
    )


def booking_get(*, engagement: Engagement, pk: int) -> BookedSession:
    """One booking of the engagement (raises DoesNotExist for another engagement's)."""
    return engagement.booked_sessions.select_related(
        "engagement__company", "plan_step__module_version"
    ).get(pk=pk)


def booking_next(*, user: RequestUser, today: datetime.date) -> BookedSession | None:
    """The next booked session, from today on, in the engagements ``user`` may see."""
    return (
        BookedSession.objects.visible_to(user)
        .filter(status=BookingStatus.BOOKED, date__gte=today)
        .select_related("engagement__company", "plan_step__module_version")
        .prefetch_related("coaches")
        .order_by("date", "start_time", "pk")
        .first()
    )


# The company's own view: its program, its action items and its documents, in its words.


def _flag(condition: Q) -> Case:
    """1 where ``condition`` holds, else 0: a sort key."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def company_engagement_list(*, user: RequestUser) -> QuerySet[Engagement]:
    """The engagements of the companies ``user`` belongs to (a company user: its own),
    those not over first, then the latest."""
    return (
        Engagement.objects.visible_to(user)
        .select_related("initiative", "template_version", "partner", "lead_coach")
        .annotate(is_over=_flag(Q(status__in=EngagementStatus.FINAL)))
        .order_by("is_over", "-start_date", "pk")
    )


@dataclass(frozen=True)
class CompanyProgram:
    """Where a company is in its program: the engagement, its phase now, the coming steps
    and measurement, and how far the plan has come."""

    engagement: Engagement
    phase: str
    next_steps: list[PlanStep]
    next_assessment: PlanAssessment | None
    steps_done: int
    steps_total: int
    end: datetime.date


#: The home shows this many coming plan steps.
NEXT_STEPS_SHOWN = 3


def company_program(*, user: RequestUser) -> CompanyProgram | None:
    """The program the company is in now (its latest engagement not over, else its
    latest), or None when it has none. A handful of queries whatever the plan's size."""
    engagement = company_engagement_list(user=user).first()
    if engagement is None:
        return None
    steps = list(plan_step_list(engagement=engagement))
    planned = [s for s in steps if s.status == PlanStepStatus.PLANNED]
    current = planned[0] if planned else (steps[-1] if steps else None)
    points = [p for p in plan_assessment_list(engagement=engagement) if p.round_id is None]
    return CompanyProgram(
        engagement=engagement,
        phase=current.phase_name if current else "",
        next_steps=planned[:NEXT_STEPS_SHOWN],
        next_assessment=points[0] if points else None,
        steps_done=sum(1 for s in steps if s.status == PlanStepStatus.DONE),
        steps_total=len(steps),
        end=engagement.start_date
        + datetime.timedelta(weeks=engagement.template_version.duration_weeks),
    )


def company_action_item_list(*, user: RequestUser, pending_only: bool = False) -> Any:
    """The action items of the engagements ``user`` may see, with what a list of them
    shows (the program, the owner, the number of comments): still to do first, by due
    date, then by id (so that equal dates keep one order)."""
    items = (
        ActionItem.objects.filter(engagement__in=Engagement.objects.visible_to(user).values("pk"))
        .select_related("engagement__template_version", "owner_person", "owner_coach")
        .annotate(comment_count=Count("comments"))
    )
    if pending_only:
        items = items.filter(status__in=ActionStatus.PENDING)
    return items.annotate(is_pending=_flag(Q(status__in=ActionStatus.PENDING))).order_by(
        "-is_pending", F("due_date").asc(nulls_last=True), "pk"
    )


def action_item_get(*, user: RequestUser, pk: int) -> ActionItem:
    """One action item of an engagement ``user`` may see (DoesNotExist otherwise)."""
    return ActionItem.objects.select_related(
        "engagement__company", "engagement__template_version", "owner_person", "owner_coach"
    ).get(pk=pk, engagement__in=Engagement.objects.visible_to(user).values("pk"))


def action_item_comment_list(*, item: ActionItem) -> QuerySet[ActionItemComment]:
    return item.comments.select_related("author")


def plan_document_get(*, engagement: Engagement, pk: int) -> ModuleAttachment:
    """One of the documents of the engagement's plan (DoesNotExist otherwise)."""
    return plan_document_list(engagement=engagement).get(pk=pk)


# Coaches' load ---------------------------------------------------------------------------

#: A month of a program's weeks: what turns a program's coach hours into hours a month.
WEEKS_PER_MONTH = Decimal("4.33")


def monthly_hours(version: TemplateVersion, hours: int) -> Decimal:
    """``hours`` of coaching spread over ``version``'s weeks, per month (a program shorter
    than a month counts as one)."""
    months = max(Decimal(version.duration_weeks) / WEEKS_PER_MONTH, Decimal(1))
    return Decimal(hours) / months


@dataclass(frozen=True)
class CoachLoad:
    #: Engagements approved or under way (``EngagementStatus.BOOKED``) that the coach leads
    #: or co-coaches: a paused or finished one frees its time.
    engagements: int = 0
    #: Their planned coach hours per month (each engagement's template hours over its
    #: length); a pair of coaches both carry the whole of it, as both are there.
    hours: Decimal = Decimal(0)


def coach_load(*, user_ids: list[int]) -> dict[int, CoachLoad]:
    """Each coach in ``user_ids`` with its current load (a coach with none has a zero
    :class:`CoachLoad`). Three queries whatever the number of coaches and engagements."""
    running = list(
        Engagement.objects.filter(status__in=EngagementStatus.BOOKED)
        .filter(Q(lead_coach__in=user_ids) | Q(coaches__in=user_ids))
        .select_related("template_version")
        .prefetch_related("coaches")
        .distinct()
    )
    hours_by_version = dict(
        TemplateStep.objects.filter(phase__version__in={e.template_version_id for e in running})
        .values("phase__version")
        .annotate(hours=Sum("coach_hours"))
        .values_list("phase__version", "hours")
    )
    wanted = set(user_ids)
    counts: dict[int, int] = {}
    hours: dict[int, Decimal] = {}
    for engagement in running:
        monthly = monthly_hours(
            engagement.template_version, hours_by_version.get(engagement.template_version_id, 0)
        )
        for user_id in {engagement.lead_coach_id, *(c.pk for c in engagement.coaches.all())}:
            if user_id in wanted:
                counts[user_id] = counts.get(user_id, 0) + 1
                hours[user_id] = hours.get(user_id, Decimal(0)) + monthly
    return {
        pk: CoachLoad(engagements=counts.get(pk, 0), hours=hours.get(pk, Decimal(0)))
        for pk in user_ids
    }


def coach_capacity_list(
    *, user: RequestUser, q: str = "", partner: int | None = None, region: str = ""
) -> QuerySet[CoachProfile]:
    """The active coaches' profiles ``user`` may see (``CoachProfile.visible_to``), with
    their user and home partner; ``region`` is the home partner's NUTS2 region. Their load
    is :func:`coach_load`'s, for the page shown."""
    profiles = (
        CoachProfile.objects.visible_to(user)
        .filter(user__is_active=True)
        .select_related("user", "home_partner")
    )
    if q:
        profiles = profiles.filter(user__full_name__icontains=q)
    if partner:
        profiles = profiles.filter(home_partner=partner)
    if region:
        profiles = profiles.filter(home_partner__region=region)
    return profiles


def coach_capacity_partners(*, user: RequestUser) -> list[tuple[int, str]]:
    """The (id, name) of the home partners of the coaches ``user`` may see."""
    return list(
        Organisation.objects.filter(
            pk__in=CoachProfile.objects.visible_to(user).values("home_partner")
        )
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


#: From this share of its capacity a coach is "nearly fully booked".
NEARLY_FULL_PERCENT = 80


@dataclass(frozen=True)
class CapacityRow:
    profile: CoachProfile
    load: CoachLoad
    #: Hours a month the coach has left; negative when it is over its capacity.
    free_hours: int
    #: The load as a share of the capacity, in whole per cent; None when the capacity is 0.
    percent: int | None
    #: ``over`` (more planned than its capacity), ``nearly_full`` or ``room``.
    state: str

    @property
    def over_hours(self) -> int:
        """Hours a month planned beyond the capacity (0 when within it)."""
        return max(-self.free_hours, 0)


def coach_capacity_rows(*, profiles: list[CoachProfile]) -> list[CapacityRow]:
    """``profiles`` (a page of them) each with its load against its capacity, in order:
    :func:`coach_load`'s three queries for the whole page."""
    loads = coach_load(user_ids=[p.user_id for p in profiles])
    rows = []
    for profile in profiles:
        load = loads[profile.user_id]
        capacity = Decimal(profile.capacity_hours_per_month)
        percent = int((load.hours * 100 / capacity).to_integral_value()) if capacity else None
        if load.hours > capacity:
            state = "over"
        elif percent is not None and percent >= NEARLY_FULL_PERCENT:
            state = "nearly_full"
        else:
            state = "room"
        rows.append(
            CapacityRow(
                profile=profile,
                load=load,
                free_hours=int((capacity - load.hours).to_integral_value()),
                percent=percent,
                state=state,
            )
        )
    return rows


def plan_modules(*, engagements: list[Engagement]) -> dict[int, dict[str, str]]:
    """Per engagement, the method modules its plan has (planned or done, not skipped), by
    code, with the step's status as a label; done wins over planned."""
    found: dict[int, dict[str, str]] = {}
    labels = dict(PlanStepStatus.choices)
    for engagement_id, code, status in (
        PlanStep.objects.filter(engagement__in=engagements)
        .exclude(status=PlanStepStatus.SKIPPED)
        .order_by("engagement_id", "status")
        .values_list("engagement_id", "module_version__module__code", "status")
    ):
        modules = found.setdefault(engagement_id, {})
        if modules.get(code) != str(labels[PlanStepStatus.DONE]):
            modules[code] = str(labels[status])
    return found


def recommended_actions(*, engagements: list[Engagement], round: Any) -> dict[int, set[str]]:
    """Per engagement, the codes of the modules that ``round``'s recommendations have
    already been made action items of."""
    found: dict[int, set[str]] = {}
    for engagement_id, code in ActionItem.objects.filter(
        engagement__in=engagements, assessment_round=round, module__isnull=False
    ).values_list("engagement_id", "module__code"):
        found.setdefault(engagement_id, set()).add(code)
    return found


def action_owner_choices(*, engagements: list[Engagement]) -> dict[int, list[tuple[str, str]]]:
    """Per engagement, who may own an action item: its coaches, then the company's people
    who have not left (``coach:<pk>``, ``person:<pk>``), by name."""
    from redthread.registry.models import Person

    choices: dict[int, list[tuple[str, str]]] = {e.pk: [] for e in engagements}
    coaches: dict[int, set[int]] = {
        e.pk: {e.lead_coach_id} if e.lead_coach_id else set() for e in engagements
    }
    for engagement_id, user_id in Engagement.coaches.through.objects.filter(
        engagement__in=engagements
    ).values_list("engagement_id", "user_id"):
        coaches[engagement_id].add(user_id)
    names = {
        u.pk: str(u)
        for u in User.objects.filter(pk__in={c for ids in coaches.values() for c in ids})
    }
    people: dict[int, list[tuple[str, str]]] = {}
    for person in Person.objects.filter(
        organisation__in={e.company_id for e in engagements}, left_on__isnull=True
    ).order_by("last_name", "first_name", "pk"):
        people.setdefault(person.organisation_id, []).append((f"person:{person.pk}", str(person)))
    for engagement in engagements:
        choices[engagement.pk] = [
            *sorted(
                ((f"coach:{pk}", names[pk]) for pk in coaches[engagement.pk] if pk in names),
                key=lambda choice: choice[1],
            ),
            *people.get(engagement.company_id, []),
        ]
    return choices


def action_owner(*, engagement: Engagement, value: str) -> tuple[Any, Any]:
    """The (person, coach) that ``value`` (from :func:`action_owner_choices`) names for
    ``engagement``: (None, None) for no owner; ``ValueError`` for anyone else."""
    if not value:
        return None, None
    for choice, _label in action_owner_choices(engagements=[engagement])[engagement.pk]:
        if choice == value:
            kind, pk = value.split(":")
            if kind == "coach":
                return None, User.objects.get(pk=int(pk))
            from redthread.registry.models import Person

            return Person.objects.get(pk=int(pk)), None
    raise ValueError(value)


def initiative_actuals(initiative: Any) -> Any:
    """What ``initiative`` has achieved (``methodology.progress.Actuals``): the companies
    whose engagement has started, the coach hours logged (the kept session totals) and the
    share of those companies (with a known municipality) in rural ones. Five queries."""
    from redthread.methodology.progress import Actuals
    from redthread.registry.models import URBAN_RURAL_GROUP, MunicipalityType, UrbanRuralGroup
    from redthread.registry.selectors import urban_rural_classification_current

    started = Engagement.objects.filter(
        initiative=initiative, status__in=EngagementStatus.STARTED
    ).order_by()
    companies = started.values("company").distinct()
    minutes = EngagementTotals.objects.filter(engagement__initiative=initiative).aggregate(
        n=Sum("minutes")
    )["n"]
    rural_share = None
    classification = urban_rural_classification_current()
    if classification is not None:
        municipalities = list(
            Organisation.objects.filter(pk__in=companies.values("company"))
            .exclude(municipality=None)
            .values_list("municipality_id", flat=True)
        )
        kinds = dict(
            MunicipalityType.objects.filter(
                classification=classification, municipality__in=set(municipalities)
            ).values_list("municipality_id", "type")
        )
        known = [kinds[m] for m in municipalities if m in kinds]
        if known:
            rural = sum(1 for kind in known if URBAN_RURAL_GROUP[kind] == UrbanRuralGroup.RURAL)
            rural_share = rural / len(known)
    return Actuals(
        companies=companies.count(), coach_hours=(minutes or 0) / 60, rural_share=rural_share
    )
