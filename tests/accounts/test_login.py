from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from redthread.accounts.models import Role, User
from redthread.messaging.models import Message

from ..conftest import PASSWORD
from ..factories import UserFactory

LOGIN = "/login/"


def _login(client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_with_email_in_any_case_goes_to_the_overview(client, world):
    user = world.users["coach"]
    response = _login(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


def test_wrong_password_gets_a_clear_swedish_message(client, world):
    response = _login(client, world.users["coach"].email, "fel lösenord")
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord" in response.content.decode()


def test_wrong_password_message_in_english(client, world):
    client.cookies["redthread_language"] = "en"
    response = _login(client, world.users["coach"].email, "wrong")
    assert "Wrong e-mail address or password" in response.content.decode()


def test_repeated_failures_lock_the_account_and_say_so(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    email = world.users["coach"].email
    for _ in range(3):
        _login(client, email, "fel")
    locked = _login(client, email, PASSWORD)  # the right password no longer helps
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "tillfälligt spärrat" in body
    assert "15 minuter" in body
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_not_per_office(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        _login(client, world.users["coach"].email, "fel")
    other = _login(client, world.users["partner_manager"].email, PASSWORD)
    assert other.status_code == 302


def test_inactive_user_cannot_log_in(client, world):
    user = world.users["coach"]
    user.is_active = False
    user.save()
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, world):
    client.force_login(world.users["coach"])
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_passwords_are_hashed_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = User.objects.create_user("argon@example.test", "ett långt lösenord")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_real_settings_put_argon2_first():
    from redthread import settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, world, django_capture_on_commit_callbacks
):
    user = world.users["coach"]
    # Through the outbox: stored, then sent after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert Message.objects.get().kind == "password_reset"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = next(line for line in message.body.splitlines() if "/losenord/aterstall/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "Ett nytt långt lösen 42", "new_password2": "Ett nytt långt lösen 42"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Ett nytt långt lösen 42")


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "okand@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_used_reset_link_explains_itself(client, world):
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"})
    body = client.get(url).content.decode()
    assert "Länken fungerar inte längre" in body


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reaches_its_overview(client, db, role):
    user = UserFactory.create(role=role)
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert str(user.get_role_display()) in response.content.decode()


def test_login_switches_to_the_users_language(client, world):
    user = world.users["coach"]
    user.preferred_language = "en"
    user.save()
    client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert client.cookies["redthread_language"].value == "en"
    body = client.get(reverse("core:dashboard")).content.decode()
    assert '<html lang="en">' in body


def test_a_language_chosen_in_the_browser_wins_over_the_profile(client, world):
    user = world.users["coach"]
    user.preferred_language = "en"
    user.save()
    client.cookies["redthread_language"] = "sv"
    client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert client.cookies["redthread_language"].value == "sv"


@pytest.mark.parametrize(
    "variant",
    [
        lambda e: e.upper(),
        lambda e: f"  {e} ",
        lambda e: e.replace("@", " @"),
        # Full-width letters, which NFKC folds to ASCII.
        lambda e: "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in e),
        lambda e: e.title(),
    ],
)
def test_identity_normalise_folds_every_variant_to_one(world, variant):
    from redthread.accounts.identity import identity_normalise

    email = world.users["coach"].email
    assert identity_normalise(variant(email)) == identity_normalise(email) == email


def test_variants_of_the_address_share_one_lockout(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    email = world.users["coach"].email
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in email)
    variants = [email.upper(), f" {email}", f"{email}  ", email.title(), fullwidth]
    for variant in variants:
        _login(client, variant, "fel")
    locked = _login(client, email, PASSWORD)  # the right password no longer helps
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _login(client, email.upper(), PASSWORD).status_code == 429


def test_user_creation_stores_the_normalised_identity(db):
    from redthread.accounts import services

    user = services.user_create(email="  Ny.Coach@IUC.Example ", role=Role.COACH)
    assert user.email == "ny.coach@iuc.example"
