from django.urls import path

from . import views

app_name = "methodology"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("moduler/", views.module_list, name="module_list"),
    path("moduler/ny/", views.module_create, name="module_create"),
    path("moduler/<slug:code>/", views.module_detail, name="module_detail"),
    path("moduler/<slug:code>/andra/", views.module_edit, name="module_edit"),
    path("moduler/<slug:code>/jamfor/", views.module_compare, name="module_compare"),
    path(
        "moduler/<slug:code>/bilagor/<int:pk>/", views.module_attachment, name="module_attachment"
    ),
    path("mallar/", views.template_list, name="template_list"),
    path("mallar/ny/", views.template_create, name="template_create"),
    path("mallar/<slug:code>/", views.template_detail, name="template_detail"),
    path("mallar/<slug:code>/utkast/", views.template_draft, name="template_draft"),
    path("mallar/<slug:code>/publicera/", views.template_publish, name="template_publish"),
    path("satsningar/", views.initiative_list, name="initiative_list"),
    path("satsningar/ny/", views.initiative_create, name="initiative_create"),
    path("satsningar/<slug:slug>/", views.initiative_detail, name="initiative_detail"),
    path("satsningar/<slug:slug>/andra/", views.initiative_edit, name="initiative_edit"),
]
