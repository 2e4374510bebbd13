from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from redthread.api.api import urls as api_urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("redthread.core.urls")),
    path("", include("redthread.accounts.urls")),
    path("", include("redthread.registry.urls")),
    path("metod/", include("redthread.methodology.urls")),
    path("uppdrag/", include("redthread.engagements.urls")),
    path("coacher/", include("redthread.academy.urls")),
    path("", include("redthread.assessments.urls")),
    path("resultat/", include("redthread.outcomes.urls")),
    path("meddelanden/", include("redthread.messaging.urls")),
    path("", include("redthread.journal.urls")),
    # The language switch must work before signing in too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

handler403 = "redthread.core.views.error_403"
handler404 = "redthread.core.views.error_404"
handler500 = "redthread.core.views.error_500"
