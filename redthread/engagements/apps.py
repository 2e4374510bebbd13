from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "redthread.engagements"
    label = "engagements"
    verbose_name = _("Uppdrag")

    def ready(self) -> None:
        from redthread.core.privacy import register_personal_data, register_retention

        from . import privacy

        register_personal_data(privacy.SOURCE)
        register_retention(privacy.RETENTION)

        from redthread.core.navigation import NavItem, register

        register(NavItem("engagements:engagement_list", _("Uppdrag"), "engagements.view", order=5))
        register(NavItem("engagements:overview", _("Läget"), "engagements.overview", order=6))
        register(NavItem("engagements:calendar", _("Kalender"), "engagements.calendar", order=7))

        from redthread.core.panels import Panel, register_panel

        from .panels import my_engagements, next_booking

        register_panel(
            Panel(
                "engagements",
                "engagements/_panel.html",
                "engagements.view",
                my_engagements,
                order=10,
            )
        )
        register_panel(
            Panel(
                "next_booking",
                "engagements/_panel_next_booking.html",
                "engagements.next_booking",
                next_booking,
                order=5,
            )
        )

        from redthread.methodology.hooks import register_module_usage

        from .selectors import module_usage

        register_module_usage(module_usage)

        from redthread.assessments.hooks import register_recommendation_targets

        from .assessment_views import recommendation_targets

        register_recommendation_targets(recommendation_targets)
