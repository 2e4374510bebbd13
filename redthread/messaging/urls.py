from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.message_detail, name="message_detail"),
    path("<int:pk>/skicka-igen/", views.message_resend, name="message_resend"),
    path("mina/", views.my_messages, name="my_messages"),
    path("mina/<int:pk>/", views.my_message, name="my_message"),
    path("aviseringar/", views.notice_preferences, name="notice_preferences"),
    path("avregistrera/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "message_resend": _("Skicka ett meddelande igen"),
    "notice_preferences": _("Mina aviseringar"),
    "unsubscribe": _("Avregistrering från e-post"),
}
