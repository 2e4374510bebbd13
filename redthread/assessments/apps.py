from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "redthread.assessments"
    label = "assessments"
    verbose_name = _("Mätningar")

    def ready(self) -> None:
        from redthread.core.navigation import NavItem, register

        register(NavItem("assessments:round_list", _("Mätningar"), "assessments.view", order=8))

        from redthread.core.panels import Panel, register_panel

        from .panels import latest_rounds

        register_panel(
            Panel(
                "assessments",
                "assessments/_panel.html",
                "assessments.view",
                latest_rounds,
                order=20,
            )
        )
