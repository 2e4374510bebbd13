from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "redthread.academy"
    label = "academy"
    verbose_name = _("Coacher")

    def ready(self) -> None:
        from redthread.core.navigation import NavItem, register

        register(NavItem("academy:coach_list", _("Coacher"), "academy.view_coaches", order=25))
