"""Every write to assessments: loading instrument versions, opening rounds, adding
respondents and their single-use links, saving answers page by page, submitting."""

from __future__ import annotations

import hashlib
import secrets
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from redthread.messaging.models import Message
from redthread.messaging.services import message_send
from redthread.methodology.instrument_files import INSTRUMENT_DIR

from .instruments import AnswerError, InstrumentError, combine, definition_checksum, parse
from .models import (
    AssessmentRound,
    InstrumentVersion,
    RespondentGroup,
    Response,
    ResponseMode,
    ResponseStatus,
    RetiredLink,
)

#: How long a self-assessment link works unless the coach says otherwise.
LINK_DAYS = 21


class TokenError(Exception):
    """A self-assessment link that cannot be used; ``reason`` is unknown, revoked
    (withdrawn or replaced by a newer link), expired or used.
    A used link names its ``response`` (so that its respondent can be shown their result)."""

    def __init__(self, reason: str, response: Response | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.response = response


class StaleResponse(Exception):
    """Somebody saved the same response since this page was opened."""


@dataclass(frozen=True)
class PageResult:
    errors: dict[str, str]
    saved: int


def instrument_load(*, raw: Mapping[str, Any]) -> tuple[InstrumentVersion, bool]:
    """Stores a version of an instrument unless it is there already. A file that changes a
    stored version is refused: a changed instrument is a new version, so that scores once
    given never change meaning."""
    definition = parse(raw)
    checksum = definition_checksum(raw)
    existing = InstrumentVersion.objects.filter(
        code=definition.code, number=definition.version
    ).first()
    if existing is not None:
        if existing.checksum != checksum:
            raise InstrumentError(
                f"{definition.code} v{definition.version} differs from the stored version: "
                "give the changed instrument a new version number"
            )
        return existing, False
    return (
        InstrumentVersion.objects.create(
            code=definition.code,
            number=definition.version,
            name=definition.name.sv,
            definition=dict(raw),
            checksum=checksum,
        ),
        True,
    )


@transaction.atomic
def instruments_load_shipped(directory: Path = INSTRUMENT_DIR) -> int:
    """Loads every shipped instrument file; returns how many versions were new."""
    created = 0
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            try:
                _version, new = instrument_load(raw=tomllib.load(handle))
            except InstrumentError as error:
                raise InstrumentError(f"{path.name}: {error}") from error
        created += new
    return created


def round_create(
    *,
    company: Any,
    instrument: InstrumentVersion,
    timepoint: str,
    date: date,
    partner: Any = None,
    created_by: Any = None,
    coaches: Iterable[Any] = (),
) -> AssessmentRound:
    round_ = AssessmentRound.objects.create(
        company=company,
        instrument=instrument,
        timepoint=timepoint,
        date=date,
        partner=partner,
        created_by=created_by,
    )
    staff = {c.pk for c in coaches if c is not None}
    if staff:
        round_.coaches.set(staff)
    return round_


def response_add(
    *,
    round: AssessmentRound,
    group: str = RespondentGroup.MANAGEMENT,
    label: str = "",
    mode: str = ResponseMode.WITH_COACH,
) -> Response:
    return Response.objects.create(round=round, group=group, label=label.strip(), mode=mode)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def response_issue_link(
    *, response: Response, days: int = LINK_DAYS, expires: datetime | None = None
) -> str:
    """A new single-use link for a self-assessment; any earlier link stops working. Returns
    the token, which is stored only as its hash: show it once. It works for ``days``, or
    until ``expires`` when given (a reminder keeps the first link's date)."""
    token = secrets.token_urlsafe(24)
    _retire_link(response)
    response.token_hash = _hash(token)
    response.token_expires = expires or timezone.now() + timedelta(days=days)
    response.mode = ResponseMode.SELF
    response.save(update_fields=["token_hash", "token_expires", "mode", "modified"])
    return token


def _retire_link(response: Response) -> None:
    """Remembers the response's current link as withdrawn (see :class:`RetiredLink`)."""
    if response.token_hash:
        RetiredLink.objects.get_or_create(
            token_hash=response.token_hash, defaults={"response": response}
        )


def response_revoke_link(*, response: Response) -> None:
    _retire_link(response)
    response.token_hash = None
    response.token_expires = None
    response.save(update_fields=["token_hash", "token_expires", "modified"])


def response_link_holds(*, response: Response, token: str) -> bool:
    """Whether ``token`` is the response's current, usable link."""
    return bool(
        token
        and response.token_hash == _hash(token)
        and not response.is_submitted
        and response.token_expires is not None
        and response.token_expires > timezone.now()
    )


def response_link_send(*, response: Response, token: str, url: str, email: str) -> Message:
    """E-mails a respondent their single-use link through the outbox, in the active
    language. ``token`` must be the response's current link (checked against its hash, so
    the form cannot send any other address); raises :class:`TokenError` otherwise."""
    if not response_link_holds(response=response, token=token):
        raise TokenError("unknown")
    round_ = response.round
    return message_send(
        to=email,
        kind="respondent_link",
        template="assessments/email/respondent_link",
        context={
            "url": url,
            "company": round_.company,
            "instrument": round_.instrument.parsed.name,
            "expires": response.token_expires,
        },
        language=translation.get_language(),
        # About the response, so that a reminder finds whom to remind (notices.py).
        about=response,
        about_text=str(round_),
    )


def response_by_token(token: str) -> Response:
    """The response a link leads to, or :class:`TokenError` saying why it cannot be used."""
    response = (
        Response.objects.select_related("round__company", "round__instrument")
        .filter(token_hash=_hash(token))
        .first()
        if token
        else None
    )
    if response is None:
        retired = token and RetiredLink.objects.filter(token_hash=_hash(token)).exists()
        raise TokenError("revoked" if retired else "unknown")
    if response.is_submitted:
        raise TokenError("used", response)
    if response.token_expires is None or response.token_expires <= timezone.now():
        raise TokenError("expired")
    return response


@transaction.atomic
def response_save_page(
    *, response: Response, page: int, data: Mapping[str, Any], revision: int | None = None
) -> PageResult:
    """Saves one page's answers. Every valid answer is kept even when others on the page
    are refused; a blank answer removes an earlier one. ``data`` maps question codes to the
    raw answer (text, or a list for multiple choice). With ``revision``, refuses with
    :class:`StaleResponse` when the response was saved by someone else meanwhile."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.is_submitted:
        raise TokenError("used")
    if revision is not None and locked.revision != revision:
        raise StaleResponse
    definition = locked.round.instrument.parsed
    pages = definition.pages()
    if not 0 <= page < len(pages):
        raise AnswerError(_("Sidan finns inte."))
    answers = dict(locked.answers)
    errors: dict[str, str] = {}
    saved = 0
    for question in pages[page][1]:
        raw = data.get(question.code)
        blank = raw is None or raw == "" or raw == []
        if blank and question.type != "multiple":
            answers.pop(question.code, None)
            continue
        try:
            answers[question.code] = question.clean(raw if raw is not None else [])
            saved += 1
        except AnswerError as error:
            errors[question.code] = str(error)
    Response.objects.filter(pk=locked.pk).update(
        answers=answers, revision=F("revision") + 1, modified=timezone.now()
    )
    response.refresh_from_db()
    return PageResult(errors, saved)


@transaction.atomic
def response_submit(*, response: Response) -> list[str]:
    """Submits a response when every question shown is answered: scores it, uses up its
    link (kept as its hash, so that the link says it has been used rather than that it
    does not exist) and rescores the round. Returns the codes of unanswered questions (and submits
    nothing) otherwise."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.is_submitted:
        raise TokenError("used")
    definition = locked.round.instrument.parsed
    missing = [q.code for q in definition.missing(locked.answers)]
    if missing:
        return missing
    scores = definition.score(locked.answers)
    locked.scores = scores.as_json()
    locked.overall = scores.overall
    locked.status = ResponseStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.revision += 1
    locked.save()
    round_rescore(round=locked.round)
    response.refresh_from_db()
    return []


def response_reopen(*, response: Response) -> None:
    """Lets a submitted response be corrected (by staff); the round is rescored without it
    until it is submitted again."""
    response.status = ResponseStatus.DRAFT
    response.submitted_at = None
    response.scores = {}
    response.overall = None
    response.save()
    round_rescore(round=response.round)


def response_delete(*, response: Response) -> None:
    round_ = response.round
    response.delete()
    round_rescore(round=round_)


def round_rescore(*, round: AssessmentRound) -> None:
    """The round's scores: the mean of its submitted responses, dimension by dimension."""
    definition = round.instrument.parsed
    submitted = [
        definition.score(r.answers) for r in round.responses.filter(status=ResponseStatus.SUBMITTED)
    ]
    combined = combine(definition, submitted) if submitted else None
    round.scores = combined.as_json() if combined else {}
    round.overall = combined.overall if combined else None
    round.save(update_fields=["scores", "overall", "modified"])
