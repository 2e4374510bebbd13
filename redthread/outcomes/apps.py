from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "redthread.outcomes"
    label = "outcomes"
    verbose_name = _("Resultat")

    def ready(self) -> None:
        from redthread.core.navigation import NavItem, register

        register(NavItem("outcomes:dashboard", _("Resultat"), "outcomes.dashboard", order=9))
        register(NavItem("outcomes:company_list", _("Nyckeltal"), "outcomes.measure", order=12))

        from redthread.core.panels import Panel, register_panel

        from .panels import coach_certification, company_figures, reach_summary

        register_panel(
            Panel(
                "outcomes",
                "outcomes/_panel.html",
                "outcomes.dashboard",
                reach_summary,
                order=30,
            )
        )
        register_panel(
            Panel(
                "coach_certification",
                "outcomes/_coach_certification_panel.html",
                "outcomes.coach_certification",
                coach_certification,
                order=35,
                audience_only=True,
            )
        )
        register_panel(
            Panel(
                "company_figures",
                "outcomes/_company_figures_panel.html",
                "outcomes.company_figures",
                company_figures,
                order=4,
                audience_only=True,
            )
        )

        from redthread.core.importing.importers import register_importer

        from .imports import measurement_importer

        register_importer(measurement_importer())

        from redthread.methodology.hooks import register_kpi_names

        from .selectors import kpi_names_by_code

        register_kpi_names(kpi_names_by_code)

        from . import versions

        versions.connect()
