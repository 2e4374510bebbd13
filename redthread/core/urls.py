from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views, views_privacy

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("oversikt/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("granskning/", views_privacy.audit_log, name="audit_log"),
    path("granskning/<str:kind>/<int:pk>/", views_privacy.audit_object, name="audit_object"),
    path("dataskydd/", views_privacy.privacy, name="privacy"),
    path("dataskydd/utdrag.<str:format>", views_privacy.privacy_export, name="privacy_export"),
    path("dataskydd/radera/", views_privacy.privacy_erase, name="privacy_erase"),
    path("behandlingar/", views_privacy.processing_record, name="processing_record"),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "privacy": _("Dataskydd"),
    "privacy_erase": _("Radera en persons uppgifter"),
}
