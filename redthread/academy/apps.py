from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "redthread.academy"
    label = "academy"
    verbose_name = _("Coacher")
