from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "redthread.messaging"
    label = "messaging"
    verbose_name = _("Meddelanden")

    def ready(self) -> None:
        from redthread.core.privacy import register_personal_data

        from . import privacy

        register_personal_data(privacy.SOURCE)

        from redthread.accounts.hooks import register_account_mail, register_profile_section
        from redthread.core.navigation import NavItem, register

        from .services import account_mail_send
        from .views import NoticePreferencesSection

        register(NavItem("messaging:outbox", _("Utkorg"), "messaging.view_outbox", order=80))
        # Invitations and password resets go through the outbox; accounts sits below and
        # only knows that someone sends its mail.
        register_account_mail(account_mail_send)
        # Each user's notice choices on their profile page.
        register_profile_section("notices", NoticePreferencesSection())
