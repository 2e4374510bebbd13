"""Two-factor login (TOTP), the roles that must use it, password rules and the sessions
listed on the profile page."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from redthread.accounts.models import UserSession

from ..conftest import PASSWORD

LOGIN = "/login/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _device(user, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="redthread", confirmed=confirmed)


def test_enrolling_shows_a_qr_code_and_the_first_code_turns_it_on(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would delay the right one
    user = world.users["coach"]
    client = world.client("coach")
    page = client.get(reverse("accounts:profile_totp_enrol"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("accounts:profile_totp_enrol"), {"token": "000000"})
    assert "Koden stämmer inte" in wrong.content.decode() or _code(device) == "000000"
    done = client.post(reverse("accounts:profile_totp_enrol"), {"token": _code(device)})
    assert done.status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert "Påslagen" in client.get(reverse("accounts:profile")).content.decode()


def test_with_a_device_the_password_alone_does_not_sign_in(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = world.users["program_manager"]
    device = _device(user)
    step = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert step.status_code == 302
    assert step["Location"].startswith(reverse("accounts:login_otp"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:dashboard")).status_code == 302  # still anonymous
    wrong = client.post(reverse("accounts:login_otp"), {"token": "12345"})
    assert "_auth_user_id" not in client.session
    assert wrong.status_code == 200
    signed_in = client.post(reverse("accounts:login_otp"), {"token": _code(device)})
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("core:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_code_step_without_a_password_sends_back_to_login(client, world):
    response = client.post(reverse("accounts:login_otp"), {"token": "123456"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_required_roles_reach_nothing_but_enrolment(world, settings):
    settings.REDTHREAD_REQUIRE_2FA_ROLES = ["admin", "program_manager"]
    manager = world.client("program_manager")
    response = manager.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile_totp_enrol")
    assert manager.get(reverse("accounts:profile_totp_enrol")).status_code == 200
    # Roles not on the list are not held.
    assert world.client("coach").get(reverse("core:dashboard")).status_code == 200


def test_a_required_role_cannot_turn_it_off(world, settings):
    settings.REDTHREAD_REQUIRE_2FA_ROLES = ["program_manager"]
    user = world.users["program_manager"]
    device = _device(user)
    client = Client()
    client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    client.post(reverse("accounts:login_otp"), {"token": _code(device)})
    assert client.get(reverse("core:dashboard")).status_code == 200  # verified: let through
    client.post(reverse("accounts:profile_totp_disable"), {"token": _code(device)})
    assert TOTPDevice.objects.filter(user=user).exists()


def test_a_coach_turns_it_off_with_a_current_code(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = world.users["coach"]
    device = _device(user)
    client = world.client("coach")
    client.post(reverse("accounts:profile_totp_disable"), {"token": "000001"})
    assert TOTPDevice.objects.filter(user=user).exists() or _code(device) == "000001"
    client.post(reverse("accounts:profile_totp_disable"), {"token": _code(device)})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_production_requires_two_factor_for_admin_and_program_managers():
    from .test_settings_helpers import production_setting

    assert production_setting("REDTHREAD_REQUIRE_2FA_ROLES") == ["admin", "program_manager"]


def test_password_rules_refuse_short_common_and_numeric_passwords(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = world.users["coach"]
    for weak in ["kort", "password123", "12345678901", user.email]:
        try:
            validate_password(weak, user)
        except ValidationError:
            continue
        raise AssertionError(f"{weak!r} was accepted")
    validate_password("Ett långt och ovanligt lösen 42", user)


def test_sessions_are_listed_and_one_can_be_ended(world):
    user = world.users["coach"]
    laptop, phone = Client(HTTP_USER_AGENT="Laptop"), Client(HTTP_USER_AGENT="Phone")
    for client in (laptop, phone):
        assert client.post(LOGIN, {"username": user.email, "password": PASSWORD}).status_code == 302
    assert UserSession.objects.filter(user=user).count() == 2
    page = laptop.get(reverse("accounts:profile")).content.decode()
    assert "Laptop" in page
    assert "Phone" in page
    phone_session = UserSession.objects.get(user=user, user_agent="Phone")
    revoked = laptop.post(reverse("accounts:profile_session_revoke", args=[phone_session.pk]))
    assert revoked.status_code == 302
    assert phone.get(reverse("core:dashboard")).status_code == 302  # signed out
    assert laptop.get(reverse("core:dashboard")).status_code == 200


def test_a_user_cannot_end_someone_elses_session(world):
    user = world.users["coach"]
    other = Client()
    other.post(LOGIN, {"username": user.email, "password": PASSWORD})
    session = UserSession.objects.get(user=user)
    world.client("partner_manager").post(
        reverse("accounts:profile_session_revoke", args=[session.pk])
    )
    assert other.get(reverse("core:dashboard")).status_code == 200


def test_ending_every_other_session_keeps_this_one(world):
    user = world.users["coach"]
    clients = [Client() for _ in range(3)]
    for client in clients:
        client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    clients[0].post(reverse("accounts:profile_sessions_revoke_others"))
    assert clients[0].get(reverse("core:dashboard")).status_code == 200
    assert all(c.get(reverse("core:dashboard")).status_code == 302 for c in clients[1:])
    assert re.search("Inloggad", clients[0].get(reverse("accounts:profile")).content.decode())
