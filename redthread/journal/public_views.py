"""The public site beside the log: the initiatives, the partners, the stakeholders and
funders, the methodology in brief, and the forms a visitor sends. Every view here is
``login_not_required`` and reads through the public selectors, which reach no company."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from redthread.core.form_guard import public_form_rate_limit
from redthread.methodology.models import Initiative
from redthread.registry.models import Organisation, OrganisationKind

from . import selectors, services
from .forms import ApplicationForm, ContactForm
from .models import PageSlug

PER_PAGE = 20


@login_not_required
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_initiative_list(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "journal/public/initiative_list.html",
        {"listing": {"page": page}, "initiatives": page.object_list},
    )


@login_not_required
@require_GET
def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        public = selectors.public_initiative_get(slug=slug)
    except Initiative.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "journal/public/initiative_detail.html",
        {
            "public": public,
            "initiative": public.initiative,
            "canonical": request.build_absolute_uri(request.path),
            "can_apply": selectors.public_application_choices(
                initiative=public.initiative, today=timezone.localdate()
            ).open,
        },
    )


@login_not_required
@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "journal/public/partners.html",
        {"regions": selectors.public_partners_by_region()},
    )


@login_not_required
@require_GET
def stakeholders(request: HttpRequest) -> HttpResponse:
    funded = selectors.public_funded_initiatives()
    return render(
        request,
        "journal/public/stakeholders.html",
        {
            "stakeholders": selectors.public_organisations(kind=OrganisationKind.STAKEHOLDER),
            "funders": [
                (funder, funded.get(funder.pk, []))
                for funder in selectors.public_organisations(kind=OrganisationKind.FUNDER)
            ],
        },
    )


@login_not_required
@require_GET
def methodology(request: HttpRequest) -> HttpResponse:
    categories, templates = selectors.public_methodology()
    return render(
        request,
        "journal/public/methodology.html",
        {"categories": categories, "templates": templates},
    )


def _refused(form: Any, retry_after: int) -> None:
    minutes = max(1, -(-retry_after // 60))
    form.add_error(
        None,
        ngettext(
            "För många försök från dig på kort tid. Försök igen om %(minutes)d minut.",
            "För många försök från dig på kort tid. Försök igen om %(minutes)d minuter.",
            minutes,
        )
        % {"minutes": minutes},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def initiative_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """A company applies to the initiative: the form, and its send (the honeypot, the time
    check and the rate limit first, then the application through the service)."""
    initiative = get_object_or_404(Initiative, slug=slug)
    choices = selectors.public_application_choices(
        initiative=initiative, today=timezone.localdate()
    )
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        templates=choices.templates,
        partners=choices.partners,
    )
    status = 200
    if request.method == "POST" and choices.open:
        status = _application_send(request, initiative, form)
        if status == 302:
            return redirect("journal:initiative_applied", slug=initiative.slug)
    return render(
        request,
        "journal/public/initiative_apply.html",
        {"initiative": initiative, "form": form, "open": choices.open},
        status=status,
    )


@login_not_required
@require_GET
def initiative_applied(request: HttpRequest, slug: str) -> HttpResponse:
    """What happens next, after an application (the page says nothing of whose)."""
    initiative = get_object_or_404(Initiative, slug=slug)
    return render(request, "journal/public/initiative_applied.html", {"initiative": initiative})


def _guarded_send(
    request: HttpRequest, form: Any, *, bucket: str, submit: Callable[[dict[str, Any]], Any]
) -> int:
    """A public form's send: the rate limit per client address, the form (its honeypot and
    time check included), the rate limit per e-mail, then ``submit`` with the cleaned data.
    The status to answer with: 302 when it went through, 400 or 429 with the form's errors."""
    by_address = public_form_rate_limit(bucket=bucket, request=request)
    if not by_address:
        _refused(form, by_address.retry_after_seconds)
        return 429
    if not form.is_valid():
        return 400
    data = form.cleaned_data
    by_email = public_form_rate_limit(bucket=bucket, email=data["email"])
    if not by_email:
        _refused(form, by_email.retry_after_seconds)
        return 429
    try:
        submit(data)
    except ValidationError as exc:
        for error in exc.messages:
            form.add_error(None, error)
        return 400
    return 302


def _application_send(request: HttpRequest, initiative: Initiative, form: ApplicationForm) -> int:
    """Sends a posted application; the status to answer with (302: it went through)."""
    return _guarded_send(
        request,
        form,
        bucket="application",
        submit=lambda data: services.application_submit(
            initiative=initiative,
            template=data["template"],
            partner=data["partner"],
            company_name=data["company_name"],
            org_number=data["org_number"],
            contact_name=data["contact_name"],
            email=data["email"],
            message=data["message"],
            today=timezone.localdate(),
        ),
    )


def _contact(request: HttpRequest, recipient: Organisation | None) -> HttpResponse:
    form = ContactForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = _contact_send(request, recipient, form)
        if status == 302:
            return redirect("journal:contact_sent")
    return render(
        request,
        "journal/public/contact.html",
        {
            "form": form,
            "recipient": recipient,
            # The office's own introduction heads its contact page (not a partner's).
            "intro": selectors.page_public(slug=PageSlug.CONTACT) if recipient is None else None,
        },
        status=status,
    )


def _contact_send(request: HttpRequest, recipient: Organisation | None, form: ContactForm) -> int:
    return _guarded_send(
        request,
        form,
        bucket="contact",
        submit=lambda data: services.contact_submit(
            recipient=recipient,
            name=data["name"],
            email=data["email"],
            organisation_name=data["organisation_name"],
            message=data["message"],
        ),
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """A message to the program office."""
    return _contact(request, None)


@login_not_required
@require_http_methods(["GET", "POST"])
def partner_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """A message to one partner, forwarded to its people without showing their addresses."""
    recipient = get_object_or_404(Organisation, slug=slug, kind=OrganisationKind.PARTNER)
    return _contact(request, recipient)


@login_not_required
@require_GET
def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "journal/public/contact_sent.html")


def _page(request: HttpRequest, slug: str) -> HttpResponse:
    """An editable page as the office published it; before that, the page's built-in
    text (the accessibility statement the law requires is never missing)."""
    return render(
        request,
        "journal/public/page.html",
        {
            "page": selectors.page_public(slug=slug),
            "slug": slug,
            "canonical": request.build_absolute_uri(request.path),
        },
    )


@login_not_required
@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return _page(request, PageSlug.ABOUT)


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return _page(request, PageSlug.ACCESSIBILITY)
