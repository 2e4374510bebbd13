from collections.abc import Callable
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBase
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View

from . import views

app_name = "accounts"


def _public(view_class: type[View[Any]], **kwargs: Any) -> Callable[..., HttpResponseBase]:
    return login_not_required(view_class.as_view(**kwargs))


urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/kod/", views.login_otp, name="login_otp"),
    path("profil/", views.profile, name="profile"),
    path("profil/tvastegs/", views.profile_totp_enrol, name="profile_totp_enrol"),
    path("profil/tvastegs/stang-av/", views.profile_totp_disable, name="profile_totp_disable"),
    path(
        "profil/inloggningar/<int:pk>/avsluta/",
        views.profile_session_revoke,
        name="profile_session_revoke",
    ),
    path(
        "profil/inloggningar/avsluta-andra/",
        views.profile_sessions_revoke_others,
        name="profile_sessions_revoke_others",
    ),
    path("profil/api-nycklar/ny/", views.profile_api_token_create, name="profile_api_token_create"),
    path(
        "profil/api-nycklar/<int:pk>/aterkalla/",
        views.profile_api_token_revoke,
        name="profile_api_token_revoke",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("losenord/aterstall/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "losenord/aterstall/skickat/",
        _public(
            auth_views.PasswordResetDoneView, template_name="accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        _public(
            auth_views.PasswordResetCompleteView,
            template_name="accounts/password_reset_complete.html",
        ),
        name="password_reset_complete",
    ),
    path("anvandare/", views.user_list, name="user_list"),
    path("anvandare/ny/", views.user_create, name="user_create"),
    path("anvandare/<int:pk>/", views.user_edit, name="user_edit"),
    path("anvandare/<int:pk>/stang-av/", views.user_deactivate, name="user_deactivate"),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "login": _("Inloggning"),
    "login_otp": _("Inloggning med engångskod"),
    "profile": _("Min profil"),
    "profile_totp_enrol": _("Slå på tvåstegsinloggning"),
    "profile_totp_disable": _("Stäng av tvåstegsinloggning"),
    "profile_session_revoke": _("Logga ut en session"),
    "profile_sessions_revoke_others": _("Logga ut andra sessioner"),
    "profile_api_token_create": _("Ny API-nyckel"),
    "profile_api_token_revoke": _("Återkalla en API-nyckel"),
    "logout": _("Utloggning"),
    "password_reset": _("Glömt lösenord"),
    "password_reset_confirm": _("Nytt lösenord"),
    "user_create": _("Ny användare"),
    "user_edit": _("Ändra en användare"),
    "user_deactivate": _("Inaktivera en användare"),
}
