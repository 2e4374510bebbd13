from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "redthread.assessments"
    label = "assessments"
    verbose_name = _("Mätningar")

    def ready(self) -> None:
        from redthread.core.navigation import NavItem, register
        from redthread.registry.selectors import own_company_url

        register(NavItem("assessments:round_list", _("Mätningar"), "assessments.browse", order=8))
        # The company: its results, every round of every instrument, on one page.
        register(
            NavItem(
                "assessments:company_results",
                _("Resultat"),
                "assessments.company_results",
                order=8,
                audience_only=True,
                url_for=own_company_url("assessments:company_results"),
            )
        )

        from redthread.core.panels import Panel, register_panel

        from .panels import company_results, latest_rounds

        register_panel(
            Panel(
                "assessments",
                "assessments/_panel.html",
                "assessments.conduct",
                latest_rounds,
                order=20,
            )
        )
        register_panel(
            Panel(
                "company_results",
                "assessments/_company_results_panel.html",
                "assessments.company_results",
                company_results,
                order=3,
                audience_only=True,
            )
        )

        from .notices import notices_register

        notices_register()
