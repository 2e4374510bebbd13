"""Every list page costs the same number of queries whatever its length: each page is
rendered with one row of what it lists and again with twenty, and the two counts must be
equal. An N+1 (a query per row) fails here, under `make lint`, before it reaches a user.

A page joins by adding a :class:`ListPage`: who looks at it, its URL, and how to add one
more row of what it lists."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from stdnum import luhn

from redthread.accounts.models import Role
from redthread.assessments import services as assessment_services
from redthread.core.models import ImportJob
from redthread.engagements import services as engagement_services
from redthread.engagements.models import Engagement
from redthread.messaging.models import Message
from redthread.methodology import services as methodology_services
from redthread.outcomes import services as outcome_services
from redthread.outcomes.models import ComparisonGroup, KpiDefinition, ReportJob
from redthread.registry import services as registry_services
from redthread.registry.models import Municipality, Person

from .assessments.instrument_fixture import SMALL
from .conftest import World
from .factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.querycount

START = timezone.localdate() - datetime.timedelta(days=14)


def org_number(index: int) -> str:
    """A valid, unique organisation number (third digit 5, Luhn check digit)."""
    body = f"55{6000000 + index:07d}"
    return body + luhn.calc_check_digit(body)


@dataclass
class Setting:
    """What the rows hang on: the world, an open initiative, an instrument."""

    world: World
    initiative: Any
    template: Any
    instrument: Any
    engagement: Engagement
    made: dict[str, int] = field(default_factory=dict)

    def next(self, name: str) -> int:
        self.made[name] = self.made.get(name, 0) + 1
        return self.made[name]


@pytest.fixture
def setting(world: World, methodology: dict[str, Any]) -> Setting:
    initiative = methodology["initiative"]
    initiative.size_classes = initiative.sectors = initiative.urban_rural_types = []
    initiative.save()
    instrument, _new = assessment_services.instrument_load(raw=SMALL)
    outcome_services.kpis_load_shipped()
    engagement = _enrol(world, initiative, methodology["template"], world.company)
    return Setting(world, initiative, methodology["template"], instrument, engagement)


def _company(s: Setting) -> Any:
    index = s.next("company")
    return registry_services.company_create(
        name=f"Verkstad {index} AB",
        org_number=org_number(index),
        responsible_partner=s.world.partner,
        municipality=Municipality.objects.get(code="0617"),
        headcount=10 + index,
        sni_code="25620",
        sni_version="2025",
    )


def _enrol(world: World, initiative: Any, template: Any, company: Any) -> Engagement:
    engagement, _eligibility = engagement_services.engagement_enrol(
        company=company,
        initiative=initiative,
        template=template,
        partner=world.partner,
        start_date=START,
        actor=world.users[Role.PROGRAM_MANAGER],
        lead_coach=world.users[Role.COACH],
    )
    for status in ("approved", "active"):
        engagement_services.engagement_status_change(
            engagement=engagement, to_status=status, actor=None
        )
    return engagement


def _session_and_item(s: Setting, engagement: Engagement) -> None:
    index = s.next("session")
    coach = s.world.users[Role.COACH]
    engagement_services.session_log(
        engagement=engagement,
        actor=coach,
        date=START + datetime.timedelta(days=index % 10),
        duration_minutes=60,
        coaches=[coach],
        women=1,
        men=2,
        company_hours=Decimal(3),
        notes=f"Tillfälle {index}",
    )
    engagement_services.action_item_create(
        engagement=engagement,
        title=f"Åtgärd {index}",
        due_date=START,  # overdue
        owner_coach=coach,
    )


def add_engagement(s: Setting) -> None:
    engagement = _enrol(s.world, s.initiative, s.template, _company(s))
    _session_and_item(s, engagement)


def add_company(s: Setting) -> None:
    company = _company(s)
    registry_services.person_create(
        organisation=company, first_name="Greta", last_name=f"Svensson {company.pk}"
    )


def add_partner(s: Setting) -> None:
    index = s.next("partner")
    OrganisationFactory.create(name=f"IUC Extra {index}", slug=f"iuc-extra-{index}")


def add_partner_with_contact(s: Setting) -> None:
    index = s.next("partner")
    partner = OrganisationFactory.create(name=f"IUC Extra {index}", slug=f"iuc-extra-{index}")
    Person.objects.create(
        organisation=partner, first_name="Kontakt", last_name=str(index), published=True
    )


def add_public_initiative(s: Setting) -> None:
    index = s.next("initiative")
    methodology_services.initiative_save(
        slug=f"publik-{index}",
        name=f"Publik satsning {index}",
        owner=s.world.office,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2026, 1, 1),
        fundings=[(s.world.funder, 1000)],
    )


def add_user(s: Setting) -> None:
    UserFactory.create(role=Role.COACH, organisations=[s.world.partner])


def add_coach_profile(s: Setting) -> None:
    """A coach of our partner with a profile (no engagement: the reach panel stays put)."""
    from redthread.academy.models import CoachProfile

    coach = UserFactory.create(role=Role.COACH, organisations=[s.world.partner])
    CoachProfile.objects.create(user=coach, home_partner=s.world.partner)


def add_coach_with_engagement(s: Setting) -> None:
    """A coach of our partner with a profile, leading an engagement under way."""
    from redthread.academy.models import CoachProfile

    coach = UserFactory.create(role=Role.COACH, organisations=[s.world.partner])
    CoachProfile.objects.create(user=coach, home_partner=s.world.partner)
    engagement, _eligibility = engagement_services.engagement_enrol(
        company=_company(s),
        initiative=s.initiative,
        template=s.template,
        partner=s.world.partner,
        start_date=START,
        actor=s.world.users[Role.PROGRAM_MANAGER],
        lead_coach=coach,
    )
    engagement.coaches.add(s.world.users[Role.COACH])
    for status in ("approved", "active"):
        engagement_services.engagement_status_change(
            engagement=engagement, to_status=status, actor=None
        )


def _course_cohort(s: Setting) -> Any:
    """The coach course and its cohort the course pages are measured on."""
    from redthread.academy import services as academy_services
    from redthread.academy.models import Cohort
    from redthread.methodology.models import MethodModule

    cohort = Cohort.objects.filter(name="Omgång QC").select_related("course").first()
    if cohort is not None:
        return cohort
    course = academy_services.course_create(name="Coachkursen QC")
    academy_services.course_module_add(
        course=course,
        method_module=MethodModule.objects.order_by("pk")[0],
        name="Kata",
        position=1,
        assignment="Skriv.",
    )
    return academy_services.cohort_create(
        course=course, name="Omgång QC", start_date=START, end_date=START
    )


def add_course(s: Setting) -> None:
    from redthread.academy import services as academy_services

    course = academy_services.course_create(name=f"Kurs {s.next('course')}")
    academy_services.cohort_create(course=course, name="Omgång", start_date=START, end_date=START)


def add_cohort(s: Setting) -> None:
    from redthread.academy import services as academy_services

    course = _course_cohort(s).course
    cohort = academy_services.cohort_create(
        course=course, name=f"Omgång {s.next('cohort')}", start_date=START, end_date=START
    )
    academy_services.meeting_create(
        cohort=cohort, date=START, remote=True, teachers=[s.world.users[Role.PROGRAM_MANAGER]]
    )
    academy_services.participant_add(
        cohort=cohort,
        user=UserFactory.create(role=Role.COACH, organisations=[s.world.partner]),
        partner=s.world.partner,
    )


def add_course_participant(s: Setting) -> None:
    """A participant who attended, handed in, completed and holds a certificate, and one
    more meeting with its teacher."""
    from redthread.academy import services as academy_services

    cohort = _course_cohort(s)
    meeting = academy_services.meeting_create(
        cohort=cohort,
        date=START,
        place="Jönköping",
        teachers=[UserFactory.create(role=Role.COACH, organisations=[s.world.partner])],
    )
    participant = academy_services.participant_add(
        cohort=cohort,
        user=UserFactory.create(role=Role.COACH, organisations=[s.world.partner]),
        partner=s.world.partner,
    )
    academy_services.attendance_record(meeting=meeting, present={participant.pk})
    assignment = academy_services.assignment_submit(
        participant=participant, course_module=cohort.course.modules.get(), text="Klart."
    )
    academy_services.assignment_review(assignment=assignment, approve=True, comment="", actor=None)
    participant.completed_on = START
    participant.save()
    academy_services.certificate_issue(participant=participant, actor=None)


def add_round(s: Setting) -> None:
    round_ = assessment_services.round_create(
        company=_company(s),
        instrument=s.instrument,
        timepoint="T0",
        date=START,
        partner=s.world.partner,
        coaches=[s.world.users[Role.COACH]],
    )
    response = assessment_services.response_add(round=round_)
    assessment_services.response_save_page(
        response=response, page=0, data={"a1": "3", "a2": "y", "a3": "10"}
    )
    assessment_services.response_save_page(response=response, page=1, data={"b1": "no", "b2": []})
    assert assessment_services.response_submit(response=response) == []


def add_company_round(s: Setting) -> None:
    """Another round of our company: scored, with a respondent still to answer."""
    round_ = assessment_services.round_create(
        company=s.world.company,
        instrument=s.instrument,
        timepoint="T1",
        date=START + datetime.timedelta(days=s.next("company round")),
        partner=s.world.partner,
        coaches=[s.world.users[Role.COACH]],
    )
    response = assessment_services.response_add(round=round_, group="shop_floor")
    assessment_services.response_save_page(
        response=response, page=0, data={"a1": "3", "a2": "y", "a3": "10"}
    )
    assessment_services.response_save_page(response=response, page=1, data={"b1": "no", "b2": []})
    assert assessment_services.response_submit(response=response) == []
    assessment_services.response_add(round=round_, mode="self")


def add_session_to_the_engagement(s: Setting) -> None:
    _session_and_item(s, s.engagement)


def add_booking(s: Setting) -> None:
    """A booked session of the engagement in the coming weeks, inviting a contact person
    and the company user."""
    index = s.next("booking")
    person = registry_services.person_create(
        organisation=s.world.company,
        first_name="Bo",
        last_name=f"Bokad {index}",
        email=f"bo{index}@example.test",
    )
    engagement_services.booking_create(
        engagement=s.engagement,
        actor=s.world.users[Role.COACH],
        date=timezone.localdate() + datetime.timedelta(days=1 + index % 20),
        start_time=datetime.time(9),
        duration_minutes=120,
        coaches=[s.world.users[Role.COACH]],
        place=f"Hall {index}",
        people=[person],
        company_users=[s.world.users[Role.COMPANY_USER]],
    )


def add_person(s: Setting) -> None:
    index = s.next("person")
    registry_services.person_create(
        organisation=s.world.company, first_name="Per", last_name=f"Persson {index}"
    )


def add_module(s: Setting) -> None:
    index = s.next("module")
    methodology_services.module_create(
        code=f"modul-{index}", category="lean", name=f"Modul {index}", purpose="Syfte."
    )


def add_initiative(s: Setting) -> None:
    index = s.next("initiative")
    methodology_services.initiative_save(
        slug=f"satsning-{index}",
        name=f"Satsning {index}",
        owner=s.world.office,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 12, 31),
        size_classes=[],
        regions=[],
        urban_rural_types=[],
        sectors=[],
        templates=[s.template],
        partners=[s.world.partner],
        fundings=[(s.world.funder, 100_000)],
    )


def add_comparison_group(s: Setting) -> None:
    index = s.next("group")
    group = ComparisonGroup.objects.create(name=f"Grupp {index}", initiative=s.initiative)
    group.companies.add(_company(s))


def add_group_member(s: Setting) -> None:
    group = ComparisonGroup.objects.filter(name="Gruppen").first()
    if group is None:
        group = ComparisonGroup.objects.create(name="Gruppen", initiative=s.initiative)
    group.companies.add(_company(s))


def add_report_job(s: Setting) -> None:
    ReportJob.objects.create(
        initiative=s.initiative,
        date_from=datetime.date(2025, 1, 1),
        date_to=datetime.date(2025, 12, 31),
        format="xlsx",
        created_by=s.world.users[Role.PROGRAM_MANAGER],
    )


def add_message(s: Setting) -> None:
    user = s.world.users[Role.COACH]
    Message.objects.create(
        recipient=user,
        to_address=user.email,
        subject="Ämne",
        kind="invitation",
        language="sv",
        body_text="Hej!",
    )


def add_import_job(kind: str) -> Callable[[Setting], None]:
    def add(s: Setting) -> None:
        ImportJob.objects.create(
            kind=kind,
            created_by=s.world.users[Role.PROGRAM_MANAGER],
            filename="foretag.csv",
            content=b"Organisationsnummer;Namn\n",
            headers=["Organisationsnummer", "Namn"],
        )

    return add


def add_measurement_company(s: Setting) -> None:
    company = _company(s)
    outcome_services.measurement_set(
        company=company,
        kpi=KpiDefinition.objects.get(code="value-added-per-employee"),
        year=2024,
        value=Decimal(600_000),
        source="import",
        entered_by=None,
    )


def add_session_item_and_figure(s: Setting) -> None:
    """A session and an action item in the company's program, and a year of a key figure
    (what the company's start page shows)."""
    index = s.next("figure")
    _session_and_item(s, s.engagement)
    outcome_services.measurement_set(
        company=s.world.company,
        kpi=KpiDefinition.objects.order_by("order", "code")[index % 5],
        year=2000 + index,
        value=Decimal(10 + index % 50),
        source="import",
        entered_by=None,
    )


def add_live_post(s: Setting) -> None:
    from .factories import post_make

    post = post_make(s.world, status="published", themes="Automation, Kata")
    post.initiatives.add(s.initiative)


def add_post_in_review(s: Setting) -> None:
    from .factories import post_make

    post_make(s.world, status="review", themes="Automation")


def add_inquiry(s: Setting) -> None:
    """A message to our partner and an application to the office, one of them handled."""
    from redthread.journal.models import Inquiry

    index = s.next("inquiry")
    Inquiry.objects.create(
        kind="contact",
        name=f"Avsändare {index}",
        email=f"a{index}@example.se",
        recipient=s.world.partner,
        handled_at=timezone.now() if index % 2 else None,
        handled_by=s.world.users[Role.PARTNER_MANAGER.value] if index % 2 else None,
    )
    Inquiry.objects.create(
        kind="application",
        name=f"Sökande {index}",
        email=f"s{index}@example.se",
        initiative=s.initiative,
    )


def add_partner_person(s: Setting) -> None:
    index = s.next("partner_person")
    Person.objects.create(
        organisation=s.world.partner, first_name="Kontakt", last_name=str(index), published=True
    )


@dataclass(frozen=True)
class ListPage:
    id: str
    who: str
    url: Callable[[Setting], str]
    add: Callable[[Setting], None]


def named(name: str) -> Callable[[Setting], str]:
    return lambda s: reverse(name)


PAGES = [
    ListPage(
        "organisations", Role.PROGRAM_MANAGER, named("registry:organisation_list"), add_partner
    ),
    ListPage("companies", Role.PROGRAM_MANAGER, named("registry:company_list"), add_company),
    ListPage("companies for a coach", Role.COACH, named("registry:company_list"), add_company),
    ListPage(
        "a company's people and engagements",
        Role.PROGRAM_MANAGER,
        lambda s: reverse("registry:company_detail", kwargs={"pk": s.world.company.pk}),
        add_person,
    ),
    ListPage("users", Role.ADMIN, named("accounts:user_list"), add_user),
    ListPage("engagements", Role.COACH, named("engagements:engagement_list"), add_engagement),
    ListPage(
        "an engagement's sessions and action items",
        Role.COACH,
        lambda s: s.engagement.get_absolute_url(),
        add_session_to_the_engagement,
    ),
    ListPage(
        "an engagement's booked sessions",
        Role.COACH,
        lambda s: s.engagement.get_absolute_url(),
        add_booking,
    ),
    ListPage("calendar with bookings", Role.COACH, named("engagements:calendar"), add_booking),
    ListPage("company's start page", Role.COMPANY_USER, named("core:dashboard"), add_booking),
    ListPage(
        "the company's program",
        Role.COMPANY_USER,
        lambda s: s.engagement.get_absolute_url(),
        add_session_to_the_engagement,
    ),
    ListPage(
        "the company's action items",
        Role.COMPANY_USER,
        named("engagements:company_actions"),
        add_session_to_the_engagement,
    ),
    ListPage(
        "the company's start page",
        Role.COMPANY_USER,
        named("core:dashboard"),
        add_session_item_and_figure,
    ),
    ListPage("status board", Role.PARTNER_MANAGER, named("engagements:overview"), add_engagement),
    ListPage("calendar", Role.COACH, named("engagements:calendar"), add_engagement),
    ListPage("start page", Role.COACH, named("core:dashboard"), add_engagement),
    ListPage("assessments", Role.PROGRAM_MANAGER, named("assessments:round_list"), add_round),
    ListPage(
        "a company's results",
        Role.COMPANY_USER,
        lambda s: reverse("assessments:company_results", kwargs={"pk": s.world.company.pk}),
        add_company_round,
    ),
    ListPage(
        "a company's results for its coach",
        Role.COACH,
        lambda s: reverse("assessments:company_results", kwargs={"pk": s.world.company.pk}),
        add_company_round,
    ),
    ListPage("coaches", Role.PARTNER_MANAGER, named("academy:coach_list"), add_user),
    ListPage("courses", Role.PROGRAM_MANAGER, named("academy:course_list"), add_course),
    ListPage(
        "a course's cohorts",
        Role.PROGRAM_MANAGER,
        lambda s: reverse("academy:course_detail", kwargs={"pk": _course_cohort(s).course_id}),
        add_cohort,
    ),
    ListPage(
        "a cohort's participants and meetings",
        Role.PROGRAM_MANAGER,
        lambda s: reverse("academy:cohort_detail", kwargs={"pk": _course_cohort(s).pk}),
        add_course_participant,
    ),
    ListPage(
        "the certification register",
        Role.PROGRAM_MANAGER,
        named("academy:certificate_register"),
        add_course_participant,
    ),
    ListPage(
        "the certification register for a partner",
        Role.PARTNER_MANAGER,
        named("academy:certificate_register"),
        add_course_participant,
    ),
    ListPage(
        "coaches' capacity against their load",
        Role.PARTNER_MANAGER,
        named("engagements:coach_capacity"),
        add_coach_with_engagement,
    ),
    ListPage(
        "a partner manager's start page with its coaches' certified share",
        Role.PARTNER_MANAGER,
        named("core:dashboard"),
        add_coach_profile,
    ),
    ListPage(
        "a funder's start page with the partners' certified shares",
        Role.FUNDER_VIEWER,
        named("core:dashboard"),
        add_coach_profile,
    ),
    ListPage("method modules", Role.PROGRAM_MANAGER, named("methodology:module_list"), add_module),
    ListPage("coverage matrix", Role.PROGRAM_MANAGER, named("methodology:coverage"), add_module),
    ListPage(
        "initiatives", Role.PROGRAM_MANAGER, named("methodology:initiative_list"), add_initiative
    ),
    ListPage(
        "companies with key figures",
        Role.COACH,
        named("outcomes:company_list"),
        add_measurement_company,
    ),
    ListPage(
        "comparison groups",
        Role.PROGRAM_MANAGER,
        named("outcomes:comparison_groups"),
        add_comparison_group,
    ),
    ListPage(
        "a comparison group's companies",
        Role.PROGRAM_MANAGER,
        lambda s: reverse(
            "outcomes:comparison_group",
            kwargs={"pk": ComparisonGroup.objects.get(name="Gruppen").pk},
        ),
        add_group_member,
    ),
    ListPage("reports", Role.PROGRAM_MANAGER, named("outcomes:reports"), add_report_job),
    ListPage("the log", "anonymous", named("journal:post_list"), add_live_post),
    ListPage("the log's atom feed", "anonymous", named("journal:feed_atom"), add_live_post),
    ListPage("the sitemap", "anonymous", named("journal:sitemap"), add_live_post),
    ListPage(
        "the public initiatives",
        "anonymous",
        named("journal:initiative_list"),
        add_public_initiative,
    ),
    ListPage(
        "the public partners", "anonymous", named("journal:partners"), add_partner_with_contact
    ),
    ListPage(
        "the public funders", "anonymous", named("journal:stakeholders"), add_public_initiative
    ),
    ListPage("an editor's posts", Role.EDITOR, named("journal:my_posts"), add_post_in_review),
    ListPage("an editor's start page", Role.EDITOR, named("core:dashboard"), add_post_in_review),
    ListPage(
        "the review queue", Role.PROGRAM_MANAGER, named("journal:review_queue"), add_post_in_review
    ),
    ListPage(
        "the inbox",
        Role.PROGRAM_MANAGER,
        lambda s: reverse("journal:inquiry_list") + "?handled=all",
        add_inquiry,
    ),
    ListPage(
        "a partner's inbox",
        Role.PARTNER_MANAGER,
        lambda s: reverse("journal:inquiry_list") + "?handled=all",
        add_inquiry,
    ),
    ListPage(
        "a partner's people",
        Role.PARTNER_MANAGER,
        lambda s: reverse("registry:organisation_detail", args=[s.world.partner.slug]),
        add_partner_person,
    ),
    ListPage("outbox", Role.PROGRAM_MANAGER, named("messaging:outbox"), add_message),
    ListPage("messages to me", Role.COACH, named("messaging:my_messages"), add_message),
    ListPage(
        "company imports",
        Role.PROGRAM_MANAGER,
        named("registry:import_start"),
        add_import_job("companies"),
    ),
    ListPage(
        "key figure imports",
        Role.PROGRAM_MANAGER,
        named("outcomes:measurement_import_start"),
        add_import_job("kpis"),
    ),
]


def _queries(s: Setting, page: ListPage) -> tuple[int, list[str]]:
    client = s.world.client(str(page.who))
    # A first request makes what a page makes once (a calendar's secret address, say); the
    # second is measured, as computed, never as kept from the previous request.
    client.get(page.url(s))
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url(s))
    assert response.status_code == 200, page.id
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
def test_a_list_costs_the_same_queries_with_1_row_and_with_20(setting: Setting, page: ListPage):
    page.add(setting)
    one, _sql = _queries(setting, page)
    for _ in range(19):
        page.add(setting)
    twenty, sql = _queries(setting, page)
    assert twenty == one, f"{page.id}: {one} queries with 1 row, {twenty} with 20:\n" + "\n".join(
        q[:300] for q in sql
    )
