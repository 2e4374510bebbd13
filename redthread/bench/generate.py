"""A synthetic nation for the benchmark: companies, engagements with their plans, sessions
and action items, assessment rounds with every respondent's answers, and KPI figures.

Deterministic: the same seed, scale, day and starting database give the same rows (the
primary keys are assigned here, from the largest one present). Skewed as a real program
is: a few partners deliver most engagements, a few coaches in each partner lead most of
them, and a small share of companies comes back for engagement after engagement and so
has many rounds.

It builds on what the database holds (the demo, or a test's world): the initiatives with
their published templates, the instruments, the KPI definitions and the reference data. It
writes with ``bulk_create`` in batches, a block of engagements at a time, so memory stays
flat whatever the scale; it bypasses the services (and their history rows) on purpose."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from stdnum import luhn

from redthread.accounts.models import Membership, Role, User
from redthread.assessments.instruments import YES, Definition, Question, Scores, combine
from redthread.assessments.models import (
    AssessmentRound,
    InstrumentVersion,
    RespondentGroup,
    Response,
    ResponseMode,
    ResponseStatus,
)
from redthread.engagements.models import (
    ActionItem,
    ActionOrigin,
    ActionStatus,
    Engagement,
    EngagementStatus,
    PlanAssessment,
    PlanStep,
    PlanStepStatus,
    Session,
    SessionMode,
)
from redthread.engagements.totals import totals_refresh_all
from redthread.methodology.models import (
    AssessmentPoint,
    Initiative,
    TemplateStep,
    TemplateVersion,
    Timepoint,
    VersionStatus,
)
from redthread.outcomes.models import KpiDefinition, Measurement, MeasurementSource
from redthread.registry.models import Municipality, Organisation, OrganisationKind, SniCode


@dataclass(frozen=True)
class Scale:
    name: str
    companies: int
    engagements: int
    sessions: int
    action_items: int
    rounds: int
    measurements: int
    partners: int  # added to those present
    coaches: int  # added to those present


SCALES = {
    s.name: s
    for s in [
        Scale("tiny", 40, 24, 300, 150, 60, 600, 2, 4),
        Scale("small", 200, 120, 4_000, 2_000, 400, 5_500, 4, 12),
        Scale("medium", 2_000, 1_200, 40_000, 20_000, 4_000, 55_000, 8, 40),
        Scale("national", 20_000, 12_000, 400_000, 200_000, 40_000, 550_000, 16, 160),
    ]
}

#: Rows per INSERT statement.
BATCH = 2_000
#: Engagements built and written together (with their sessions, items and rounds).
BLOCK = 500
#: The e-mail domain of the users the generator adds (the run finds them by it).
DOMAIN = "bench.test"

TRADES = [
    "Mekaniska",
    "Plåt",
    "Verktyg",
    "Trä",
    "Plast",
    "Gjuteri",
    "Elektro",
    "Svets",
    "Lack",
    "Montage",
    "Hydraulik",
    "Förpackning",
    "Snickeri",
    "Precision",
    "Industri",
]
FORMS = ["AB", "AB", "AB", "& Söner AB", "Handelsbolag", "i Sverige AB"]
FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Lena", "Per"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson"]
NOTES = [
    "5S i pilotområdet: steg 1–3 klara.",
    "Värdeflödet ritat, tre flaskhalsar hittade.",
    "Tavelmöte infört i svetsen.",
    "Genomgång av ställtider med operatörerna.",
    "",
]
ACTIONS = [
    "Inför daglig avstämning vid tavlan",
    "Märk upp hyllorna i förrådet",
    "Mät ställtiden på fleroperationsmaskinen",
    "Ta fram standard för skiftöverlämning",
    "Följ upp kassationerna varje vecka",
]
#: A plausible range per KPI code (the others 0–100).
KPI_RANGES = {
    "value-added-per-employee": (350_000, 1_200_000),
    "turnover-per-employee": (900_000, 3_500_000),
    "headcount": (3, 400),
    "profit-margin": (-5, 18),
    "equity-ratio": (5, 70),
    "inventory-turnover": (2, 15),
    "lead-time": (3, 60),
    "delivery-precision": (60, 99),
    "oee": (35, 85),
    "sick-leave": (1, 9),
    "scrap-rate": (0.2, 8),
}


@dataclass
class Counts:
    """What was written, per kind of row."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + n


def _zipf(n: int, s: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** s for rank in range(n)]


def _allocate(rng: random.Random, total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split over ``weights`` exactly: the integer parts of the shares, then the
    remainder one by one by weighted draw."""
    if not weights or total <= 0:
        return [0] * len(weights)
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    left = total - sum(counts)
    cumulative = list(accumulate(s - c for s, c in zip(shares, counts, strict=True)))
    for _ in range(left):
        pick = rng.random() * cumulative[-1]
        lo, hi = 0, len(cumulative) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cumulative[mid] < pick:
                lo = mid + 1
            else:
                hi = mid
        counts[lo] += 1
    return counts


class Ids:
    """Primary keys handed out from the largest present, per model."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {}

    def __call__(self, model: type[models.Model]) -> int:
        if model not in self.next:
            top = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next[model] = top + 1
        value = self.next[model]
        self.next[model] = value + 1
        return value


@dataclass(frozen=True)
class Program:
    """An initiative with one of its templates' published version, as the plans need it."""

    initiative_id: int
    version_id: int
    weeks: int
    #: (template step id, phase name, order, offset weeks, coach hours, module version id)
    steps: list[tuple[int, str, int, int, int, int]]
    #: (timepoint, offset weeks, instrument code)
    points: list[tuple[str, int, str]]


@dataclass
class Context:
    """What the generator builds on, read once, in a fixed order."""

    programs: list[Program]
    instruments: dict[str, InstrumentVersion]
    kpis: list[KpiDefinition]
    municipalities: list[tuple[int, str]]
    sni_codes: list[str]
    partners: list[int] = field(default_factory=list)
    coaches: dict[int, list[int]] = field(default_factory=dict)  # partner → users
    funder_ids: list[int] = field(default_factory=list)


def context_read() -> Context:
    versions: dict[int, TemplateVersion] = {}
    for published in TemplateVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by(
        "template_id", "-number"
    ):
        versions.setdefault(published.template_id, published)
    steps: dict[int, list[tuple[int, str, int, int, int, int]]] = {}
    for step in TemplateStep.objects.select_related("phase").order_by(
        "phase__version_id", "phase__order", "order"
    ):
        steps.setdefault(step.phase.version_id, []).append(
            (
                step.pk,
                step.phase.name,
                step.order,
                step.offset_weeks,
                step.coach_hours,
                step.module_version_id,
            )
        )
    points: dict[int, list[tuple[str, int, str]]] = {}
    for point in AssessmentPoint.objects.order_by("version_id", "offset_weeks", "timepoint"):
        points.setdefault(point.version_id, []).append(
            (point.timepoint, point.offset_weeks, point.instrument)
        )
    programs = []
    for initiative in Initiative.objects.prefetch_related("templates").order_by("pk"):
        for template in sorted(initiative.templates.all(), key=lambda t: t.pk):
            version = versions.get(template.pk)
            if version is None or not steps.get(version.pk):
                continue
            programs.append(
                Program(
                    initiative.pk,
                    version.pk,
                    version.duration_weeks,
                    steps[version.pk],
                    points.get(version.pk, []),
                )
            )
    if not programs:
        raise ValueError("the generator needs an initiative with a published template")
    instruments: dict[str, InstrumentVersion] = {}
    for instrument in InstrumentVersion.objects.order_by("code", "-number"):
        instruments.setdefault(instrument.code, instrument)
    sni = list(
        SniCode.objects.filter(version="2025")
        .exclude(division="")
        .order_by("code")
        .values_list("code", flat=True)
    )
    return Context(
        programs=programs,
        instruments=instruments,
        kpis=list(KpiDefinition.objects.order_by("pk")),
        municipalities=list(Municipality.objects.order_by("pk").values_list("pk", "name")),
        sni_codes=[c for c in sni if len(c) == 5] or ["25620"],
    )


def _insert(model: type[models.Model], rows: list[Any], counts: Counts) -> None:
    for start in range(0, len(rows), BATCH):
        model._default_manager.bulk_create(rows[start : start + BATCH])
    counts.add(model._meta.label, len(rows))


def _answer(rng: random.Random, question: Question, level: float) -> Any:
    """An answer of someone whose maturity is ``level`` (0–1), with some noise."""
    p = min(1.0, max(0.0, level + rng.gauss(0, 0.15)))
    if question.type == "scale":
        return round(p * (len(question.levels) - 1))
    if question.type == "single":
        options = sorted(question.options, key=lambda o: o.score)
        return options[min(len(options) - 1, int(p * len(options)))].code
    if question.type == "multiple":
        return [o.code for o in question.options if rng.random() < p]
    if question.type == "yesno":
        return YES if rng.random() < p else "no"
    low, high = question.minimum, question.maximum
    if high <= low:
        low, high = 0.0, 100.0
    return round(low + p * (high - low))


def generate(
    *,
    scale: Scale,
    seed: int = 1,
    today: datetime.date,
    log: Callable[[str], None] = lambda _message: None,
) -> Counts:
    """Adds ``scale``'s synthetic nation to the database, in one transaction."""
    rng = random.Random(seed)  # reproducible synthetic data  # nosec B311
    with transaction.atomic():
        counts = _generate(scale=scale, rng=rng, today=today, log=log)
    if connection.vendor == "postgresql":
        _reset_sequences()
    return counts


def _reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(apps.get_models()))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _generate(
    *, scale: Scale, rng: random.Random, today: datetime.date, log: Callable[[str], None]
) -> Counts:
    ctx = context_read()
    ids = Ids()
    counts = Counts()
    password = make_password(None)

    # Partners: those present and the added ones, weighted by rank (a few big ones).
    existing = list(
        Organisation.objects.filter(kind=OrganisationKind.PARTNER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    new_partners = [
        Organisation(
            pk=ids(Organisation),
            kind=OrganisationKind.PARTNER,
            name=f"Bänkpartner {n + 1}",
            short_name=f"BP{n + 1}",
            slug=f"bench-partner-{n + 1}",
        )
        for n in range(scale.partners)
    ]
    _insert(Organisation, new_partners, counts)
    partner_ids = [p.pk for p in new_partners] + existing
    partner_weights = _zipf(len(partner_ids), 1.1)
    through = Initiative.partners.through
    present = set(through.objects.values_list("initiative_id", "organisation_id"))
    _insert(
        through,
        [
            through(initiative_id=program_id, organisation_id=p.pk)
            for program_id in sorted({pr.initiative_id for pr in ctx.programs})
            for p in new_partners
            if (program_id, p.pk) not in present
        ],
        counts,
    )

    # Coaches: the added ones spread over the partners by size, plus one manager each.
    coach_counts = _allocate(rng, scale.coaches, partner_weights)
    users: list[User] = []
    memberships: list[Membership] = []
    coaches: dict[int, list[int]] = {
        p: list(
            Membership.objects.filter(organisation_id=p, user__role=Role.COACH)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        for p in partner_ids
    }
    for index, (partner_id, n) in enumerate(zip(partner_ids, coach_counts, strict=True)):
        for k in range(max(n, 0 if coaches[partner_id] else 1)):
            user = User(
                pk=ids(User),
                email=f"coach{k + 1}.p{index + 1}@{DOMAIN}",
                full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                role=Role.COACH,
                password=password,
            )
            users.append(user)
            coaches[partner_id].append(user.pk)
            memberships.append(Membership(user_id=user.pk, organisation_id=partner_id))
        manager = User(
            pk=ids(User),
            email=f"chef.p{index + 1}@{DOMAIN}",
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            role=Role.PARTNER_MANAGER,
            password=password,
        )
        users.append(manager)
        memberships.append(Membership(user_id=manager.pk, organisation_id=partner_id))
    _insert(User, users, counts)
    _insert(Membership, memberships, counts)
    log(f"partners {len(partner_ids)}, coaches {sum(len(c) for c in coaches.values())}")

    # Companies: a fifth of them come back again and again (weighted eight to one).
    taken = set(Organisation.objects.exclude(org_number="").values_list("org_number", flat=True))
    companies: list[Organisation] = []
    company_partner: list[int] = []
    serial = 0
    town_weights = _zipf(len(ctx.municipalities), 0.7)
    towns = rng.choices(ctx.municipalities, weights=town_weights, k=scale.companies)
    for n in range(scale.companies):
        number = ""
        while not number or number in taken:
            body = f"559{serial:06d}"
            serial += 1
            number = body + luhn.calc_check_digit(body)
        taken.add(number)
        partner_id = rng.choices(partner_ids, weights=partner_weights)[0]
        headcount = max(1, min(2_000, int(rng.lognormvariate(2.8, 1.1))))
        municipality_id, town = towns[n]
        companies.append(
            Organisation(
                pk=ids(Organisation),
                kind=OrganisationKind.COMPANY,
                name=f"{town} {rng.choice(TRADES)} {n + 1} {rng.choice(FORMS)}",
                slug=f"bench-{n + 1}",
                org_number=number,
                responsible_partner_id=partner_id,
                municipality_id=municipality_id,
                postal_town=town,
                sni_code=rng.choice(ctx.sni_codes),
                sni_version="2025",
                headcount=headcount,
                turnover_sek=headcount * rng.randint(900_000, 3_000_000),
            )
        )
        company_partner.append(partner_id)
    _insert(Organisation, companies, counts)
    company_ids = [c.pk for c in companies]
    company_weights = [8.0 if rng.random() < 0.05 else 1.0 for _ in companies]
    company_cumulative = list(accumulate(company_weights))
    partner_cumulative = list(accumulate(partner_weights))
    del companies
    log(f"companies {len(company_ids)}")

    # The engagements, planned lightly first so that sessions and rounds can be shared out.
    span = (today - datetime.date(2019, 1, 1)).days
    plans = []
    for _ in range(scale.engagements):
        index = rng.choices(range(len(company_ids)), cum_weights=company_cumulative)[0]
        program = rng.choice(ctx.programs)
        partner_id = (
            company_partner[index]
            if rng.random() < 0.9
            else rng.choices(partner_ids, cum_weights=partner_cumulative)[0]
        )
        pool = coaches[partner_id]
        lead = rng.choices(pool, weights=_zipf(len(pool), 1.2))[0]
        others = [c for c in pool if c != lead]
        co_coach = rng.choice(others) if others and rng.random() < 0.2 else None
        # Later years hold more engagements (the program grows).
        start = today - datetime.timedelta(days=int(span * (1 - rng.random() ** 0.6)))
        end = start + datetime.timedelta(weeks=program.weeks)
        if end < today:
            status = (
                EngagementStatus.COMPLETED if rng.random() < 0.88 else EngagementStatus.WITHDRAWN
            )
        elif start > today - datetime.timedelta(days=30):
            status = rng.choice([EngagementStatus.APPLIED, EngagementStatus.APPROVED])
        else:
            status = EngagementStatus.ACTIVE if rng.random() < 0.92 else EngagementStatus.PAUSED
        plans.append((company_ids[index], program, partner_id, lead, start, end, status, co_coach))
    # Work happens on started engagements, in proportion to their time so far.
    weights = []
    for _c, _program, _p, _l, start, end, status, _co in plans:
        if status not in EngagementStatus.STARTED:
            weights.append(0.0)
            continue
        days = max(7, (min(end, today) - start).days)
        weights.append(days * rng.lognormvariate(0, 0.5))
    session_counts = _allocate(rng, scale.sessions, weights)
    action_counts = _allocate(rng, scale.action_items, weights)
    # Planned rounds come first; what is left goes to extra (ad hoc) rounds.
    planned_rounds = 0
    due_points = []
    for _c, program, _p, _l, start, _e, status, _co in plans:
        due = [
            point
            for point in program.points
            if status in EngagementStatus.STARTED
            and point[2] in ctx.instruments
            and start + datetime.timedelta(weeks=point[1]) <= today
        ]
        due_points.append(due)
        planned_rounds += len(due)
    keep = min(1.0, scale.rounds * 0.85 / planned_rounds) if planned_rounds else 0.0
    due_points = [[p for p in due if rng.random() < keep] for due in due_points]
    extra_total = max(0, scale.rounds - sum(len(d) for d in due_points))
    extra_counts = _allocate(rng, extra_total, weights)
    if extra_total and not any(extra_counts):
        extra_counts = _allocate(rng, extra_total, [1.0] * len(plans))

    maturity: dict[int, float] = {}
    instrument_codes = sorted(ctx.instruments)
    for block in range(0, len(plans), BLOCK):
        _block(
            rng,
            ids,
            counts,
            ctx,
            today,
            plans[block : block + BLOCK],
            session_counts[block : block + BLOCK],
            action_counts[block : block + BLOCK],
            due_points[block : block + BLOCK],
            extra_counts[block : block + BLOCK],
            maturity,
            instrument_codes,
        )
        log(f"engagements {min(block + BLOCK, len(plans))}/{len(plans)}")

    _measurements(rng, ids, counts, ctx, company_ids, company_weights, scale, today)
    log("measurements done")
    return counts


def _block(
    rng: random.Random,
    ids: Ids,
    counts: Counts,
    ctx: Context,
    today: datetime.date,
    plans: list[Any],
    session_counts: list[int],
    action_counts: list[int],
    due_points: list[list[tuple[str, int, str]]],
    extra_counts: list[int],
    maturity: dict[int, float],
    instrument_codes: list[str],
) -> None:
    engagements: list[Engagement] = []
    co_coaches: list[Any] = []
    steps: list[PlanStep] = []
    sessions: list[Session] = []
    session_coaches: list[Any] = []
    items: list[ActionItem] = []
    points: list[PlanAssessment] = []
    rounds: list[AssessmentRound] = []
    responses: list[Response] = []
    engagement_coaches = Engagement.coaches.through
    coached = Session.coaches.through
    for plan, n_sessions, n_items, due, n_extra in zip(
        plans, session_counts, action_counts, due_points, extra_counts, strict=True
    ):
        company_id, program, partner_id, lead, start, end, status, co_coach = plan
        engagement = Engagement(
            pk=ids(Engagement),
            company_id=company_id,
            initiative_id=program.initiative_id,
            template_version_id=program.version_id,
            partner_id=partner_id,
            lead_coach_id=lead,
            start_date=start,
            status=status,
        )
        engagements.append(engagement)
        if co_coach is not None:
            co_coaches.append(engagement_coaches(engagement_id=engagement.pk, user_id=co_coach))
        started = status in EngagementStatus.STARTED
        step_rows = []
        for step_id, phase, order, offset, hours, module_version_id in program.steps:
            planned = start + datetime.timedelta(weeks=offset)
            step = PlanStep(
                pk=ids(PlanStep),
                engagement_id=engagement.pk,
                template_step_id=step_id,
                module_version_id=module_version_id,
                phase_name=phase,
                order=order,
                planned_date=planned,
                status=PlanStepStatus.DONE
                if started and planned < today and status != EngagementStatus.WITHDRAWN
                else PlanStepStatus.PLANNED,
                coach_hours=hours,
            )
            steps.append(step)
            step_rows.append(step)
        last = max(start, min(end, today))
        days = max(1, (last - start).days)
        engagement_sessions = []
        for _ in range(n_sessions):
            date = start + datetime.timedelta(days=rng.randrange(days + 1))
            session = Session(
                pk=ids(Session),
                engagement_id=engagement.pk,
                date=date,
                start_time=datetime.time(rng.choice([8, 9, 10, 13, 14]), 0),
                duration_minutes=rng.choice([60, 90, 120, 120, 180, 240]),
                mode=SessionMode.ON_SITE if rng.random() < 0.7 else SessionMode.REMOTE,
                plan_step_id=rng.choice(step_rows).pk if step_rows else None,
                women=rng.randint(0, 4),
                men=rng.randint(0, 8),
                company_hours=Decimal(rng.randint(2, 40)),
                notes=rng.choice(NOTES),
                created_by_id=lead,
            )
            sessions.append(session)
            engagement_sessions.append(session)
            session_coaches.append(coached(session_id=session.pk, user_id=lead))
        for _ in range(n_items):
            source = rng.choice(engagement_sessions) if engagement_sessions else None
            base = source.date if source else start
            due_date = base + datetime.timedelta(days=rng.randint(7, 60))
            if due_date < today - datetime.timedelta(days=60) or rng.random() < 0.5:
                item_status = rng.choice([ActionStatus.DONE] * 6 + [ActionStatus.CANCELLED])
            else:
                item_status = rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
            items.append(
                ActionItem(
                    pk=ids(ActionItem),
                    engagement_id=engagement.pk,
                    title=rng.choice(ACTIONS),
                    owner_coach_id=lead,
                    due_date=due_date,
                    status=item_status,
                    origin=ActionOrigin.SESSION if source else ActionOrigin.OTHER,
                    session_id=source.pk if source else None,
                )
            )
        # The company's maturity, kept across its engagements; it grows with coaching.
        level = maturity.setdefault(company_id, rng.uniform(0.15, 0.6))
        due_codes = {point[0] for point in due}
        for timepoint, offset, code in program.points:
            round_ = None
            planned = start + datetime.timedelta(weeks=offset)
            if (timepoint, offset, code) in due and code in ctx.instruments:
                gain = {"T0": 0.0, "T1": 0.1, "T2": 0.13}.get(timepoint, 0.05)
                round_ = _round(
                    rng,
                    ids,
                    ctx.instruments[code],
                    company_id,
                    partner_id,
                    lead,
                    timepoint,
                    planned,
                    level + gain,
                    responses,
                )
                rounds.append(round_)
            points.append(
                PlanAssessment(
                    pk=ids(PlanAssessment),
                    engagement_id=engagement.pk,
                    timepoint=timepoint,
                    instrument=code,
                    planned_date=planned,
                    round_id=round_.pk if round_ else None,
                )
            )
        if "T1" in due_codes:
            maturity[company_id] = min(0.95, level + 0.1)
        for _ in range(n_extra):
            code = rng.choice(instrument_codes)
            date = start + datetime.timedelta(days=rng.randrange(max(1, (today - start).days)))
            rounds.append(
                _round(
                    rng,
                    ids,
                    ctx.instruments[code],
                    company_id,
                    partner_id,
                    lead,
                    Timepoint.AD_HOC,
                    date,
                    level + rng.uniform(-0.05, 0.1),
                    responses,
                )
            )
    _insert(Engagement, engagements, counts)
    _insert(engagement_coaches, co_coaches, counts)
    _insert(PlanStep, steps, counts)
    _insert(Session, sessions, counts)
    _insert(coached, session_coaches, counts)
    _insert(ActionItem, items, counts)
    _insert(AssessmentRound, rounds, counts)
    _insert(PlanAssessment, points, counts)
    _insert(Response, responses, counts)
    counts.add("answers", sum(len(r.answers) for r in responses))
    # Written in bulk, without signals: the sessions' totals per engagement are counted.
    totals_refresh_all()


def _round(
    rng: random.Random,
    ids: Ids,
    instrument: InstrumentVersion,
    company_id: int,
    partner_id: int,
    coach_id: int,
    timepoint: str,
    date: datetime.date,
    level: float,
    responses: list[Response],
) -> AssessmentRound:
    definition: Definition = instrument.parsed
    round_ = AssessmentRound(
        pk=ids(AssessmentRound),
        company_id=company_id,
        instrument_id=instrument.pk,
        timepoint=timepoint,
        date=date,
        partner_id=partner_id,
        created_by_id=coach_id,
    )
    scored: list[Scores] = []
    for n in range(rng.choice([1, 2, 2, 2, 3])):
        answers = {q.code: _answer(rng, q, level) for q in definition.questions}
        submitted = n == 0 or rng.random() < 0.9
        scores = definition.score(answers) if submitted else None
        if scores is not None:
            scored.append(scores)
        responses.append(
            Response(
                pk=ids(Response),
                round_id=round_.pk,
                group=RespondentGroup.MANAGEMENT if n == 0 else RespondentGroup.SHOP_FLOOR,
                mode=ResponseMode.WITH_COACH if n == 0 else ResponseMode.SELF,
                answers=answers,
                status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.DRAFT,
                submitted_at=datetime.datetime.combine(date, datetime.time(12), datetime.UTC)
                if submitted
                else None,
                scores=scores.as_json() if scores else {},
                overall=scores.overall if scores else None,
            )
        )
    combined = combine(definition, scored)
    round_.scores = combined.as_json()
    round_.overall = combined.overall
    return round_


def _measurements(
    rng: random.Random,
    ids: Ids,
    counts: Counts,
    ctx: Context,
    company_ids: list[int],
    company_weights: list[float],
    scale: Scale,
    today: datetime.date,
) -> None:
    """``scale.measurements`` KPI figures: each company a run of years (the returning
    companies longer ones), every KPI in a year, until the total is reached."""
    if not ctx.kpis:
        return
    years = list(range(today.year - 10, today.year))
    cap = len(years) * len(ctx.kpis)
    per_company = _allocate(
        rng, scale.measurements, [w * rng.uniform(0.5, 1.5) for w in company_weights]
    )
    # What a company cannot hold (every KPI every year) goes to those with room.
    overflow = sum(max(0, n - cap) for n in per_company)
    per_company = [min(n, cap) for n in per_company]
    index = 0
    while overflow and index < len(per_company) * cap:
        slot = index % len(per_company)
        if per_company[slot] < cap:
            per_company[slot] += 1
            overflow -= 1
        index += 1
    rows: list[Measurement] = []

    def flush() -> None:
        _insert(Measurement, rows, counts)
        rows.clear()

    for company_id, n in zip(company_ids, per_company, strict=True):
        cells = [(year, kpi) for year in reversed(years) for kpi in ctx.kpis][:n]
        trend = rng.uniform(-0.02, 0.06)
        for year, kpi in cells:
            low, high = KPI_RANGES.get(kpi.code, (0, 100))
            value = rng.uniform(low, high) * (1 + trend) ** (year - years[0])
            rows.append(
                Measurement(
                    pk=ids(Measurement),
                    company_id=company_id,
                    kpi_id=kpi.pk,
                    year=year,
                    value=Decimal(f"{value:.4f}"),
                    source=MeasurementSource.IMPORT,
                )
            )
        if len(rows) >= BATCH * 5:
            flush()
    flush()


def fingerprint(rows: Iterator[Any]) -> str:
    """A hash of rows (for the determinism test and the run's record)."""
    import hashlib

    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()
