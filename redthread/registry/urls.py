from django.urls import path
from django.utils.translation import gettext_lazy as _

from redthread.core.importing import views as import_views

from . import company_people, views

app_name = "registry"
urlpatterns = [
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path(
        "organisationer/<slug:slug>/kontakter/ny/",
        views.partner_person_create,
        name="partner_person_create",
    ),
    path(
        "organisationer/<slug:slug>/kontakter/<int:person_pk>/",
        views.partner_person_edit,
        name="partner_person_edit",
    ),
    path(
        "organisationer/<slug:slug>/kontakter/<int:person_pk>/ta-bort/",
        views.partner_person_delete,
        name="partner_person_delete",
    ),
    path("foretaget/anvandare/", company_people.company_users, name="company_users"),
    path(
        "foretaget/anvandare/<int:pk>/ta-bort/",
        company_people.company_user_remove,
        name="company_user_remove",
    ),
    path("foretag/", views.company_list, name="company_list"),
    path("foretag/ny/", views.company_create, name="company_create"),
    path("foretag/import/", import_views.import_start, {"kind": "companies"}, name="import_start"),
    path(
        "foretag/import/<int:pk>/",
        import_views.import_detail,
        {"kind": "companies"},
        name="import_detail",
    ),
    path("foretag/<int:pk>/", views.company_detail, name="company_detail"),
    path("foretag/<int:pk>/andra/", views.company_edit, name="company_edit"),
    path("foretag/<int:pk>/sammanfoga/", views.company_merge, name="company_merge"),
    path("foretag/<int:pk>/kontakter/ny/", views.person_create, name="person_create"),
    path("foretag/<int:pk>/kontakter/<int:person_pk>/", views.person_edit, name="person_edit"),
    path(
        "foretag/<int:pk>/kontakter/<int:person_pk>/ta-bort/",
        views.person_delete,
        name="person_delete",
    ),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "company_users": _("Företagets användare"),
    "company_user_remove": _("Ta bort en användare från företaget"),
    "company_create": _("Nytt företag"),
    "import_start": _("Importera företag"),
    "import_detail": _("Importera företag"),
    "company_edit": _("Ändra ett företag"),
    "company_merge": _("Sammanfoga företag"),
    "person_create": _("Ny kontaktperson"),
    "person_edit": _("Ändra en kontaktperson"),
    "person_delete": _("Ta bort en kontaktperson"),
}
