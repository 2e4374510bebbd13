from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "redthread.journal"
    label = "journal"
    verbose_name = _("Loggen")

    def ready(self) -> None:
        from redthread.core.privacy import register_personal_data, register_retention

        from . import privacy

        register_personal_data(privacy.SOURCE)
        register_retention(privacy.RETENTION)

        from redthread.core.navigation import NavItem, register

        # The writers' pages; the public log is linked from them and from the front page.
        register(NavItem("journal:my_posts", _("Loggen"), "journal.write", order=32))

        from redthread.core.navigation import register_public

        register_public("journal:initiative_list", _("Satsningar"), order=10)
        register_public("journal:methodology", _("Metoden i korthet"), order=20)
        register_public("journal:partners", _("Partner"), order=30)
        register_public("journal:stakeholders", _("Intressenter och finansiärer"), order=40)
        register_public("journal:post_list", _("Loggen"), order=50)
        register_public("journal:contact", _("Kontakt"), order=60)

        from redthread.core.panels import Panel, register_panel

        from .panels import my_posts_panel, review_panel

        register_panel(
            Panel("journal_mine", "journal/_panel_mine.html", "journal.write", my_posts_panel)
        )
        register_panel(
            Panel(
                "journal_review",
                "journal/_panel_review.html",
                "journal.review",
                review_panel,
                order=15,
            )
        )
