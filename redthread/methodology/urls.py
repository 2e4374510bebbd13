from django.urls import path
from django.utils.translation import gettext_lazy as _

from .views import initiatives, modules, templates

app_name = "methodology"
urlpatterns = [
    path("", modules.coverage, name="coverage"),
    path("moduler/", modules.module_list, name="module_list"),
    path("moduler/ny/", modules.module_create, name="module_create"),
    path("moduler/<slug:code>/", modules.module_detail, name="module_detail"),
    path("moduler/<slug:code>/andra/", modules.module_edit, name="module_edit"),
    path("moduler/<slug:code>/jamfor/", modules.module_compare, name="module_compare"),
    path(
        "moduler/<slug:code>/bilagor/<int:pk>/", modules.module_attachment, name="module_attachment"
    ),
    path("mallar/", templates.template_list, name="template_list"),
    path("mallar/ny/", templates.template_create, name="template_create"),
    path("mallar/<slug:code>/", templates.template_detail, name="template_detail"),
    path("mallar/<slug:code>/utkast/", templates.template_draft, name="template_draft"),
    path("mallar/<slug:code>/publicera/", templates.template_publish, name="template_publish"),
    path("satsningar/", initiatives.initiative_list, name="initiative_list"),
    path("satsningar/ny/", initiatives.initiative_create, name="initiative_create"),
    path("satsningar/<slug:slug>/", initiatives.initiative_detail, name="initiative_detail"),
    path("satsningar/<slug:slug>/andra/", initiatives.initiative_edit, name="initiative_edit"),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "module_create": _("Ny metodmodul"),
    "module_edit": _("Ändra en metodmodul"),
    "template_create": _("Ny programmall"),
    "template_draft": _("Utkast till programmall"),
    "template_publish": _("Publicera en programmall"),
    "initiative_create": _("Ny satsning"),
    "initiative_edit": _("Ändra en satsning"),
}
