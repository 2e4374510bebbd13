"""The shared test world: one organisation of each kind, one user per role, and an
outsider for every scoped role, so that every access test is one line."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from redthread.accounts.models import Role, User
from redthread.methodology import services as methodology_services
from redthread.registry import services as registry_services
from redthread.registry.models import NutsRegion, Organisation, OrganisationKind

from .factories import OrganisationFactory, UserFactory

# A real SMTP server on the loopback, for every test that sends e-mail (smtp_server.py).
from .smtp_server import smtp, smtp_server  # noqa: F401

# The suite shares two cores with the browser and the database: time is not what hypothesis
# tests here check, so a slow draw or a slow example on a busy machine is not a failure.
hypothesis_settings.register_profile(
    "redthread", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("redthread")

PASSWORD = "correct horse battery"


@dataclass
class World:
    office: Organisation
    partner: Organisation
    other_partner: Organisation
    funder: Organisation
    company: Organisation
    other_company: Organisation
    users: dict[str, User]

    def client(self, who: str) -> Client:
        """A client signed in as ``who`` (a role name, ``other_partner_manager``,
        ``other_coach``, ``other_company_user``), or anonymous for ``anonymous``."""
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        return client


#: Everyone the access matrix asks about.
WHO = [
    "anonymous",
    *[role.value for role in Role],
    "other_partner_manager",
    "other_coach",
    "other_company_user",
]


@pytest.fixture
def world(db) -> World:
    office = OrganisationFactory.create(
        kind=OrganisationKind.PROGRAM_OFFICE, name="Programkontoret", slug="pk"
    )
    partner = OrganisationFactory.create(name="IUC Test", slug="iuc-test", region=NutsRegion.SE22)
    other_partner = OrganisationFactory.create(
        name="IUC Annan", slug="iuc-annan", region=NutsRegion.SE33
    )
    funder = OrganisationFactory.create(
        kind=OrganisationKind.FUNDER, name="Finansiären", slug="fin"
    )
    company = OrganisationFactory.create(
        kind=OrganisationKind.COMPANY,
        name="Testverkstaden AB",
        slug="testverkstaden",
        responsible_partner=partner,
        org_number="5560360793",
    )
    other_company = OrganisationFactory.create(
        kind=OrganisationKind.COMPANY,
        name="Annan Industri AB",
        slug="annan-industri",
        responsible_partner=other_partner,
    )
    users = {
        Role.ADMIN.value: UserFactory.create(role=Role.ADMIN, is_staff=True, is_superuser=True),
        Role.PROGRAM_MANAGER.value: UserFactory.create(
            role=Role.PROGRAM_MANAGER, organisations=[office]
        ),
        Role.PARTNER_MANAGER.value: UserFactory.create(
            role=Role.PARTNER_MANAGER, organisations=[partner]
        ),
        Role.COACH.value: UserFactory.create(role=Role.COACH, organisations=[partner]),
        Role.COMPANY_USER.value: UserFactory.create(
            role=Role.COMPANY_USER, organisations=[company]
        ),
        Role.FUNDER_VIEWER.value: UserFactory.create(
            role=Role.FUNDER_VIEWER, organisations=[funder]
        ),
        Role.EDITOR.value: UserFactory.create(role=Role.EDITOR, organisations=[office]),
        "other_partner_manager": UserFactory.create(
            role=Role.PARTNER_MANAGER, organisations=[other_partner]
        ),
        "other_coach": UserFactory.create(role=Role.COACH, organisations=[other_partner]),
        "other_company_user": UserFactory.create(
            role=Role.COMPANY_USER, organisations=[other_company]
        ),
    }
    return World(office, partner, other_partner, funder, company, other_company, users)


def coached_engagement(
    world: World, *, company: Organisation | None = None, coach: str = "coach"
) -> Any:
    """An engagement of ``company`` (ours by default), delivered by our partner, with
    ``coach`` as lead coach: a coach reaches only the companies it coaches. Its own module,
    template and initiative, made once, so that it mixes with the other fixtures."""
    from redthread.engagements.models import Engagement
    from redthread.methodology.models import Initiative, TemplateVersion

    initiative = Initiative.objects.filter(slug="coachad").first()
    if initiative is None:
        services = methodology_services
        module = services.module_create(
            code="coachning", category="lean", name="Coachning", purpose="Stöd."
        ).module
        draft = services.template_create(code="coachad", name="Coachad", duration_weeks=4)
        services.step_add(
            phase=services.phase_add(version=draft, name="Fas"), module=module, offset_weeks=0
        )
        services.assessment_point_add(
            version=draft, timepoint="T0", offset_weeks=0, instrument="lean"
        )
        services.template_publish(version=draft, actor=None)
        initiative = services.initiative_save(
            slug="coachad",
            name="Coachad satsning",
            owner=world.office,
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2027, 1, 1),
        )
    return Engagement.objects.create(
        company=company or world.company,
        initiative=initiative,
        template_version=TemplateVersion.objects.filter(template__code="coachad").get(),
        partner=(company or world.company).responsible_partner or world.partner,
        lead_coach=world.users[coach],
        start_date=datetime.date(2026, 1, 1),
    )


@pytest.fixture
def coached(world) -> Any:
    """Our coach coaches our company (and the other partner's coach the other company)."""
    coached_engagement(world, company=world.other_company, coach="other_coach")
    return coached_engagement(world)


@pytest.fixture(autouse=True)
def swedish_first():
    # A request in English leaves English active in the thread; every test starts in the
    # product's first language whatever ran before it.
    translation.activate("sv")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached results must not leak from one test's database into the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    # Uploaded files go to a throwaway folder, never the developer's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Argon2 is deliberately slow; tests that check it put it back (tests/accounts).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def methodology(world):
    """Two modules, a published template using both, and an initiative offering it."""
    registry_services.reference_data_load()
    services = methodology_services
    five_s = services.module_create(
        code="5s",
        category="lean",
        name="5S",
        purpose="Ordning och reda.",
        duration_weeks=6,
        coach_hours=24,
        company_hours=100,
        steps=["Sortera", "Strukturera", "Städa"],
    ).module
    vsm = services.module_create(
        code="vardeflodesanalys",
        category="lean",
        name="Värdeflödesanalys",
        purpose="Se flödet.",
        duration_weeks=4,
    ).module
    unused = services.module_create(
        code="smed", category="lean", name="SMED", purpose="Snabba omställningar."
    ).module
    draft = services.template_create(code="startprogram", name="Startprogram", duration_weeks=16)
    phase = services.phase_add(version=draft, name="Uppstart")
    services.step_add(phase=phase, module=vsm, offset_weeks=0, coach_hours=8)
    services.step_add(phase=phase, module=five_s, offset_weeks=4, coach_hours=24)
    services.assessment_point_add(version=draft, timepoint="T0", offset_weeks=0, instrument="lean")
    template = services.template_publish(
        version=draft, actor=world.users["program_manager"]
    ).template
    initiative = services.initiative_save(
        slug="landsbygd",
        name="Landsbygdsprogrammet",
        owner=world.office,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 12, 31),
        size_classes=["micro", "small"],
        regions=[],
        urban_rural_types=["landsbygd_nara"],
        sectors=["25", "28"],
        templates=[template],
        partners=[world.partner],
        fundings=[(world.funder, 2_000_000)],
    )
    return {
        "five_s": five_s,
        "vsm": vsm,
        "unused": unused,
        "template": template,
        "initiative": initiative,
    }
