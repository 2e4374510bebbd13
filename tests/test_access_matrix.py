from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access_matrix import ROWS, Row
from .conftest import WHO

# Django's admin (an operator's tool with its own staff check, tested in
# tests/accounts/test_admin_access.py), the language switch (a POST-only Django view) and
# static files in development are not the product's pages. The JSON API has its own matrix
# (tests/api/api_matrix.py), which every operation of its OpenAPI document must join.
OUTSIDE_MATRIX = {"admin", "set_language", "api-1"}


def _named_patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in OUTSIDE_MATRIX:
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found.extend(_named_patterns(pattern, namespace))
        elif isinstance(pattern, URLPattern):
            found.append((f"{prefix}{pattern.name}" if pattern.name else "", str(pattern.pattern)))
    return found


def test_every_url_has_a_row():
    covered = {row.url_name for row in ROWS}
    missing = []
    for name, route in _named_patterns(get_resolver()):
        if name in OUTSIDE_MATRIX or route.startswith("^static/"):
            continue
        if not name:
            missing.append(f"unnamed pattern {route!r}: name it and add a row")
        elif name not in covered:
            missing.append(name)
    assert not missing, f"URL patterns without a row in tests/access_matrix.py: {missing}"


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_access(row: Row, world):
    url = reverse(row.url_name, kwargs=row.kwargs(world))
    if row.query:
        url += "?" + row.query
    wrong = []
    for who in WHO:
        response = world.client(who).get(url)
        expected = row.expected(who)
        if response.status_code != expected:
            wrong.append(f"{who}: got {response.status_code}, expected {expected}")
        elif expected == 302 and who == "anonymous" and not row.public:
            assert response["Location"].startswith(reverse("accounts:login"))
    assert not wrong, f"{url}:\n  " + "\n  ".join(wrong)


def test_a_coach_sees_exactly_the_companies_it_coaches(world):
    """Across the registry (list, csv export), key figures and state aid: the companies the
    coach is lead or co-coach of, nothing more of its partner's."""
    from redthread.accounts.models import Role
    from redthread.outcomes.models import Measurement
    from redthread.registry.models import Organisation, OrganisationKind, Person

    from .access_matrix import _uncoached
    from .conftest import coached_engagement
    from .factories import OrganisationFactory

    _uncoached(world)
    co_coached = OrganisationFactory.create(
        kind=OrganisationKind.COMPANY, name="Medcoachad AB", responsible_partner=world.partner
    )
    elsewhere = OrganisationFactory.create(
        kind=OrganisationKind.COMPANY,
        name="Annans kund AB",
        responsible_partner=world.other_partner,
    )
    coached_engagement(world)
    coached_engagement(world, company=co_coached, coach="other_coach").coaches.add(
        world.users["coach"]
    )
    # Coaching a company of another partner's (the office put the coach there) counts too.
    coached_engagement(world, company=elsewhere)
    coach = world.users[Role.COACH.value]
    expected = {"Testverkstaden AB", "Medcoachad AB", "Annans kund AB"}
    companies = Organisation.objects.visible_to(coach).filter(kind=OrganisationKind.COMPANY)
    assert set(companies.values_list("name", flat=True)) == expected
    client = world.client("coach")
    listed = client.get(reverse("registry:company_list")).context["listing"].page
    assert {c.name for c in listed} == expected
    csv = client.get(reverse("registry:company_list"), {"format": "csv"}).content.decode()
    assert all(name in csv for name in expected)
    assert "Ocoachad AB" not in csv
    hidden = world.uncoached.pk
    Person.objects.create(organisation_id=hidden, first_name="Eva", last_name="Ek")
    assert not Person.objects.visible_to(coach).filter(organisation_id=hidden).exists()
    assert not Measurement.objects.visible_to(coach).filter(company_id=hidden).exists()
    for name in ("registry:company_detail", "outcomes:company_kpis"):
        assert client.get(reverse(name, kwargs={"pk": hidden})).status_code == 404
    state_aid = reverse("engagements:state_aid", kwargs={"company_pk": hidden})
    assert client.get(state_aid).status_code == 404
