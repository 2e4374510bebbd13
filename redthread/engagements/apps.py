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

        register(
            NavItem("engagements:engagement_list", _("Uppdrag"), "engagements.portfolio", order=5)
        )
        # The company reaches the same pages, in its own words.
        register(
            NavItem(
                "engagements:engagement_list",
                _("Program"),
                "engagements.company_view",
                order=4,
                audience_only=True,
            )
        )
        register(
            NavItem(
                "engagements:company_actions",
                _("Åtgärder"),
                "engagements.company_view",
                order=5,
                audience_only=True,
            )
        )
        register(NavItem("engagements:overview", _("Läget"), "engagements.overview", order=6))
        register(NavItem("engagements:calendar", _("Kalender"), "engagements.calendar", order=7))

        from redthread.core.panels import Panel, register_panel

        from . import panels

        register_panel(
            Panel(
                "engagements",
                "engagements/_panel.html",
                "engagements.portfolio",
                panels.my_engagements,
                order=10,
            )
        )
        register_panel(
            Panel(
                "next_booking",
                "engagements/_panel_next_booking.html",
                "engagements.next_booking",
                panels.next_booking,
                order=5,
            )
        )
        # The company's home: its program first, then what it has to do, its documents.
        register_panel(
            Panel(
                "company_program",
                "engagements/_company_program_panel.html",
                "engagements.company_view",
                panels.company_program,
                order=1,
                audience_only=True,
            )
        )
        register_panel(
            Panel(
                "company_actions",
                "engagements/_company_actions_panel.html",
                "engagements.company_view",
                panels.company_actions,
                order=2,
                audience_only=True,
            )
        )
        register_panel(
            Panel(
                "company_documents",
                "engagements/_company_documents_panel.html",
                "engagements.company_view",
                panels.company_documents,
                order=40,
                audience_only=True,
            )
        )

        from redthread.registry.hooks import CompanyAction, register_company_action

        register_company_action(
            CompanyAction(
                "engagements:engagement_enrol", _("Anmäl till program"), "engagements.enrol"
            )
        )

        from redthread.methodology.hooks import register_module_usage

        from .selectors import module_usage

        register_module_usage(module_usage)

        from redthread.methodology.progress import register_actuals

        from .selectors import initiative_actuals

        register_actuals(initiative_actuals)

        from redthread.assessments.hooks import register_recommendation_targets

        from .assessment_views import recommendation_targets

        register_recommendation_targets(recommendation_targets)

        from .notices import notices_register

        notices_register()

        from . import totals

        totals.connect()
