from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("redthread.core.urls")),
    path("", include("redthread.accounts.urls")),
    path("organisationer/", include("redthread.registry.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

handler403 = "redthread.core.views.error_403"
handler404 = "redthread.core.views.error_404"
handler500 = "redthread.core.views.error_500"
