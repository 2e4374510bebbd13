from django.urls import path
from django.utils.translation import gettext_lazy as _

from redthread.core.importing import views as import_views

from . import views

app_name = "outcomes"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("metod/", views.method, name="method"),
    path("mognad/", views.maturity, name="maturity"),
    path("nyckeltal/", views.company_list_view, name="company_list"),
    path("nyckeltal/<int:pk>/", views.company_kpis, name="company_kpis"),
    path("jamforelsegrupper/", views.comparison_groups, name="comparison_groups"),
    path("jamforelsegrupper/<int:pk>/", views.comparison_group, name="comparison_group"),
    path("rapporter/", views.reports, name="reports"),
    path("rapporter/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapporter/<int:pk>/fil/", views.report_download, name="report_download"),
    path("import/", import_views.import_start, {"kind": "kpis"}, name="measurement_import_start"),
    path(
        "import/<int:pk>/",
        import_views.import_detail,
        {"kind": "kpis"},
        name="measurement_import_detail",
    ),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "company_kpis": _("Företagets nyckeltal"),
    "comparison_groups": _("Jämförelsegrupper"),
    "comparison_group": _("En jämförelsegrupp"),
    "reports": _("Rapporter"),
    "measurement_import_start": _("Importera nyckeltal"),
    "measurement_import_detail": _("Importera nyckeltal"),
}
