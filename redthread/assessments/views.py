from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from rules.contrib.views import permission_required

from redthread.core import formats
from redthread.core.charts import Series, radar
from redthread.core.forms import posted_id
from redthread.core.listing import Column, Listing
from redthread.core.pdf import pdf_response
from redthread.messaging.forms import SendLinkForm
from redthread.registry.selectors import company_list

from . import selectors, services
from .forms import AnswerPageForm, PeerGroupForm, RespondentForm, RoundFilterForm, RoundForm
from .hooks import recommendation_targets
from .instruments import Band, Definition
from .models import AssessmentRound, Response, ResponseMode

RADAR_ROUNDS = 3


@permission_required("assessments.view", raise_exception=True)
def round_list(request: HttpRequest) -> HttpResponse:
    form = RoundFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    listing = Listing(
        request,
        selectors.round_list(user=request.user, **{k: v for k, v in filters.items() if v}),
        columns=[
            Column("company", gettext_lazy("Företag"), "company__name"),
            Column("instrument", gettext_lazy("Instrument"), "instrument__code"),
            Column("timepoint", gettext_lazy("Mättillfälle"), "timepoint"),
            Column("date", gettext_lazy("Datum"), "date"),
            Column("respondents", gettext_lazy("Svar"), "submitted", numeric=True),
            Column("overall", gettext_lazy("Total"), "overall", numeric=True),
        ],
        default_sort="-date",
        filter_form=form,
        annotate=selectors.round_figures,
    )
    return render(
        request,
        "assessments/round_list.html",
        {"listing": listing, "can_conduct": request.user.has_perm("assessments.conduct")},
    )


@permission_required("assessments.conduct", raise_exception=True)
def round_create(request: HttpRequest) -> HttpResponse:
    companies = company_list(user=request.user)
    initial: dict[str, Any] = {}
    if request.GET.get("company", "").isdigit():
        initial["company"] = request.GET["company"]
    form = RoundForm(request.POST or None, companies=companies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round_ = services.round_create(
            company=data["company"],
            instrument=data["instrument"],
            timepoint=data["timepoint"],
            date=data["date"],
            partner=data["company"].responsible_partner,
            created_by=request.user,
            coaches=[request.user],
        )
        messages.success(request, _("Mätningen är skapad. Lägg till de som ska svara."))
        return redirect(round_)
    return render(request, "assessments/round_form.html", {"form": form})


def _radar(rounds: list[AssessmentRound], definition: Definition) -> str:
    shown = rounds[-RADAR_ROUNDS:]
    changes = selectors.changes(shown, definition)
    return radar(
        [str(c.dimension.name) for c in changes],
        [
            Series(
                f"{r.get_timepoint_display()} {formats.date_short(r.date)}",
                [c.values[i] for c in changes],
            )
            for i, r in enumerate(shown)
        ],
        title=_("Resultat per dimension"),
        description=_("Poäng 0–100 per dimension för de senaste mätningarna."),
    )


def _results(round_: AssessmentRound, peer_group: str) -> dict[str, Any]:
    """What the result page and the PDF show."""
    definition = round_.instrument.parsed
    history = selectors.company_history(company=round_.company, code=definition.code)
    if round_.overall is not None and round_ not in history:
        history.append(round_)
    upto = [r for r in history if (r.date, r.pk) <= (round_.date, round_.pk)]
    scores = round_.combined
    rows = [
        {
            "dimension": d,
            "score": scores.dimensions.get(d.code),
            "band": definition.band(scores.dimensions.get(d.code)),
        }
        for d in definition.dimensions
    ]
    groups = selectors.group_scores(round_)
    gaps = []
    for dimension in definition.dimensions:
        values = [g.scores.dimensions.get(dimension.code) for g in groups]
        present = [v for v in values if v is not None]
        gap = round(max(present) - min(present), 1) if len(present) > 1 else None
        gaps.append(
            {"dimension": dimension, "values": values, "gap": gap, "large": (gap or 0) >= 20}
        )
    return {
        "round": round_,
        "definition": definition,
        "gaps": gaps,
        "rows": rows,
        "overall_band": definition.band(round_.overall),
        "history": upto,
        "changes": selectors.changes(upto, definition) if len(upto) > 1 else [],
        "chart": _radar(upto, definition) if round_.overall is not None else "",
        "groups": groups,
        "peers": selectors.peer_percentiles(round_, group=peer_group)
        if round_.overall is not None
        else None,
        "recommendations": selectors.recommendations(round_) if round_.overall is not None else [],
    }


def _link_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("assessments:self_page", args=[token, 1]))


def _qr_svg(url: str) -> str:
    # segno writes the SVG itself from the URL alone: nothing from the user is unescaped.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, title=url))  # noqa: S308 - an SVG segno builds from the escaped URL  # nosec B308 B703


def _email_link(
    request: HttpRequest, round_: AssessmentRound
) -> tuple[list[tuple[Response, str]], str, dict[int, SendLinkForm]]:
    """Sends one of the links just shown by e-mail, and shows them all again (they exist
    nowhere else). Only links that are the responses' current ones are shown or sent."""
    shown: list[tuple[Response, str]] = []
    for pair in request.POST.getlist("shown")[:50]:
        pk, _sep, token = pair.partition(":")
        response = round_.responses.filter(pk=int(pk) if pk.isdigit() else 0).first()
        if response is not None and services.response_link_holds(response=response, token=token):
            shown.append((response, token))
    target = int(request.POST.get("response") or 0)
    forms: dict[int, SendLinkForm] = {}
    for response, token in shown:
        if response.pk != target:
            continue
        form = SendLinkForm(request.POST, prefix=f"link-{response.pk}")
        if form.is_valid():
            services.response_link_send(
                response=response,
                token=token,
                url=_link_url(request, token),
                email=form.cleaned_data["email"],
            )
            return shown, form.cleaned_data["email"], forms
        forms[response.pk] = form
    if not forms:
        messages.error(request, _("Länken gäller inte längre. Skapa en ny länk."))
    return shown, "", forms


@permission_required("assessments.view", raise_exception=True)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get(user=request.user, pk=pk)
    can_conduct = request.user.has_perm("assessments.conduct")
    respondent_form = RespondentForm(request.POST if request.POST.get("action") == "add" else None)
    new_links: list[tuple[Response, str]] = []
    email_forms: dict[int, SendLinkForm] = {}
    if request.method == "POST":
        if not can_conduct:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action == "add" and respondent_form.is_valid():
            data = respondent_form.cleaned_data
            for _n in range(data["count"]):
                response = services.response_add(
                    round=round_, group=data["group"], label=data["label"], mode=data["mode"]
                )
                if data["mode"] == ResponseMode.SELF:
                    new_links.append((response, services.response_issue_link(response=response)))
            if not new_links:
                messages.success(request, _("De svarande är tillagda."))
                return redirect(round_)
            respondent_form = RespondentForm()
        elif action == "email":
            new_links, sent_to, email_forms = _email_link(request, round_)
            if sent_to:
                messages.success(
                    request, _("Länken är skickad till %(email)s.") % {"email": sent_to}
                )
        elif action in {"link", "revoke", "reopen", "delete"}:
            response = selectors.response_get(
                round=round_, pk=posted_id(request.POST.get("response"))
            )
            if action == "link":
                new_links.append((response, services.response_issue_link(response=response)))
            elif action == "revoke":
                services.response_revoke_link(response=response)
                messages.success(request, _("Länken fungerar inte längre."))
                return redirect(round_)
            elif action == "reopen":
                if not request.user.has_perm("assessments.reopen"):
                    raise PermissionDenied
                services.response_reopen(response=response)
                messages.success(request, _("Svaret är öppnat för rättning."))
                return redirect(round_)
            else:
                services.response_delete(response=response)
                messages.success(request, _("Svaret är borttaget."))
                return redirect(round_)
    if new_links:  # respondents were added: their count is part of what is shown
        round_ = selectors.round_get(user=request.user, pk=pk)
    peer_form = PeerGroupForm(request.GET or None)
    peer_group = (peer_form.cleaned_data.get("peers") if peer_form.is_valid() else "") or "all"
    context = _results(round_, peer_group)
    context.update(
        {
            "can_conduct": can_conduct,
            "can_reopen": request.user.has_perm("assessments.reopen"),
            "respondent_form": respondent_form,
            "responses": list(round_.responses.all()),
            "new_links": [
                {
                    "response": r,
                    "token": t,
                    "url": _link_url(request, t),
                    "qr": _qr_svg(_link_url(request, t)),
                    "form": email_forms.get(r.pk) or SendLinkForm(prefix=f"link-{r.pk}"),
                }
                for r, t in new_links
            ],
            "shown_links": [f"{r.pk}:{t}" for r, t in new_links],
            "peer_form": peer_form,
            "targets": recommendation_targets(round_, request.user) if can_conduct else [],
        }
    )
    return render(request, "assessments/round_detail.html", context)


@dataclass(frozen=True)
class InstrumentResults:
    """One instrument's rounds at a company, and what its latest scored round shows."""

    definition: Definition
    #: Every round, oldest first, with the band of its overall score.
    rounds: list[tuple[AssessmentRound, Band | None]]
    latest: dict[str, Any] | None


@permission_required("assessments.view", raise_exception=True)
def company_results(request: HttpRequest, pk: int) -> HttpResponse:
    """A company's results: every round of every instrument, and for each instrument the
    latest scored round with its radar over the earlier ones, the change per dimension,
    peers, the gap between groups and recommendations."""
    company = selectors.results_company(user=request.user, pk=pk)
    peer_form = PeerGroupForm(request.GET or None)
    peer_group = (peer_form.cleaned_data.get("peers") if peer_form.is_valid() else "") or "all"
    by_code: dict[str, list[AssessmentRound]] = {}
    for round_ in selectors.company_rounds(user=request.user, company=company):
        by_code.setdefault(round_.instrument.code, []).append(round_)
    instruments = []
    for rounds in by_code.values():
        scored = [r for r in rounds if r.overall is not None]
        newest = max(rounds, key=lambda r: r.instrument.number).instrument.parsed
        latest = _results(scored[-1], peer_group) if scored else None
        instruments.append(
            InstrumentResults(
                newest, [(r, r.instrument.parsed.band(r.overall)) for r in rounds], latest
            )
        )
    return render(
        request,
        "assessments/company_results.html",
        {"company": company, "instruments": instruments, "peer_form": peer_form},
    )


@permission_required("assessments.view", raise_exception=True)
def round_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The company's report as a PDF: the same scores, chart and recommendations."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    context = _results(round_, "all")
    context["today"] = timezone.localdate()
    name = f"matning-{round_.company.org_number or round_.company.pk}-{round_.timepoint}.pdf"
    return pdf_response(
        "assessments/round_report_pdf.html", context, filename=name, request=request
    )


def _questionnaire(
    request: HttpRequest,
    response: Response,
    page: int,
    *,
    page_url: Any,
    done_url: str,
    public: bool,
) -> HttpResponse:
    """One page of a questionnaire, for a coach with the company or for a respondent
    with a link: saves the page's answers, moves on, and submits from the last page."""
    definition = response.round.instrument.parsed
    pages = definition.pages()
    if not 1 <= page <= len(pages):
        return redirect(page_url(1))
    dimension, questions = pages[page - 1]
    form = AnswerPageForm(
        request.POST or None,
        questions=questions,
        answers=response.answers,
        initial={"revision": response.revision},
    )
    missing: list[tuple[int, str]] = []
    status = 200
    if request.method == "POST":
        try:
            raw_revision = request.POST.get("revision", "")
            result = services.response_save_page(
                response=response,
                page=page - 1,
                data=form.raw_answers(),
                revision=int(raw_revision) if raw_revision.isdigit() else None,
            )
        except services.StaleResponse:
            form.add_error(
                None,
                _(
                    "Någon annan har sparat svar på den här sidan medan du svarade. Dina svar "
                    "är inte sparade men finns kvar nedan: ladda om sidan och jämför."
                ),
            )
            status = 409
        except services.TokenError:
            return redirect(done_url)
        else:
            form = AnswerPageForm(
                request.POST,
                questions=questions,
                answers=response.answers,
                initial={"revision": response.revision},
            )
            data = request.POST.copy()
            data["revision"] = str(response.revision)
            form.data = data
            if result.errors:
                form.show_errors(result.errors)
                status = 422
            else:
                move = request.POST.get("move", "next")
                if move == "previous" and page > 1:
                    return redirect(page_url(page - 1))
                if move == "submit" or (move == "next" and page == len(pages)):
                    missed = services.response_submit(response=response)
                    if not missed:
                        if public:
                            _own_result_remember(request, response)
                        else:
                            messages.success(request, _("Svaren är inskickade."))
                        return redirect(done_url)
                    codes = set(missed)
                    missing = [
                        (i, str(d.name))
                        for i, (d, qs) in enumerate(pages, start=1)
                        if any(q.code in codes for q in qs)
                    ]
                    status = 422
                elif move.isdigit():
                    return redirect(page_url(int(move)))
                else:
                    return redirect(page_url(page + 1))
    visible = {q.code for q in definition.visible(response.answers)}
    answered = response.answers
    progress = [
        {
            "number": i,
            "name": str(d.name),
            "current": i == page,
            "done": all(q.code in answered for q in qs if q.code in visible),
        }
        for i, (d, qs) in enumerate(pages, start=1)
    ]
    # A question that depends on an answer on this page is shown or hidden in the browser
    # as the answer changes (and shown, with its condition, without JavaScript); one that
    # depends on an earlier page is shown only when the stored answer says so.
    on_page = {q.code for q in questions}
    items = []
    for question in questions:
        condition = question.show_if
        if condition is not None and condition.question in on_page:
            rule = {
                "question": condition.question,
                "equals": condition.equals,
                "any_of": list(condition.any_of),
                "at_least": condition.at_least,
            }
            items.append(
                (form[question.code], json.dumps(rule), _condition_text(definition, question))
            )
        elif question.code in visible:
            items.append((form[question.code], "", ""))
    return render(
        request,
        "assessments/questionnaire.html",
        {
            "base_template": "assessments/respondent_base.html" if public else "core/base.html",
            "response": response,
            "round": response.round,
            "definition": definition,
            "dimension": dimension,
            "form": form,
            "page": page,
            "pages": len(pages),
            "progress": progress,
            "missing": missing,
            "public": public,
            "items": items,
            "answers": answered,
            "page_urls": {i: page_url(i) for i in range(1, len(pages) + 1)},
        },
        status=status,
    )


def _condition_text(definition: Definition, question: Any) -> str:
    condition = question.show_if
    source = definition.question(condition.question)
    assert source is not None
    if condition.equals is not None:
        answer = {"yes": _("ja"), "no": _("nej")}.get(condition.equals, condition.equals)
        option = source.option(condition.equals)
        answer = str(option.text) if option else answer
    elif condition.any_of:
        answer = _(" eller ").join(
            str(o.text) for o in source.options if o.code in condition.any_of
        )
    else:
        answer = _("minst %(value)s") % {"value": condition.at_least}
    return _("Besvara bara om du svarade %(answer)s på frågan ”%(question)s”.") % {
        "answer": answer,
        "question": source.text,
    }


@permission_required("assessments.conduct", raise_exception=True)
def response_answer(request: HttpRequest, pk: int, response_pk: int, page: int) -> HttpResponse:
    round_ = selectors.round_get(user=request.user, pk=pk)
    response = selectors.response_get(round=round_, pk=response_pk)
    if response.is_submitted:
        messages.info(request, _("Svaret är redan inskickat."))
        return redirect(round_)
    return _questionnaire(
        request,
        response,
        page,
        page_url=lambda n: reverse("assessments:response_answer", args=[pk, response_pk, n]),
        done_url=round_.get_absolute_url(),
        public=False,
    )


#: Where a respondent's proof of their own submitted response is kept: a signed value in
#: their session, valid for a short while (the link itself is used up by the submission).
OWN_RESULT_KEY = "assessments.own_result"
OWN_RESULT_SALT = "redthread.assessments.own_result"
OWN_RESULT_SECONDS = 2 * 60 * 60


def _own_result_remember(request: HttpRequest, response: Response) -> None:
    request.session[OWN_RESULT_KEY] = signing.dumps(response.pk, salt=OWN_RESULT_SALT)


def _own_result(request: HttpRequest) -> Response | None:
    """The response this browser submitted in the last two hours, or None."""
    value = request.session.get(OWN_RESULT_KEY)
    if not isinstance(value, str):
        return None
    try:
        pk = signing.loads(value, salt=OWN_RESULT_SALT, max_age=OWN_RESULT_SECONDS)
    except signing.BadSignature:  # SignatureExpired too
        request.session.pop(OWN_RESULT_KEY, None)
        return None
    return selectors.response_submitted(pk=int(pk))


def _own_result_context(response: Response) -> dict[str, Any]:
    """What a respondent is shown of their own answers: the score and band per dimension,
    with what the band means, and the same as a radar."""
    definition = response.round.instrument.parsed
    dimensions = response.scores.get("dimensions", {})
    rows = [
        {
            "dimension": d,
            "score": dimensions.get(d.code),
            "band": definition.band(dimensions.get(d.code)),
        }
        for d in definition.dimensions
    ]
    chart = radar(
        [str(row["dimension"].name) for row in rows],
        [Series(_("Dina svar"), [row["score"] for row in rows])],
        title=_("Ditt resultat per dimension"),
        description=_("Poäng 0–100 per dimension enligt dina svar."),
    )
    # The bands reached, each explained once (several dimensions often share one).
    reached = {id(row["band"]) for row in rows if row["band"] is not None}
    return {
        "response": response,
        "round": response.round,
        "definition": definition,
        "rows": rows,
        "bands": [band for band in definition.bands if id(band) in reached],
        "overall": response.overall,
        "overall_band": definition.band(response.overall),
        "chart": chart,
    }


@login_not_required
@never_cache
def self_page(request: HttpRequest, token: str, page: int) -> HttpResponse:
    """A self-assessment through its single-use link: no account, one page at a time."""
    try:
        response = services.response_by_token(token)
    except services.TokenError as error:
        own = _own_result(request)
        return render(
            request,
            "assessments/link_invalid.html",
            {
                "reason": error.reason,
                "own_result": own is not None
                and error.response is not None
                and own.pk == error.response.pk,
            },
            status=410,
        )
    return _questionnaire(
        request,
        response,
        page,
        page_url=lambda n: reverse("assessments:self_page", args=[token, n]),
        done_url=reverse("assessments:self_done"),
        public=True,
    )


@login_not_required
@never_cache
def self_done(request: HttpRequest) -> HttpResponse:
    """Thanks, and the respondent's own result while their session holds the proof."""
    response = _own_result(request)
    context = _own_result_context(response) if response is not None else {}
    return render(request, "assessments/self_done.html", context)


@login_not_required
def self_report(request: HttpRequest) -> HttpResponse:
    """The respondent's own result as a PDF; only theirs, only while their session holds
    the proof (else back to the thanks page, which says nothing of anyone's answers)."""
    response = _own_result(request)
    if response is None:
        return redirect("assessments:self_done")
    context = _own_result_context(response)
    context["today"] = timezone.localdate()
    return pdf_response(
        "assessments/self_report_pdf.html", context, filename="mitt-resultat.pdf", request=request
    )
