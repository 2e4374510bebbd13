from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from redthread.core.forms import concurrent_edit
from redthread.methodology.models import MethodModule

from . import selectors, services
from .forms import CoachProfileForm
from .models import CoachProfile


@permission_required("academy.view_coaches", raise_exception=True)
def coach_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "academy/coach_list.html",
        {"profiles": selectors.coach_profile_list(user=request.user)},
    )


@permission_required("academy.view_coaches", raise_exception=True)
@concurrent_edit
def coach_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        profile = selectors.coach_profile_get(user=request.user, pk=pk)
    except CoachProfile.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("academy.change_profile", profile):
        raise PermissionDenied
    form = CoachProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("edit_token", None)
        services.coach_profile_update(profile=profile, modules=data.pop("modules"), **data)
        messages.success(request, _("Profilen är sparad."))
        return redirect("academy:coach_list")
    trained, certified = selectors.coach_course_competences(user_ids=[profile.user_id])[
        profile.user_id
    ]
    return render(
        request,
        "academy/coach_form.html",
        {
            "form": form,
            "profile": profile,
            "trained": MethodModule.objects.with_names()
            .filter(pk__in=trained - certified)
            .order_by("display_name"),
            "certified": MethodModule.objects.with_names()
            .filter(pk__in=certified)
            .order_by("display_name"),
        },
    )
