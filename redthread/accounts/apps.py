from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "redthread.accounts"
    label = "accounts"
    verbose_name = _("Konton och behörigheter")

    def ready(self) -> None:
        from redthread.core.privacy import register_personal_data, register_retention

        from . import privacy

        register_personal_data(privacy.SOURCE)
        register_retention(privacy.RETENTION)

        from redthread.core.navigation import NavItem, register

        from . import user_sessions  # noqa: F401  (connects the sign-in signals)

        register(NavItem("accounts:user_list", _("Användare"), "accounts.manage_users", order=90))
