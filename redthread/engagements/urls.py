from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from . import assessment_views, capacity_views, company_views, views

app_name = "engagements"
urlpatterns = [
    path("", views.engagement_list, name="engagement_list"),
    path("ny/", views.engagement_enrol, name="engagement_enrol"),
    path("<int:pk>/", views.engagement_detail, name="engagement_detail"),
    # The page's actions: each a POST to its own address.
    path("<int:pk>/tillfallen/nytt/", views.session_log, name="session_log"),
    path("<int:pk>/atgarder/ny/", views.action_item_create, name="action_item_create"),
    path(
        "<int:pk>/atgarder/<int:item_pk>/status/",
        views.action_item_status,
        name="action_item_status",
    ),
    path("<int:pk>/plan/flytta/", views.plan_step_move, name="plan_step_move"),
    path("<int:pk>/plan/hoppa-over/", views.plan_step_skip, name="plan_step_skip"),
    path("<int:pk>/plan/nytt-steg/", views.plan_step_add, name="plan_step_add"),
    path("<int:pk>/status/", views.status_change, name="status_change"),
    path("<int:pk>/andra/", views.engagement_edit, name="engagement_edit"),
    path("<int:pk>/tillfallen/", views.session_table, name="session_table"),
    path("<int:pk>/tillfallen/<int:session_pk>/", views.session_edit, name="session_edit"),
    path("<int:pk>/bokningar/ny/", views.booking_create, name="booking_create"),
    path("<int:pk>/bokningar/<int:booking_pk>/", views.booking_edit, name="booking_edit"),
    path(
        "<int:pk>/bokningar/<int:booking_pk>/stall-in/",
        views.booking_cancel,
        name="booking_cancel",
    ),
    path(
        "<int:pk>/bokningar/<int:booking_pk>/registrera/",
        views.booking_log,
        name="booking_log",
    ),
    path(
        "<int:pk>/matningar/<int:point_pk>/starta/",
        assessment_views.plan_assessment_start,
        name="plan_assessment_start",
    ),
    path(
        "<int:pk>/fran-matning/",
        assessment_views.recommendation_apply,
        name="recommendation_apply",
    ),
    path("atgarder/", company_views.action_list, name="company_actions"),
    path("atgarder/<int:item_pk>/", company_views.action_item, name="action_item"),
    path("<int:pk>/dokument/<int:document_pk>/", company_views.document, name="plan_document"),
    # The maturity spread moved to the results (it is a stored figure); old links still work.
    path(
        "mognad/",
        RedirectView.as_view(pattern_name="outcomes:maturity", query_string=True),
        name="maturity",
    ),
    path("lage/", views.overview, name="overview"),
    path("coacher/", capacity_views.coach_capacity, name="coach_capacity"),
    path("statsstod/<int:company_pk>/", views.state_aid_statement, name="state_aid"),
    path("statsstod/vaxelkurser/", views.exchange_rates, name="exchange_rates"),
    path("kalender/", views.calendar_page, name="calendar"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "engagement_enrol": _("Anmäl ett företag"),
    "engagement_detail": _("Uppdragets sida"),
    "session_log": _("Registrera ett tillfälle"),
    "action_item_create": _("Ny åtgärd"),
    "action_item_status": _("Ändra en åtgärds status"),
    "plan_step_move": _("Flytta ett plansteg"),
    "plan_step_skip": _("Hoppa över ett plansteg"),
    "plan_step_add": _("Lägg till ett plansteg"),
    "status_change": _("Ändra uppdragets status"),
    "engagement_edit": _("Ändra partner och coacher"),
    "session_table": _("Registrera flera tillfällen"),
    "session_edit": _("Ändra ett tillfälle"),
    "booking_create": _("Boka ett tillfälle"),
    "booking_edit": _("Ändra en bokning"),
    "booking_cancel": _("Ställ in en bokning"),
    "booking_log": _("Registrera en bokning"),
    "plan_assessment_start": _("Starta en planerad mätning"),
    "recommendation_apply": _("Åtgärd från en mätning"),
    "company_actions": _("Företagets åtgärder"),
    "action_item": _("Företagets åtgärd"),
    "exchange_rates": _("Växelkurser"),
    "calendar": _("Kalendern"),
}
