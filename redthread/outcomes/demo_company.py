"""The demo company's whole chain, so that ``foretag@demo.test`` meets a full page on first
login: Exempelverkstaden AB with an organisation number and a municipality, a running
Produktionslyftet 4.0 engagement with its plan, logged sessions and action items of its
own (some overdue, some done), a T0 answered by three people (management and the shop floor
disagreeing), a T1 under way with one respondent still out, key figures since 2019 and the
program's documents.

Runs after every other step that makes data (the random engagements and KPI series pass it
by: it has no organisation number until here, so they stay as they were). Idempotent: it
does nothing once the company has an engagement."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from io import TextIOBase

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from redthread.accounts import services as account_services
from redthread.accounts.models import Membership, Role, User
from redthread.assessments import selectors as assessment_selectors
from redthread.assessments import services as assessment_services
from redthread.assessments.demo import answers_for, clamp
from redthread.assessments.models import AssessmentRound, Response, ResponseStatus
from redthread.core.demo import step
from redthread.engagements import services as engagement_services
from redthread.engagements.models import (
    ActionItem,
    ActionOrigin,
    ActionStatus,
    Engagement,
    PlanStepStatus,
    Session,
)
from redthread.messaging.services import notices_suppressed
from redthread.methodology import services as methodology_services
from redthread.methodology.models import Initiative, ModuleAttachment, ProgramTemplate
from redthread.registry import services as registry_services
from redthread.registry.models import Municipality, Organisation, Person

from .models import KpiDefinition, Measurement, MeasurementSource

SEED = 2029
SLUG = "exempelverkstaden"
#: Weeks since the start: the plan is past its automation pre-study, the follow-up is next.
WEEKS_IN = 70
PEOPLE = [
    ("Fredrik", "Företagare", "VD", "foretag@demo.test", "man"),
    ("Maria", "Malmberg", "Produktionschef", "maria.malmberg@demo.test", "woman"),
    ("Ahmed", "Hassan", "Operatör, svarvning", "", "man"),
    ("Lena", "Kvist", "Kvalitetsansvarig", "", "woman"),
]
#: Documents of the program: attachments to the modules of its plan.
DOCUMENTS = {
    "5s": (
        "5S-checklista för pilotområdet",
        "5S: sortera, strukturera, städa, standardisera, skapa vana.\n",
    ),
    "vardeflodesanalys": (
        "Mall för värdeflödeskarta",
        "Symboler och rutor för en värdeflödeskarta.\n",
    ),
    "daglig-styrning": (
        "Tavla för daglig styrning",
        "Kolumner: säkerhet, kvalitet, leverans, kostnad.\n",
    ),
}
ACTIONS = [
    # (title, weeks after the start it was due, done, owner index, origin)
    ("Märk upp hyllorna i pilotområdet", 6, True, 2, ActionOrigin.SESSION),
    ("Rita om layouten vid svarvcellen", 20, True, 1, ActionOrigin.SESSION),
    ("Inför daglig avstämning vid tavlan kl 7.15", 36, True, 1, ActionOrigin.STEP),
    ("Mät ställtiden på maskin 3 under en vecka", 60, False, 2, ActionOrigin.SESSION),
    ("Ta fram standard för mottagningskontroll", 64, False, 3, ActionOrigin.SESSION),
    ("Låt medarbetarna vara med när målen sätts", 68, False, 0, ActionOrigin.ASSESSMENT),
    ("Boka uppföljning med ledningsgruppen", 73, False, 0, ActionOrigin.OTHER),
]
#: How the shop floor sees leadership and involvement less rosy than management.
SHOP_FLOOR_GAP = {"leadership": -0.22, "involvement": -0.2, "strategy": -0.15, "human": -0.15}


def _org_number() -> str:
    """A Luhn-valid organisation number (third digit 6: a limited company) not in use."""
    for n in range(1000):
        body = f"55{6123450 + n:07d}"
        number = body + luhn.calc_check_digit(body)
        if not Organisation.objects.filter(org_number=number).exclude(slug=SLUG).exists():
            return number
    raise RuntimeError("no free demo organisation number")


@step("the demo company's program", order=55)
def load_demo_company(out: TextIOBase) -> None:
    company = Organisation.objects.filter(slug=SLUG).first()
    template = ProgramTemplate.objects.filter(code="produktionslyftet-4-0").first()
    initiative = Initiative.objects.filter(slug="produktionslyftet-4-0").first()
    if company is None or template is None or initiative is None:
        out.write("  the demo company, its program or initiative is missing\n")
        return
    if Engagement.objects.filter(company=company).exists():
        out.write("  the demo company's program exists already\n")
        return
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data  # nosec B311
    today = timezone.localdate()
    # The demo's made-up history notifies nobody (as the other demo steps).
    with transaction.atomic(), notices_suppressed():
        if not company.org_number:
            # Set beside the service: company_update would move the slug after the number,
            # and the demo's organisations file finds the company by its slug.
            Organisation.objects.filter(pk=company.pk).update(org_number=_org_number())
            company.refresh_from_db()
        registry_services.company_update(
            company=company,
            municipality=Municipality.objects.get(code="1283"),  # Helsingborg, Skåne
            sni_code="25620",
            sni_version="2025",
            headcount=34,
            turnover_sek=52_000_000,
        )
        people = _people(company)
        _manager(company)
        engagement = _engagement(company, initiative, template, today)
        _documents(engagement)
        sessions = _sessions(engagement, today, rng)
        t0 = _assessments(engagement, today, rng)
        _actions(engagement, people, sessions, t0, today)
        years = _figures(company, engagement.start_date.year, today, rng)
    out.write(
        f"  {company.name}: {engagement.template_version.name}, {len(sessions)} sessions, "
        f"T0 and T1, key figures {years}\n"
    )


def _people(company: Organisation) -> list[Person]:
    people = []
    for first, last, title, email, gender in PEOPLE:
        person = Person.objects.filter(organisation=company, first_name=first, last_name=last)
        people.append(
            person.first()
            or Person.objects.create(
                organisation=company,
                first_name=first,
                last_name=last,
                title=title,
                email=email,
                gender=gender,
            )
        )
    return people


def _manager(company: Organisation) -> None:
    """The demo company user manages its company; a colleague is invited (no password yet)."""
    Membership.objects.filter(user__email="foretag@demo.test", organisation=company).update(
        is_manager=True
    )
    if not User.objects.filter(email="maria.malmberg@demo.test").exists():
        account_services.user_create(
            email="maria.malmberg@demo.test",
            full_name="Maria Malmberg",
            role=Role.COMPANY_USER,
            organisation_ids=[company.pk],
        )


def _engagement(
    company: Organisation, initiative: Initiative, template: ProgramTemplate, today: datetime.date
) -> Engagement:
    coach = User.objects.get(email="coach@demo.test")
    office = User.objects.filter(role=Role.PROGRAM_MANAGER).order_by("pk").first()
    start = today - datetime.timedelta(weeks=WEEKS_IN)
    engagement, _eligibility = engagement_services.engagement_enrol(
        company=company,
        initiative=initiative,
        template=template,
        partner=company.responsible_partner or Organisation.objects.get(slug="iuc-syd"),
        start_date=start,
        actor=office,
        lead_coach=coach,
    )
    for status in ("approved", "active"):
        engagement_services.engagement_status_change(
            engagement=engagement, to_status=status, actor=office
        )
    return engagement


def _documents(engagement: Engagement) -> None:
    for step_ in engagement.plan_steps.select_related("module_version__module"):
        module = step_.module_version.module
        if module.code not in DOCUMENTS:
            continue
        title, text = DOCUMENTS[module.code]
        if not ModuleAttachment.objects.filter(version__module=module, title=title).exists():
            methodology_services.module_attachment_add(
                module=module,
                title=title,
                file=ContentFile(text.encode(), name=f"{module.code}.txt"),
            )


def _sessions(engagement: Engagement, today: datetime.date, rng: random.Random) -> list[Session]:
    coach = engagement.lead_coach
    sessions = []
    for plan_step in engagement.plan_steps.order_by("planned_date", "order"):
        if plan_step.planned_date > today - datetime.timedelta(days=7):
            continue
        sessions.append(
            engagement_services.session_log(
                engagement=engagement,
                actor=coach,
                date=plan_step.planned_date + datetime.timedelta(days=rng.randrange(0, 4)),
                start_time=datetime.time(8),
                duration_minutes=rng.choice([180, 240]),
                coaches=[coach],
                mode="onsite",
                plan_step=plan_step,
                women=rng.randrange(1, 4),
                men=rng.randrange(3, 8),
                company_hours=Decimal(rng.choice([12, 18, 24])),
                notes="Genomgång på golvet med gruppen; nästa steg överenskomna.",
                step_done=True,
            )
        )
    return sessions


def _respond(
    round_: AssessmentRound, group: str, label: str, levels: dict[str, float], rng: random.Random
) -> Response:
    definition = round_.instrument.parsed
    seen = dict(levels)
    if group == "shop_floor":
        for code, gap in SHOP_FLOOR_GAP.items():
            if code in seen:
                seen[code] = clamp(seen[code] + gap)
    answers = answers_for(definition, seen, rng)
    scores = definition.score(answers)
    return Response.objects.create(
        round=round_,
        group=group,
        label=label,
        mode="coach" if group == "management" else "self",
        answers=answers,
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
        scores=scores.as_json(),
        overall=scores.overall,
    )


def _assessments(
    engagement: Engagement, today: datetime.date, rng: random.Random
) -> AssessmentRound | None:
    """T0 (lean and digital) at the start, three respondents on the lean one; T1 (lean)
    begun a few days ago with two answers in and one shop-floor link still out."""
    instruments = {v.code: v for v in assessment_selectors.instruments_current()}
    coach = engagement.lead_coach
    lean_t0 = None
    base: dict[str, dict[str, float]] = {}
    for point in engagement.plan_assessments.order_by("planned_date", "timepoint"):
        instrument = instruments.get(point.instrument)
        if instrument is None or point.timepoint not in {"T0", "T1"}:
            continue
        definition = instrument.parsed
        levels = base.setdefault(
            definition.code, {d.code: clamp(rng.gauss(0.35, 0.08)) for d in definition.dimensions}
        )
        if point.timepoint == "T1":
            if definition.code != "lean":
                continue
            levels = {code: clamp(value + 0.12) for code, value in levels.items()}
        date = (
            point.planned_date + datetime.timedelta(days=3)
            if point.timepoint == "T0"
            else today - datetime.timedelta(days=5)
        )
        round_ = assessment_services.round_create(
            company=engagement.company,
            instrument=instrument,
            timepoint=point.timepoint,
            date=date,
            partner=engagement.partner,
            created_by=coach,
            coaches=[coach],
        )
        point.round = round_
        point.save(update_fields=["round"])
        _respond(round_, "management", "VD", levels, rng)
        if definition.code == "lean":
            _respond(round_, "shop_floor", "Operatör, svarvning", levels, rng)
            if point.timepoint == "T0":
                _respond(round_, "shop_floor", "Montering", levels, rng)
                lean_t0 = round_
            else:
                waiting = assessment_services.response_add(
                    round=round_, group="shop_floor", label="Montering", mode="self"
                )
                assessment_services.response_issue_link(response=waiting)
        assessment_services.round_rescore(round=round_)
    return lean_t0


def _actions(
    engagement: Engagement,
    people: list[Person],
    sessions: list[Session],
    t0: AssessmentRound | None,
    today: datetime.date,
) -> None:
    for title, weeks, done, owner, origin in ACTIONS:
        due = engagement.start_date + datetime.timedelta(weeks=weeks)
        session = (
            max((s for s in sessions if s.date <= due), key=lambda s: s.date, default=None)
            if origin == ActionOrigin.SESSION
            else None
        )
        item = engagement_services.action_item_create(
            engagement=engagement,
            title=title,
            due_date=due,
            owner_person=people[owner],
            origin=origin,
            session=session,
            assessment_round=t0 if origin == ActionOrigin.ASSESSMENT else None,
        )
        if done:
            engagement_services.action_item_set_status(item=item, status=ActionStatus.DONE)
        elif due < today and weeks == 60:
            engagement_services.action_item_set_status(item=item, status=ActionStatus.IN_PROGRESS)
            engagement_services.action_item_comment_add(
                item=item,
                author=User.objects.get(email="foretag@demo.test"),
                text="Maskin 3 stod still två dagar; mätningen fortsätter nästa vecka.",
            )
    assert not ActionItem.objects.filter(engagement=engagement, owner_person=None).exists()
    assert engagement.plan_steps.filter(status=PlanStepStatus.PLANNED).exists()


def _figures(
    company: Organisation, start_year: int, today: datetime.date, rng: random.Random
) -> str:
    """Every KPI yearly from 2019 to last year, the program's effect from its start year."""
    from .demo import _series

    years = list(range(2019, today.year))
    rows = []
    for kpi in KpiDefinition.objects.all():
        if Measurement.objects.filter(company=company, kpi=kpi).exists():
            continue
        for year, value in _series(kpi.code, rng, 34, years, start_year).items():
            rows.append(
                Measurement(
                    company=company,
                    kpi=kpi,
                    year=year,
                    value=Decimal(str(round(value, 4 if kpi.decimals else 0))),
                    source=MeasurementSource.DEMO,
                )
            )
    Measurement.objects.bulk_create(rows)
    return f"{years[0]}–{years[-1]}" if years else "none"
