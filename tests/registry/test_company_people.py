"""The company's manager manages its own colleagues and respondents, and nobody else's."""

from __future__ import annotations

from django.urls import reverse

from redthread.accounts import services as account_services
from redthread.accounts.models import Membership, Role, User
from redthread.messaging.models import Message
from redthread.registry.models import Person

from ..access_matrix import _round


def _manage(world, who="company_user", company=None):
    Membership.objects.filter(user=world.users[who], organisation=company or world.company).update(
        is_manager=True
    )


def test_the_manager_invites_a_colleague_through_the_outbox(world, settings):
    _manage(world)
    client = world.client("company_user")
    response = client.post(
        reverse("registry:company_users"),
        {"full_name": "Olle Operatör", "email": "olle@test.example", "preferred_language": "sv"},
    )
    assert response.status_code == 302
    olle = User.objects.get(email="olle@test.example")
    assert olle.role == Role.COMPANY_USER
    assert list(olle.memberships.values_list("organisation_id", flat=True)) == [world.company.pk]
    assert not olle.has_usable_password()
    assert Message.objects.filter(to_address="olle@test.example", kind="invitation").exists()
    # A contact person too, so that action items can be given to the colleague.
    assert Person.objects.filter(organisation=world.company, email="olle@test.example").exists()


def test_the_office_limit_is_kept(world, settings):
    settings.REDTHREAD_COMPANY_USERS_MAX = 1
    _manage(world)
    response = world.client("company_user").post(
        reverse("registry:company_users"),
        {"full_name": "Olle", "email": "olle@test.example", "preferred_language": "sv"},
    )
    assert response.status_code == 422
    assert not User.objects.filter(email="olle@test.example").exists()


def test_an_address_with_an_account_is_not_taken_over(world):
    _manage(world)
    other = world.users["other_company_user"]
    response = world.client("company_user").post(
        reverse("registry:company_users"),
        {"full_name": "X", "email": other.email, "preferred_language": "sv"},
    )
    assert response.status_code == 422
    other.refresh_from_db()
    assert list(other.memberships.values_list("organisation_id", flat=True)) == [
        world.other_company.pk
    ]


def test_the_manager_removes_its_own_colleague_only(world):
    _manage(world)
    _manage(world, "other_company_user", world.other_company)
    colleague = account_services.user_create(
        email="kollega@test.example", role=Role.COMPANY_USER, organisation_ids=[world.company.pk]
    )
    url = reverse("registry:company_user_remove", kwargs={"pk": colleague.pk})
    # The other company's manager does not see ours.
    assert world.client("other_company_user").post(url).status_code == 404
    colleague.refresh_from_db()
    assert colleague.is_active
    assert world.client("company_user").post(url).status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert not colleague.memberships.exists()
    # Nor itself.
    me = reverse("registry:company_user_remove", kwargs={"pk": world.users["company_user"].pk})
    world.client("company_user").post(me)
    assert world.users["company_user"].memberships.exists()


def test_a_company_user_who_does_not_manage_gets_403(world):
    assert world.client("company_user").get(reverse("registry:company_users")).status_code == 403


def test_the_manager_invites_respondents_and_sees_who_answered_never_what(world):
    _manage(world)
    pk = _round(world)["pk"]
    url = reverse("assessments:round_respondents", kwargs={"pk": pk})
    client = world.client("company_user")
    page = client.get(url).content.decode()
    assert "1 av 2 svarande har svarat." in page
    assert "Har inte svarat än" in page
    response = client.post(
        url,
        {
            "action": "invite",
            "group": "shop_floor",
            "label": "Montering",
            "email": "m@test.example",
        },
    )
    assert response.status_code == 302
    message = Message.objects.get(to_address="m@test.example", kind="respondent_link")
    assert "/sjalvskattning/" in message.body_text
    page = client.get(url).content.decode()
    assert "1 av 3 svarande har svarat." in page
    # Never an answer: the submitted response's answer values are not on the page.
    # (not a bare "a1": a random CSRF token may hold those two characters)
    assert '"a1"' not in page
    # A bad address for a new link is a message, not a 500.
    waiting = world.round_waiting
    bad = client.post(url, {"action": "resend", "response": waiting.pk, "email": "inte en adress"})
    assert bad.status_code == 302


def test_another_companys_manager_cannot_reach_our_round(world):
    _manage(world, "other_company_user", world.other_company)
    pk = _round(world)["pk"]
    url = reverse("assessments:round_respondents", kwargs={"pk": pk})
    assert world.client("other_company_user").get(url).status_code == 404
    response = world.client("other_company_user").post(
        url, {"action": "invite", "group": "shop_floor", "email": "x@test.example"}
    )
    assert response.status_code == 404
