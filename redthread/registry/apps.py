from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegistryConfig(AppConfig):
    name = "redthread.registry"
    label = "registry"
    verbose_name = _("Register")

    def ready(self) -> None:
        from redthread.core.privacy import register_personal_data, register_retention

        from . import privacy

        register_personal_data(privacy.SOURCE)
        register_retention(privacy.RETENTION)

        from redthread.core.navigation import NavItem, register

        from .selectors import own_company_url

        register(
            NavItem(
                "registry:company_list",
                pgettext_lazy("plural", "Företag"),
                "registry.browse",
                order=10,
            )
        )
        register(
            NavItem(
                "registry:organisation_list",
                _("Organisationer"),
                "registry.browse",
                order=20,
            )
        )
        # The company's own page, in its words.
        register(
            NavItem(
                "registry:company_detail",
                _("Vårt företag"),
                "registry.own_company",
                order=14,
                audience_only=True,
                url_for=own_company_url("registry:company_detail"),
            )
        )
        # The company's manager: its own colleagues (the office has accounts:user_list).
        register(
            NavItem(
                "registry:company_users",
                _("Användare"),
                "accounts.manage_company_users",
                order=90,
                audience_only=True,
            )
        )

        from redthread.core.importing.importers import register_importer

        from .imports import company_importer
        from .urban_rural import urban_rural_importer

        register_importer(company_importer())
        register_importer(urban_rural_importer())
