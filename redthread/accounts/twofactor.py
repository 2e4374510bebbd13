"""Two-factor login with a time-based one-time password (TOTP, RFC 6238, django-otp).

A user enrols from the profile page: an unconfirmed device is made, its key shown as a QR
code, and the first correct code confirms it. From then on a correct password only opens
the second step (:func:`login_pending_set`); the session is signed in when a code from the
app matches. Roles listed in ``REDTHREAD_REQUIRE_2FA_ROLES`` must enrol and cannot disable it.
"""

from __future__ import annotations

import base64
import time

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .typing import RequestUser

PENDING_SESSION_KEY = "redthread_2fa_pending"


def twofactor_required(user: RequestUser) -> bool:
    """Whether this user's role must sign in with a second factor."""
    return str(getattr(user, "role", "")) in set(settings.REDTHREAD_REQUIRE_2FA_ROLES)


def twofactor_enabled(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


@transaction.atomic
def totp_enrol_start(*, user: User) -> TOTPDevice:
    """Returns the user's unconfirmed device, making one with a fresh key if there is
    none. A confirmed device is left alone (enrolling again requires disabling first)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(name="redthread").delete()
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "redthread"}
    )
    return device


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code in a data: URI (the CSP allows
    data: images, not inline SVG with styles)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def totp_secret_display(device: TOTPDevice) -> str:
    """The key in base32 in groups of four, for apps that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _token_clean(token: str) -> str:
    return "".join(char for char in str(token) if char.isdigit())[:8]


@transaction.atomic
def totp_enrol_confirm(*, user: User, token: str) -> bool:
    """Confirms the pending device when ``token`` matches it; ``False`` otherwise."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_token_clean(token)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def totp_verify(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts ``token``, or ``None``. django-otp throttles
    repeated wrong codes on the device (the delay doubles with each failure)."""
    cleaned = _token_clean(token)
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(cleaned):
            return device
    return None


@transaction.atomic
def totp_disable(*, user: User) -> None:
    """Removes every TOTP device of the user. Callers check :func:`twofactor_required`."""
    TOTPDevice.objects.filter(user=user).delete()


def login_pending_set(request: HttpRequest, *, user: User) -> None:
    """Remembers that ``user`` gave the right password and now owes a code."""
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "at": time.time(),
    }


def login_pending_get(request: HttpRequest) -> tuple[User, str] | None:
    """The user who owes a code and the backend that checked their password, unless the
    wait is over (``REDTHREAD_2FA_PENDING_SECONDS``) or there is none."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > settings.REDTHREAD_2FA_PENDING_SECONDS:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, str(pending["backend"])) if user else None


def login_pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)
