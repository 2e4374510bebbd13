"""Holds roles that must use two-factor login to their profile until they do."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .twofactor import twofactor_enabled, twofactor_required

#: What an unverified user of such a role may still reach: enrolling, the code step,
#: leaving, and the pieces every page needs.
_ALLOWED_NAMES = (
    "accounts:profile_totp_enrol",
    "accounts:login_otp",
    "accounts:logout",
    "set_language",
)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and twofactor_required(user)
            and not user.is_verified()  # set by OTPMiddleware
            and not self._allowed(request.path)
        ):
            if twofactor_enabled(user):
                # Signed in some other way than the code step (e.g. before it was required).
                logout(request)
                return redirect("accounts:login")
            messages.info(
                request, _("Din roll kräver tvåstegsinloggning. Slå på den för att fortsätta.")
            )
            return redirect("accounts:profile_totp_enrol")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        if path.startswith(("/static/", "/healthz")):
            return True
        return any(path == reverse(name) for name in _ALLOWED_NAMES)
