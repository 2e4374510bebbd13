from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "redthread.core"
    label = "core"
    verbose_name = _("Kärna")

    def ready(self) -> None:
        from django import forms

        from .forms import date_in_bounds
        from .navigation import NavItem, register

        # Every date field of every form, generated from a model or declared, is bounded:
        # one rule in one place rather than a validator on each of the many date fields.
        forms.DateField.default_validators = [date_in_bounds]

        register(NavItem("core:dashboard", _("Översikt"), "core.view_dashboard", order=0))
        register(NavItem("core:privacy", _("Dataskydd"), "core.manage_privacy", order=85))

        from simple_history.signals import pre_create_historical_record

        from .audit import record_origin

        pre_create_historical_record.connect(record_origin, dispatch_uid="core.audit.origin")

        from .privacy import register_retention
        from .ratelimit import RETENTION

        register_retention(RETENTION)
