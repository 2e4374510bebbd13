from django.urls import path

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
