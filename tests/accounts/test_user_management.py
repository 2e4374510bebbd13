from __future__ import annotations

from django.core import mail
from django.urls import reverse

from redthread.accounts.models import Role, User
from redthread.messaging.models import Message


def _form_data(user: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "preferred_language": user.preferred_language,
        "is_active": "on" if user.is_active else "",
        "organisations": list(user.memberships.values_list("organisation_id", flat=True)),
    }
    data.update(changes)
    return data


def test_admin_creates_a_user_who_gets_an_invitation(world, django_capture_on_commit_callbacks):
    client = world.client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user_create"),
            {
                "email": "Ny.Coach@Example.test",
                "full_name": "Ny Coach",
                "role": Role.COACH,
                "preferred_language": "sv",
                "is_active": "on",
                "organisations": [world.partner.pk],
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="ny.coach@example.test")
    assert user.role == Role.COACH
    assert not user.has_usable_password()
    assert list(user.memberships.values_list("organisation", flat=True)) == [world.partner.pk]
    assert len(mail.outbox) == 1
    assert "losenord/aterstall" in mail.outbox[0].body
    assert Message.objects.get(recipient=user).kind == "invitation"


def test_duplicate_email_is_refused_beside_the_field(world):
    client = world.client("admin")
    existing = world.users["coach"].email.upper()
    response = client.post(
        reverse("accounts:user_create"),
        {
            "email": existing,
            "role": Role.COACH,
            "preferred_language": "sv",
        },
    )
    assert response.status_code == 200
    assert "Det finns redan en användare med den e-postadressen" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_edit_changes_role_and_memberships(world):
    coach = world.users["coach"]
    client = world.client("admin")
    url = reverse("accounts:user_edit", kwargs={"pk": coach.pk})
    token = client.get(url).context["form"].initial["edit_token"]
    response = client.post(
        url,
        _form_data(
            coach,
            role=Role.PARTNER_MANAGER,
            organisations=[world.other_partner.pk],
            edit_token=token,
        ),
    )
    assert response.status_code == 302
    coach.refresh_from_db()
    assert coach.role == Role.PARTNER_MANAGER
    assert set(coach.memberships.values_list("organisation", flat=True)) == {world.other_partner.pk}
    assert coach.history.count() >= 2  # the audit trail recorded the change


def test_concurrent_edit_does_not_overwrite_and_keeps_the_typed_text(world):
    coach = world.users["coach"]
    first, second = world.client("admin"), world.client("admin")
    url = reverse("accounts:user_edit", kwargs={"pk": coach.pk})
    token_first = first.get(url).context["form"].initial["edit_token"]
    token_second = second.get(url).context["form"].initial["edit_token"]
    assert (
        first.post(url, _form_data(coach, full_name="Först", edit_token=token_first)).status_code
        == 302
    )
    response = second.post(url, _form_data(coach, full_name="Andra", edit_token=token_second))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Någon annan har sparat ändringar" in body
    assert 'value="Andra"' in body  # what the second person typed is still in the form
    coach.refresh_from_db()
    assert coach.full_name == "Först"


def test_deactivation_asks_first_and_then_closes_the_account(world):
    coach = world.users["coach"]
    client = world.client("admin")
    url = reverse("accounts:user_deactivate", kwargs={"pk": coach.pk})
    page = client.get(url)
    assert "Stäng av kontot" in page.content.decode()
    coach.refresh_from_db()
    assert coach.is_active
    assert client.post(url).status_code == 302
    coach.refresh_from_db()
    assert not coach.is_active


def test_admin_cannot_deactivate_themselves(world):
    admin = world.users["admin"]
    client = world.client("admin")
    client.post(reverse("accounts:user_deactivate", kwargs={"pk": admin.pk}))
    admin.refresh_from_db()
    assert admin.is_active


def test_user_list_filters_and_query_count(world, django_assert_max_num_queries):
    client = world.client("admin")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("accounts:user_list"), {"role": Role.COACH})
    emails = {u.email for u in response.context["listing"].page.object_list}
    assert emails == {world.users["coach"].email, world.users["other_coach"].email}


def test_invitation_link_lets_the_new_user_choose_a_password_and_log_in(
    world, client, django_capture_on_commit_callbacks
):
    admin = world.client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            reverse("accounts:user_create"),
            {
                "email": "inbjuden@example.test",
                "role": Role.COACH,
                "preferred_language": "sv",
                "is_active": "on",
            },
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/losenord/aterstall/" in line)
    page = client.get(link.split("testserver", 1)[1], follow=True)
    set_url = page.redirect_chain[-1][0]
    client.post(
        set_url, {"new_password1": "Mitt eget lösen 2026", "new_password2": "Mitt eget lösen 2026"}
    )
    response = client.post(
        "/login/", {"username": "inbjuden@example.test", "password": "Mitt eget lösen 2026"}
    )
    assert response.status_code == 302
