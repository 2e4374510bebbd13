from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodologyConfig(AppConfig):
    name = "redthread.methodology"
    label = "methodology"
    verbose_name = _("Metodik")

    def ready(self) -> None:
        from redthread.core.navigation import NavItem, register

        register(NavItem("methodology:coverage", _("Röda tråden"), "methodology.view", order=30))
