from django.urls import path

from . import views

app_name = "academy"
urlpatterns = [
    path("", views.coach_list, name="coach_list"),
    path("<int:pk>/", views.coach_edit, name="coach_edit"),
]
