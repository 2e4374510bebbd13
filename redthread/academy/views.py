from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from . import services
from .forms import CoachProfileForm
from .models import CoachProfile


@permission_required("academy.view_coaches", raise_exception=True)
def coach_list(request: HttpRequest) -> HttpResponse:
    profiles = (
        CoachProfile.objects.visible_to(request.user)
        .select_related("user", "home_partner", "county")
        .prefetch_related("modules")
        .order_by("home_partner__name", "user__full_name")
    )
    return render(request, "academy/coach_list.html", {"profiles": profiles})


@permission_required("academy.view_coaches", raise_exception=True)
def coach_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(CoachProfile.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("academy.change_profile", profile):
        raise PermissionDenied
    form = CoachProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("edit_token", None)
        services.coach_profile_update(profile=profile, modules=data.pop("modules"), **data)
        messages.success(request, _("Profilen är sparad."))
        return redirect("academy:coach_list")
    return render(request, "academy/coach_form.html", {"form": form, "profile": profile})
