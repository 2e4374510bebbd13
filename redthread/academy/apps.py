from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "redthread.academy"
    label = "academy"
    verbose_name = _("Coacher")

    def ready(self) -> None:
        from redthread.core.navigation import NavItem, register

        register(NavItem("academy:coach_list", _("Coacher"), "academy.view_coaches", order=25))

        from redthread.core.panels import Panel, register_panel

        from .panels import certified_share

        register_panel(
            Panel(
                "certified_share",
                "academy/_certified_share_panel.html",
                "academy.certified_share",
                certified_share,
                order=35,
                audience_only=True,
            )
        )
