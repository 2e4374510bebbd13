"""Demo engagements: about two hundred companies enrolled over several years in every
initiative, with plans, status histories, sessions and action items. Deterministic and
idempotent: nothing is added when demo engagements exist."""

from __future__ import annotations

import datetime
import random
from io import TextIOBase

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from redthread.academy.models import CoachProfile
from redthread.accounts import services as account_services
from redthread.accounts.models import Role, User
from redthread.core.demo import step
from redthread.core.working_days import swedish_working_day_on_or_after
from redthread.messaging.services import notices_suppressed
from redthread.methodology.eligibility import initiative_eligibility
from redthread.methodology.models import Initiative, MethodModule, Timepoint
from redthread.registry.models import County, Organisation, OrganisationKind

from . import services
from .models import (
    ActionItem,
    ActionOrigin,
    ActionStatus,
    BookedSession,
    Engagement,
    EngagementStatus,
    ExchangeRate,
    PlanAssessment,
    PlanStepStatus,
    Session,
    SessionMode,
)

SEED = 2027
#: How much better a company scores at each timepoint than at T0, on average.
GAINS: dict[str, float] = {Timepoint.T0: 0.0, Timepoint.T1: 0.09, Timepoint.T2: 0.11}
SHARE_ENROLLED = 0.5
NOTES = [
    "Genomgång av nuläget på golvet. Bra engagemang i gruppen.",
    "5S i pilotområdet: steg 1–3 klara, märkning återstår.",
    "Värdeflödet ritat för huvudprodukten; ledtiden är längre än väntat.",
    "Daglig styrning vid tavlan fungerar, men uppföljningen av avvikelser släpar.",
    "Ledningsgruppen har satt mål för leveransprecision.",
]
ACTIONS = [
    "Märk upp hyllorna i pilotområdet",
    "Inför daglig avstämning vid tavlan",
    "Mät ställtiden på maskin 3",
    "Ta fram standard för mottagningskontroll",
    "Boka uppföljning med ledningsgruppen",
]


def _coaches(rng: random.Random) -> dict[int, list[User]]:
    """Two coaches per regional partner (the demo coach is one of IUC Syd's)."""
    by_partner: dict[int, list[User]] = {}
    partners = (
        Organisation.objects.filter(kind=OrganisationKind.PARTNER)
        .exclude(region="")
        .order_by("slug")
    )
    first_names = ["Eva", "Jonas", "Sara", "Mikael", "Lena", "Anders", "Karin", "Johan"]
    modules = list(MethodModule.objects.order_by("code"))
    for index, partner in enumerate(partners):
        coaches = []
        for n in range(2):
            email = f"coach{n + 1}.{partner.slug}@demo.test"
            if partner.slug == "iuc-syd" and n == 0:
                email = "coach@demo.test"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = account_services.user_create(
                    email=email,
                    full_name=f"{first_names[(index + n) % 8]} Coach ({partner.short_name})",
                    role=Role.COACH,
                    organisation_ids=[partner.pk],
                )
            profile, created = CoachProfile.objects.get_or_create(
                user=user,
                defaults={
                    "home_partner": partner,
                    "capacity_hours_per_month": rng.choice([40, 60, 80]),
                    "languages": ["sv", "en"] if n == 0 else ["sv"],
                    "county": County.objects.filter(nuts__code=partner.region)
                    .order_by("code")
                    .first(),
                },
            )
            if created:
                profile.modules.set(rng.sample(modules, k=min(len(modules), rng.randint(4, 10))))
            coaches.append(user)
        by_partner[partner.pk] = coaches
    return by_partner


@step("engagements", order=40)
def load_engagements(out: TextIOBase) -> None:
    if Engagement.objects.exists():
        out.write("  engagements exist already\n")
        return
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data  # nosec B311
    today = timezone.localdate()
    # Years of made-up history: nobody is notified of it.
    with transaction.atomic(), notices_suppressed():
        # Approximate yearly averages for the demo; a real office sets its own rates.
        for year, rate in {
            2019: "10.59",
            2020: "10.49",
            2021: "10.15",
            2022: "10.63",
            2023: "11.47",
            2024: "11.43",
            2025: "11.10",
            2026: "11.00",
        }.items():
            ExchangeRate.objects.get_or_create(year=year, defaults={"sek_per_eur": rate})
        coaches = _coaches(rng)
        initiatives = [
            i
            for i in Initiative.objects.prefetch_related("templates", "partners")
            if i.templates.exists()
        ]
        companies = list(
            Organisation.objects.filter(kind=OrganisationKind.COMPANY)
            .exclude(org_number="")
            .select_related("municipality__county__nuts", "responsible_partner")
            .order_by("org_number")
        )
        office = User.objects.filter(role=Role.PROGRAM_MANAGER).first()
        created = 0
        for company in companies:
            if rng.random() > SHARE_ENROLLED or company.responsible_partner is None:
                continue
            rng.shuffle(initiatives)
            for initiative in initiatives:
                last = min(initiative.end, today + datetime.timedelta(days=60))
                if last <= initiative.start:
                    continue
                start = initiative.start + datetime.timedelta(
                    days=rng.randrange((last - initiative.start).days)
                )
                if initiative_eligibility(initiative=initiative, company=company, on=start).reasons:
                    continue
                template = rng.choice(list(initiative.templates.all()))
                partner = company.responsible_partner
                team = coaches.get(partner.pk) or next(iter(coaches.values()))
                engagement, _eligibility = services.engagement_enrol(
                    company=company,
                    initiative=initiative,
                    template=template,
                    partner=partner,
                    start_date=start,
                    actor=office,
                    lead_coach=team[0],
                    coaches=team[1:],
                )
                _history(rng, engagement, today, office, team)
                created += 1
                break
    # The sessions were written in bulk, without signals: their totals are counted here.
    from .totals import totals_refresh_all

    totals_refresh_all()
    out.write(f"  {created} engagements with plans, sessions and action items\n")


def _history(
    rng: random.Random,
    engagement: Engagement,
    today: datetime.date,
    office: User | None,
    team: list[User],
) -> None:
    end = engagement.start_date + datetime.timedelta(
        weeks=engagement.template_version.duration_weeks
    )
    path = ["approved", "active"]
    if engagement.start_date > today:
        path = ["approved"] if rng.random() < 0.5 else []
    elif end < today:
        path += ["withdrawn"] if rng.random() < 0.1 else ["completed"]
    for status in path:
        services.engagement_status_change(engagement=engagement, to_status=status, actor=office)
    # Date the history as it would have happened, not today.
    when = {
        "applied": engagement.start_date - datetime.timedelta(days=21),
        "approved": engagement.start_date - datetime.timedelta(days=7),
        "active": engagement.start_date,
        "completed": end,
        "withdrawn": engagement.start_date + (end - engagement.start_date) / 2,
    }
    for change in engagement.status_changes.all():
        moment = datetime.datetime.combine(
            when[change.to_status], datetime.time(9), tzinfo=datetime.UTC
        )
        type(change).objects.filter(pk=change.pk).update(changed_at=moment)
    if engagement.status not in {
        EngagementStatus.ACTIVE,
        EngagementStatus.COMPLETED,
        EngagementStatus.WITHDRAWN,
    }:
        return
    sessions = []
    steps = list(engagement.plan_steps.all())
    for plan_step in steps:
        if plan_step.planned_date > today or (
            engagement.status == "withdrawn" and rng.random() < 0.5
        ):
            continue
        plan_step.status = PlanStepStatus.DONE
        plan_step.save(update_fields=["status"])
        sessions.append(
            Session(
                engagement=engagement,
                date=plan_step.planned_date + datetime.timedelta(days=rng.randrange(0, 5)),
                start_time=datetime.time(rng.choice([8, 9, 13])),
                duration_minutes=rng.choice([120, 180, 240]),
                mode=rng.choice(["onsite", "onsite", "remote"]),
                plan_step=plan_step,
                women=rng.randrange(0, 5),
                men=rng.randrange(1, 9),
                other=0,
                company_hours=rng.choice([6, 12, 18, 24]),
                notes=rng.choice(NOTES),
                created_by=team[0],
            )
        )
    Session.objects.bulk_create(sessions)
    through = Session.coaches.through
    through.objects.bulk_create(through(session_id=s.pk, user_id=team[0].pk) for s in sessions)
    people = list(engagement.company.people.all()[:2])
    for n in range(rng.randrange(1, 4)):
        due = engagement.start_date + datetime.timedelta(weeks=4 * (n + 1))
        done = due < today - datetime.timedelta(days=30) and rng.random() < 0.8
        ActionItem.objects.create(
            engagement=engagement,
            title=rng.choice(ACTIONS),
            due_date=due,
            owner_person=rng.choice(people) if people else None,
            owner_coach=None if people else team[0],
            status=ActionStatus.DONE if done else ActionStatus.OPEN,
            origin=ActionOrigin.SESSION if sessions else ActionOrigin.OTHER,
            session=sessions[0] if sessions else None,
        )


@step("assessments of the engagements", order=45)
def load_engagement_assessments(out: TextIOBase) -> None:
    """T0 for every engagement that has begun, T1 for those past their end (some T2),
    with one to three respondents each and a realistic, uneven improvement. The shop floor
    sees leadership and involvement less rosy than management does."""
    from redthread.assessments import selectors as assessment_selectors
    from redthread.assessments import services as assessment_services
    from redthread.assessments.demo import answers_for, clamp
    from redthread.assessments.models import AssessmentRound, Response, ResponseStatus

    if AssessmentRound.objects.exists():
        out.write("  assessments exist already\n")
        return
    rng = random.Random(SEED + 1)  # noqa: S311 - reproducible demo data  # nosec B311
    today = timezone.localdate()
    instruments = {v.code: v for v in assessment_selectors.instruments_current()}
    created = 0
    points = (
        PlanAssessment.objects.filter(
            engagement__status__in=EngagementStatus.STARTED,
            planned_date__lte=today,
        )
        .select_related("engagement__company", "engagement__partner", "engagement__lead_coach")
        .order_by("engagement_id", "planned_date")
    )
    base: dict[tuple[int, str], dict[str, float]] = {}
    for point in points:
        engagement = point.engagement
        instrument = instruments.get(point.instrument)
        if instrument is None or (
            engagement.status == EngagementStatus.WITHDRAWN and point.timepoint != Timepoint.T0
        ):
            continue
        if rng.random() < 0.08:  # a measurement that never happened
            continue
        definition = instrument.parsed
        key = (engagement.company_id, definition.code)
        if key not in base:
            start = clamp(rng.gauss(0.36, 0.1))
            base[key] = {d.code: clamp(start + rng.gauss(0, 0.08)) for d in definition.dimensions}
        gain = GAINS.get(point.timepoint, 0.0)
        levels = {
            code: clamp(value + gain + (rng.gauss(0, 0.05) if gain else 0.0))
            for code, value in base[key].items()
        }
        round_ = assessment_services.round_create(
            company=engagement.company,
            instrument=instrument,
            timepoint=point.timepoint,
            date=point.planned_date + datetime.timedelta(days=rng.randrange(0, 10)),
            partner=engagement.partner,
            created_by=engagement.lead_coach,
            coaches=[engagement.lead_coach],
        )
        point.round = round_
        point.save(update_fields=["round"])
        groups = ["management"] + ["shop_floor"] * rng.choice([0, 1, 1, 2])
        responses = []
        for group in groups:
            seen = dict(levels)
            if group == "shop_floor":
                for code in ("leadership", "involvement", "strategy", "human"):
                    if code in seen:
                        seen[code] = clamp(seen[code] - 0.12)
            answers = answers_for(definition, seen, rng)
            scores = definition.score(answers)
            responses.append(
                Response(
                    round=round_,
                    group=group,
                    mode="coach" if group == "management" else "self",
                    answers=answers,
                    status=ResponseStatus.SUBMITTED,
                    submitted_at=timezone.now(),
                    scores=scores.as_json(),
                    overall=scores.overall,
                )
            )
        Response.objects.bulk_create(responses)
        assessment_services.round_rescore(round=round_)
        created += 1
    _demo_self_assessment(today)
    out.write(f"  {created} assessment rounds with their responses\n")


#: A self-assessment link that works in the demo, for trying the questionnaire without an
#: account (printed by `make run`; a real link is random and shown once).
DEMO_SELF_ASSESSMENT_TOKEN = "demo-sjalvskattning"  # noqa: S105 - public by design, demo only  # nosec B105


def _demo_self_assessment(today: datetime.date) -> None:
    import hashlib

    from redthread.assessments import selectors as assessment_selectors
    from redthread.assessments import services as assessment_services
    from redthread.assessments.models import Response

    company = Organisation.objects.filter(memberships__user__email="foretag@demo.test").first() or (
        Organisation.objects.filter(kind=OrganisationKind.COMPANY).order_by("pk").first()
    )
    if company is None:
        return
    # The instrument the programs measure with most often.
    code = (
        PlanAssessment.objects.values("instrument")
        .annotate(n=Count("pk"))
        .order_by("-n", "instrument")
        .values_list("instrument", flat=True)
        .first()
    )
    instrument = assessment_selectors.instrument_current(code) if code else None
    if instrument is None:
        return
    round_ = assessment_services.round_create(
        company=company, instrument=instrument, timepoint=Timepoint.AD_HOC, date=today
    )
    response = assessment_services.response_add(
        round=round_, group="shop_floor", label="Demo", mode="self"
    )
    Response.objects.filter(pk=response.pk).update(
        token_hash=hashlib.sha256(DEMO_SELF_ASSESSMENT_TOKEN.encode()).hexdigest(),
        token_expires=timezone.now() + datetime.timedelta(days=3650),
    )


@step("booked sessions", order=46)
def load_bookings(out: TextIOBase) -> None:
    """Booked sessions in the coming weeks: for the demo coach's running engagements and
    for the demo company (its home shows the next one). Stored as they are, without
    sending invitations, so the demo outbox stays as the messaging demo made it."""
    if BookedSession.objects.exists():
        out.write("  booked sessions exist already\n")
        return
    today = timezone.localdate()
    running = Engagement.objects.filter(status=EngagementStatus.ACTIVE).select_related("company")
    engagements = list(running.filter(lead_coach__email="coach@demo.test").order_by("pk")[:6])
    demo_company = running.filter(company__memberships__user__email="foretag@demo.test").first()
    if demo_company is not None and demo_company not in engagements:
        engagements.insert(0, demo_company)
    created = 0
    with transaction.atomic():
        for index, engagement in enumerate(engagements):
            for week in (1, 4):
                date = swedish_working_day_on_or_after(
                    today + datetime.timedelta(weeks=week, days=index)
                )
                remote = (index + week) % 3 == 0
                company = engagement.company
                step_ = (
                    engagement.plan_steps.filter(
                        status=PlanStepStatus.PLANNED, planned_date__gte=today
                    )
                    .order_by("planned_date", "order")
                    .first()
                )
                booking = BookedSession.objects.create(
                    engagement=engagement,
                    date=date,
                    start_time=datetime.time(9 if week == 1 else 13),
                    duration_minutes=180 if week == 1 else 120,
                    mode=SessionMode.REMOTE if remote else SessionMode.ON_SITE,
                    place="" if remote else (company.street_address or company.name),
                    video_link=f"https://meet.example.test/rodtrad-{engagement.pk}-{week}"
                    if remote
                    else "",
                    plan_step=step_ if week == 1 else None,
                    uid=f"booking-demo-{engagement.pk}-{week}@redthread",
                    created_by=engagement.lead_coach,
                )
                booking.coaches.set([c for c in [engagement.lead_coach] if c is not None])
                booking.company_users.set(
                    User.objects.filter(role=Role.COMPANY_USER, memberships__organisation=company)
                )
                booking.people.set(company.people.exclude(email="")[:2])
                created += 1
    out.write(f"  {created} booked sessions in the coming weeks\n")
