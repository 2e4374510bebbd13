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

        # The writers' pages (the site's pages are linked from them); the public log is
        # linked from them and from the front page.
        register(NavItem("journal:my_posts", _("Loggen"), "journal.write", order=32))
        # What visitors sent: the office's inbox, and a partner manager's own part of it.
        register(NavItem("journal:inquiry_list", _("Inkommet"), "journal.view_inquiries", order=34))

        from redthread.core.navigation import register_public

        register_public("journal:initiative_list", _("Satsningar"), order=10)
        register_public("journal:methodology", _("Metoden i korthet"), order=20)
        register_public("journal:partners", _("Partner"), order=30)
        register_public("journal:stakeholders", _("Intressenter och finansiärer"), order=40)
        register_public("journal:post_list", _("Loggen"), order=50)
        register_public("journal:contact", _("Kontakt"), order=60)
        register_public("journal:about", _("Om programmet"), order=10, footer_only=True)
        register_public(
            "journal:accessibility", _("Tillgänglighetsredogörelse"), order=20, footer_only=True
        )

        from redthread.core.panels import Panel, register_panel

        from .panels import inquiry_panel, my_posts_panel, review_panel

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
        register_panel(
            Panel(
                "journal_inquiries",
                "journal/_panel_inquiries.html",
                "journal.view_inquiries",
                inquiry_panel,
                order=16,
            )
        )
