from __future__ import annotations

import re

import pytest

from ..conftest import WHO
from ..navigation import NAVIGATION


def _nav_labels(html: str) -> set[str]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    return set(re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(0))) if nav else set()


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_navigation_follows_the_role(world, role):
    html = world.client(role).get("/oversikt/").content.decode()
    assert _nav_labels(html) == set(NAVIGATION[role])


def test_every_page_has_skip_link_landmarks_and_language(world):
    html = world.client("anonymous").get("/login/").content.decode()
    assert '<html lang="sv">' in html
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert "<footer" in html


def test_language_switch_turns_the_page_english(world):
    client = world.client("coach")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/oversikt/"})
    assert response.status_code == 302
    html = client.get("/oversikt/").content.decode()
    assert '<html lang="en">' in html
    assert "Log out" in html


def test_content_security_policy_allows_no_inline_script_or_style(world):
    response = world.client("anonymous").get("/login/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script found"
    assert "<style" not in html
    assert " style=" not in html


def test_not_found_and_forbidden_pages_speak_swedish(world, settings):
    settings.DEBUG = False
    assert "Sidan finns inte" in world.client("coach").get("/finns-inte/").content.decode()
    forbidden = world.client("coach").get("/anvandare/")
    assert forbidden.status_code == 403
    assert "Åtkomst nekad" in forbidden.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_overview_query_count(world, who, django_assert_max_num_queries):
    client = world.client(who)
    # The shell's few queries plus at most two per panel (engagements, assessments,
    # outcomes), whatever the amount of data; the company's home has six small panels of
    # one or two queries each (its growth is checked in test_query_counts).
    with django_assert_max_num_queries(13 if who.endswith("company_user") else 11):
        client.get("/oversikt/")


def test_the_companys_menu_leads_to_its_own_pages_not_the_staffs_lists(world):
    html = world.client("company_user").get("/oversikt/").content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert nav
    links = {
        label: href for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav[0])
    }
    assert links["Vårt företag"] == f"/foretag/{world.company.pk}/"
    assert links["Resultat"] == f"/matningar/foretag/{world.company.pk}/"
    page = world.client("company_user").get(links["Vårt företag"]).content.decode()
    assert world.company.name in page
    assert "Alla företag" not in page  # no way back to a list made for the staff
    assert (
        "Alla företag"
        in world.client("partner_manager").get(links["Vårt företag"]).content.decode()
    )


def test_a_user_of_two_companies_finds_them_under_its_lists(world):
    from redthread.accounts.models import Membership

    user = world.users["company_user"]
    Membership.objects.create(user=user, organisation=world.other_company)
    html = world.client("company_user").get("/oversikt/").content.decode()
    assert "Vårt företag" not in _nav_labels(html)
