from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The public front page; signed-in users go straight to their overview."""
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


def dashboard(request: HttpRequest) -> HttpResponse:
    """Each role's start page: the panels the apps register (see ``core/panels.py``) and
    the way to every page of the role's menu."""
    from .panels import panels_for

    return render(request, "core/dashboard.html", {"panels": panels_for(request)})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness, a real read and a real write to the database, for load balancers and
    monitors: a read-only or locked database is not healthy."""
    from django.db import transaction
    from django.utils import timezone

    from .models import Heartbeat

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"status": "error", "database": "unavailable"}, status=503, headers=_NO_STORE
        )
    try:
        with transaction.atomic():
            Heartbeat.objects.update_or_create(pk=1, defaults={"at": timezone.now()})
    except DatabaseError:
        return JsonResponse(
            {"status": "error", "database": "read-only"}, status=503, headers=_NO_STORE
        )
    return JsonResponse({"status": "ok", "database": "ok"})


_NO_STORE = {"Cache-Control": "no-store"}


@login_not_required
def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 403}, status=403)


@login_not_required
def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 404}, status=404)


@login_not_required
def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be why we are here.
    import sys

    from django.template import loader

    from .middleware import database_unavailable, unavailable_response

    # An error outside a view (a middleware reading the session, say) reaches here, not the
    # middleware's process_exception; a database that cannot serve is still a 503.
    error = sys.exc_info()[1]
    if error is not None and database_unavailable(error):
        return unavailable_response()
    return HttpResponse(loader.get_template("core/error_500.html").render(), status=500)
