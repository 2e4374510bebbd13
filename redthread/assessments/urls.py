from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import company_views, views

app_name = "assessments"
urlpatterns = [
    path("matningar/", views.round_list, name="round_list"),
    path("matningar/ny/", views.round_create, name="round_create"),
    path("matningar/foretag/<int:pk>/", views.company_results, name="company_results"),
    path("matningar/<int:pk>/", views.round_detail, name="round_detail"),
    path(
        "matningar/<int:pk>/svarande/",
        company_views.round_respondents,
        name="round_respondents",
    ),
    path("matningar/<int:pk>/rapport.pdf", views.round_report, name="round_report"),
    path(
        "matningar/<int:pk>/svar/<int:response_pk>/<int:page>/",
        views.response_answer,
        name="response_answer",
    ),
    path("sjalvskattning/tack/", views.self_done, name="self_done"),
    path("sjalvskattning/tack/resultat.pdf", views.self_report, name="self_report"),
    path("sjalvskattning/<str:token>/<int:page>/", views.self_page, name="self_page"),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "round_create": _("Ny mätning"),
    "round_detail": _("Mätningens sida"),
    "round_respondents": _("Svarande i en mätning"),
    "response_answer": _("Svara på en mätning"),
    "self_page": _("Självskattning via länk"),
}
