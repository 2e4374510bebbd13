from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import course_views, office_views, register_views, verify_views, views

app_name = "academy"
urlpatterns = [
    path("", views.coach_list, name="coach_list"),
    path("<int:pk>/", views.coach_edit, name="coach_edit"),
    path("kurser/", course_views.course_list, name="course_list"),
    path("kurser/ny/", office_views.course_create, name="course_create"),
    path("kurser/<int:pk>/", course_views.course_detail, name="course_detail"),
    path("kurser/<int:pk>/andra/", office_views.course_edit, name="course_edit"),
    path(
        "kurser/<int:pk>/moduler/ny/",
        office_views.course_module_create,
        name="course_module_create",
    ),
    path("kursmoduler/<int:pk>/andra/", office_views.course_module_edit, name="course_module_edit"),
    path("kurser/<int:pk>/omgangar/ny/", office_views.cohort_create, name="cohort_create"),
    path("omgangar/<int:pk>/", course_views.cohort_detail, name="cohort_detail"),
    path("omgangar/<int:pk>/andra/", office_views.cohort_edit, name="cohort_edit"),
    path("omgangar/<int:pk>/tillfallen/nytt/", office_views.meeting_create, name="meeting_create"),
    path("omgangar/<int:pk>/deltagare/ny/", office_views.participant_add, name="participant_add"),
    path("tillfallen/<int:pk>/andra/", office_views.meeting_edit, name="meeting_edit"),
    path("tillfallen/<int:pk>/stall-in/", office_views.meeting_cancel, name="meeting_cancel"),
    path(
        "tillfallen/<int:pk>/narvaro/", course_views.meeting_attendance, name="meeting_attendance"
    ),
    path("deltagare/<int:pk>/", course_views.participant_detail, name="participant_detail"),
    path("deltagare/<int:pk>/ta-bort/", office_views.participant_remove, name="participant_remove"),
    path(
        "deltagare/<int:pk>/genomford/",
        course_views.participant_complete,
        name="participant_complete",
    ),
    path("deltagare/<int:pk>/intyg/", course_views.certificate_issue, name="certificate_issue"),
    path("uppgifter/<int:pk>/granska/", course_views.assignment_review, name="assignment_review"),
    path("uppgifter/<int:pk>/fil/", course_views.assignment_file, name="assignment_file"),
    path("intyg/<int:pk>/pdf/", course_views.certificate_pdf, name="certificate_pdf"),
    path("intyg/<int:pk>/aterkalla/", course_views.certificate_revoke, name="certificate_revoke"),
    path("intyg/<int:pk>/fornya/", course_views.certificate_renew, name="certificate_renew"),
    path("kontroll/", verify_views.verify, name="verify"),
    path("intyg/", register_views.certificate_register, name="certificate_register"),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "coach_edit": _("Ändra en coachprofil"),
    "course_create": _("Ny kurs"),
    "course_edit": _("Ändra en kurs"),
    "course_module_create": _("Ny kursmodul"),
    "course_module_edit": _("Ändra en kursmodul"),
    "cohort_create": _("Ny kursomgång"),
    "cohort_detail": _("Kursomgångens sida"),
    "cohort_edit": _("Ändra en kursomgång"),
    "meeting_create": _("Nytt kurstillfälle"),
    "participant_add": _("Lägg till en deltagare"),
    "meeting_edit": _("Ändra ett kurstillfälle"),
    "meeting_cancel": _("Ställ in ett kurstillfälle"),
    "meeting_attendance": _("Närvaro vid ett kurstillfälle"),
    "participant_detail": _("Deltagarens sida"),
    "participant_remove": _("Ta bort en deltagare"),
    "participant_complete": _("Markera en kurs som klar"),
    "certificate_issue": _("Utfärda ett certifikat"),
    "assignment_review": _("Bedöm en uppgift"),
    "certificate_revoke": _("Återkalla ett certifikat"),
    "certificate_renew": _("Förnya ett certifikat"),
}
