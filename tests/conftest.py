"""The shared test world: one organisation of each kind, one user per role, and an
outsider for every scoped role, so that every access test is one line."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from redthread.accounts.models import Role, User
from redthread.registry.models import NutsRegion, Organisation, OrganisationKind

from .factories import OrganisationFactory, UserFactory

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


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    # Uploaded files go to a throwaway folder, never the developer's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Argon2 is deliberately slow; tests that check it put it back (tests/accounts).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
