from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "redthread.core"
    label = "core"
    verbose_name = _("Kärna")

    def ready(self) -> None:
        from .navigation import NavItem, register

        register(NavItem("core:dashboard", _("Översikt"), "core.view_dashboard", order=0))
