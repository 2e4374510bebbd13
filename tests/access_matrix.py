"""The role × URL matrix. Every URL pattern of the product has at least one row here;
``test_every_url_has_a_row`` fails when a new view forgets to join.

A row says who gets the page (``ok``), who may reach the view but not this object
(``hidden``: 404, the object's existence is not revealed), and whether it is public.
Everyone else signed in gets 403; anonymous visitors are sent to the login page."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from redthread.accounts.models import Role
from redthread.core.models import ImportJob
from redthread.messaging.models import Message, MessageStatus
from redthread.registry.models import OrganisationKind, Person

from .conftest import WHO, World

SIGNED_IN = frozenset(WHO) - {"anonymous"}
OFFICE = frozenset({Role.ADMIN, Role.PROGRAM_MANAGER})
PARTNER_SIDE = frozenset({Role.PARTNER_MANAGER, Role.COACH, "other_partner_manager", "other_coach"})
COMPANY_SIDE = frozenset({Role.COMPANY_USER, "other_company_user"})


@dataclass(frozen=True)
class Row:
    url_name: str
    ok: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    public: bool = False
    kwargs: Callable[[World], dict[str, Any]] = field(default=lambda world: {})
    #: What a permitted user gets: 200, or a redirect for views that send them on.
    ok_status: int = 200
    #: Overrides for single users, where a view answers them specially.
    special: dict[str, int] = field(default_factory=dict)
    label: str = ""
    #: A query string the view needs (without "?").
    query: str = ""

    def expected(self, who: str) -> int:
        if who in self.special:
            return self.special[who]
        if who == "anonymous":
            return self.ok_status if self.public else 302
        if who in self.ok or self.public:
            return self.ok_status
        if who in self.hidden:
            return 404
        return 403

    @property
    def id(self) -> str:
        return f"{self.url_name}{'[' + self.label + ']' if self.label else ''}"


def _as_str(roles: frozenset[Any]) -> frozenset[str]:
    return frozenset(str(r.value) if isinstance(r, Role) else str(r) for r in roles)


def row(url_name: str, **kwargs: Any) -> Row:
    for key in ("ok", "hidden"):
        if key in kwargs:
            kwargs[key] = _as_str(frozenset(kwargs[key]))
    return Row(url_name, **kwargs)


SIGNED_IN_REDIRECT = dict.fromkeys(SIGNED_IN, 302)
#: The users of the other partner and company: they see neither our company nor its people.
OTHERS = frozenset({"other_partner_manager", "other_coach", "other_company_user"})
#: Who reaches a company of our partner that our coach does not coach.
UNCOACHED_OK = OFFICE | {Role.PARTNER_MANAGER}
UNCOACHED_HIDDEN = OTHERS | {Role.COACH, Role.COMPANY_USER}


def _coached(world: World) -> dict[str, Any]:
    """Our company, which our coach coaches (lead coach of its engagement)."""
    _engagement(world)
    return {"pk": world.company.pk}


def _uncoached(world: World) -> dict[str, Any]:
    """A company of our partner that none of its coaches coaches: the partner's manager
    sees it, our coach does not (a coach reaches the companies it coaches, no more)."""
    from .factories import OrganisationFactory

    if not hasattr(world, "uncoached"):
        world.uncoached = OrganisationFactory.create(  # type: ignore[attr-defined]  # the shared World, extended per test
            kind=OrganisationKind.COMPANY,
            name="Ocoachad AB",
            slug="ocoachad",
            responsible_partner=world.partner,
        )
    return {"pk": world.uncoached.pk}  # type: ignore[attr-defined]  # the shared World, extended per test


def _person(
    world: World, company: Callable[[World], dict[str, Any]] | None = None
) -> dict[str, Any]:
    pk = (company or _coached)(world)["pk"]
    person = Person.objects.create(organisation_id=pk, first_name="Eva", last_name="Ek")
    return {"pk": pk, "person_pk": person.pk}


def _methodology(world: World) -> dict[str, Any]:
    """A module, a published template and an initiative, made once per world."""
    if not hasattr(world, "methodology"):
        from redthread.methodology import services

        module = services.module_create(code="5s", category="lean", name="5S", purpose="Ordning.")
        draft = services.template_create(code="start", name="Start", duration_weeks=10)
        phase = services.phase_add(version=draft, name="Fas")
        services.step_add(phase=phase, module=module.module, offset_weeks=0)
        services.assessment_point_add(
            version=draft, timepoint="T0", offset_weeks=0, instrument="lean"
        )
        services.template_publish(version=draft, actor=None)
        services.initiative_save(
            slug="satsning",
            name="Satsning",
            owner=world.office,
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2026, 1, 1),
        )
        from django.core.files.base import ContentFile

        attachment = services.module_attachment_add(
            module=module.module, title="Checklista", file=ContentFile(b"5S", name="checklista.txt")
        )
        world.methodology = {  # type: ignore[attr-defined]  # the shared World, extended per test
            "code": "5s",
            "template": "start",
            "slug": "satsning",
            "attachment": attachment.pk,
        }
    found: dict[str, Any] = world.methodology  # type: ignore[attr-defined]  # set above, on the shared world
    return found


METHOD_READERS = OFFICE | PARTNER_SIDE


def _engagement(world: World) -> dict[str, Any]:
    """An engagement of our company, delivered by our partner, coached by our coach."""
    if not hasattr(world, "engagement"):
        from redthread.engagements.models import Engagement
        from redthread.methodology.models import Initiative, ProgramTemplate, TemplateVersion

        _methodology(world)
        world.engagement = Engagement.objects.create(  # type: ignore[attr-defined]  # the shared World, extended per test
            company=world.company,
            initiative=Initiative.objects.get(slug="satsning"),
            template_version=TemplateVersion.objects.get(
                template=ProgramTemplate.objects.get(code="start")
            ),
            partner=world.partner,
            lead_coach=world.users["coach"],
            start_date=datetime.date(2026, 1, 1),
        )
    return {"pk": world.engagement.pk}  # type: ignore[attr-defined]  # the shared World, extended per test


def _session(world: World) -> dict[str, Any]:
    from redthread.engagements.models import Session

    engagement = _engagement(world)
    session = Session.objects.create(
        engagement_id=engagement["pk"], date=datetime.date(2026, 1, 2), duration_minutes=60
    )
    return {"pk": engagement["pk"], "session_pk": session.pk}


def _booking(world: World) -> dict[str, Any]:
    """A booked session of our engagement, next week."""
    from redthread.engagements.models import BookedSession

    engagement = _engagement(world)
    booking = BookedSession.objects.create(
        engagement_id=engagement["pk"],
        date=timezone.localdate() + datetime.timedelta(days=7),
        start_time=datetime.time(9),
        duration_minutes=60,
        place="Verkstaden",
        uid=f"booking-{uuid.uuid4()}@redthread",
    )
    booking.coaches.set([world.users["coach"]])
    return {"pk": engagement["pk"], "booking_pk": booking.pk}


def _action_item(world: World) -> dict[str, Any]:
    from redthread.engagements.models import ActionItem

    engagement = _engagement(world)
    item = ActionItem.objects.create(engagement_id=engagement["pk"], title="Märk hyllorna")
    return {"pk": engagement["pk"], "item_pk": item.pk}


def _plan_document(world: World) -> dict[str, Any]:
    """A document of our engagement's plan: the attachment of the module a step pinned."""
    from redthread.engagements.models import PlanStep
    from redthread.methodology.models import ModuleAttachment

    engagement = _engagement(world)
    attachment = ModuleAttachment.objects.get(pk=_methodology(world)["attachment"])
    PlanStep.objects.create(
        engagement_id=engagement["pk"],
        module_version=attachment.version,
        phase_name="Fas",
        order=1,
        planned_date=datetime.date(2026, 1, 5),
    )
    return {"pk": engagement["pk"], "document_pk": attachment.pk}


def _our_manager(world: World) -> dict[str, Any]:
    """Our company user manages our company (the office's flag on its membership); the
    pages it reaches so take no arguments."""
    from redthread.accounts.models import Membership

    Membership.objects.filter(
        user=world.users[Role.COMPANY_USER.value], organisation=world.company
    ).update(is_manager=True)
    return {}


def _colleague(world: World) -> dict[str, Any]:
    """A colleague at our company, whom our (managing) company user may remove."""
    from redthread.accounts import services

    _our_manager(world)
    colleague = services.user_create(
        email="kollega@test.example", role=Role.COMPANY_USER, organisation_ids=[world.company.pk]
    )
    return {"pk": colleague.pk}


#: Those who log in our engagement; the other partner's staff reach the view but not it.
LOGGERS = OFFICE | {Role.PARTNER_MANAGER, Role.COACH}
OTHER_STAFF = frozenset({"other_partner_manager", "other_coach"})


def _coach_profile(world: World) -> dict[str, Any]:
    from redthread.academy.models import CoachProfile

    profile = CoachProfile.objects.create(user=world.users["coach"], home_partner=world.partner)
    return {"pk": profile.pk}


def _coach_profile_none(world: World) -> dict[str, Any]:
    """A coach profile to list; the page's address takes no arguments."""
    _coach_profile(world)
    return {}


def _course(world: World) -> Any:
    from .academy.course_fixture import course_make

    return course_make(world)


def _course_certificate(world: World) -> dict[str, Any]:
    from redthread.academy import services

    from .academy.course_fixture import course_complete

    setting = _course(world)
    course_complete(setting, setting.teacher)
    certificate = services.certificate_issue(participant=setting.participant, actor=None)
    return {"pk": certificate.pk}


def _course_certificate_none(world: World) -> dict[str, Any]:
    """A certificate to list; the register's address takes no arguments."""
    _course_certificate(world)
    return {}


def _course_assignment_file(world: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from redthread.academy import services

    setting = _course(world)
    assignment = services.assignment_submit(
        participant=setting.participant,
        course_module=setting.kata,
        file=SimpleUploadedFile("kata.pdf", b"%PDF-1.4"),
    )
    return {"pk": assignment.pk}


#: Who sees a cohort of the coach course that our partner's coach takes part in and the
#: program manager teaches: the office, the coach, its partner manager.
COURSE_OK = OFFICE | {Role.PARTNER_MANAGER, Role.COACH}
COURSE_HIDDEN = frozenset({"other_partner_manager", "other_coach"})


def _unsubscribe(world: World) -> dict[str, Any]:
    from redthread.messaging.services import unsubscribe_token_make

    token = unsubscribe_token_make(to=world.users["coach"], kinds=["action_items_week"])
    return {"token": token}


def _live_post(world: World) -> dict[str, Any]:
    from .factories import post_make

    return {"slug": post_make(world, status="published").slug}


def _draft_post(world: World) -> dict[str, Any]:
    from .factories import post_make

    post = post_make(world, status="draft")
    return {"slug": post.slug, "pk": post.pk}


def _post_image(world: World, status: str) -> dict[str, Any]:
    """A picture (a real PNG) in a post of ``status``."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from redthread.journal.models import PostImage

    from .factories import post_make

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    image = PostImage.objects.create(
        post=post_make(world, status=status),
        image=SimpleUploadedFile("bild.png", buffer.getvalue(), content_type="image/png"),
        alt="En röd ruta",
    )
    return {"pk": image.pk}


def _draft_post_pk(world: World) -> dict[str, Any]:
    return {"pk": _draft_post(world)["pk"]}


def _draft_post_slug(world: World) -> dict[str, Any]:
    return {"slug": _draft_post(world)["slug"]}


def _page(world: World) -> dict[str, Any]:
    """The about page, written (and so publishable) once per world."""
    from redthread.journal.models import Page

    page = Page.objects.filter(slug="om").first()
    if page is None:
        page = Page.objects.create(slug="om", title="Om", body="Text.")
    return {"slug": page.slug}


def _inquiry(world: World, to_partner: bool = True) -> dict[str, Any]:
    from redthread.journal.models import Inquiry

    inquiry = Inquiry.objects.create(
        kind="contact",
        name="Bo Besökare",
        email="bo@example.se",
        message="Hej",
        recipient=world.partner if to_partner else None,
    )
    return {"pk": inquiry.pk}


def _partner_person(world: World) -> dict[str, Any]:
    person = Person.objects.create(organisation=world.partner, first_name="Lina", last_name="Lo")
    return {"slug": world.partner.slug, "person_pk": person.pk}


def _calendar_feed(world: World) -> dict[str, Any]:
    from redthread.engagements.calendar import calendar_feed_get_or_create

    return {"token": calendar_feed_get_or_create(user=world.users["coach"]).token}


def _round(world: World) -> dict[str, Any]:
    """A round of our company with our partner, our coach on it, one response submitted
    and one self-assessment with a live link."""
    if not hasattr(world, "round"):
        from redthread.assessments import services

        from .assessments.instrument_fixture import SMALL

        instrument, _new = services.instrument_load(raw=SMALL)
        round_ = services.round_create(
            company=world.company,
            instrument=instrument,
            timepoint="T0",
            date=datetime.date(2026, 1, 5),
            partner=world.partner,
            coaches=[world.users["coach"]],
        )
        done = services.response_add(round=round_)
        services.response_save_page(response=done, page=0, data={"a1": "3", "a2": "y", "a3": "10"})
        services.response_save_page(response=done, page=1, data={"b1": "no"})
        assert services.response_submit(response=done) == []
        waiting = services.response_add(round=round_, mode="self")
        world.round = round_  # type: ignore[attr-defined]  # the shared World, extended per test
        world.round_token = services.response_issue_link(response=waiting)  # type: ignore[attr-defined]  # the shared World, extended per test
        world.round_waiting = waiting  # type: ignore[attr-defined]  # the shared World, extended per test
    return {"pk": world.round.pk}  # type: ignore[attr-defined]  # the shared World, extended per test


def _comparison_group(world: World) -> dict[str, Any]:
    from redthread.outcomes.models import ComparisonGroup

    return {"pk": ComparisonGroup.objects.create(name="Referens").pk}


def _report_job(world: World) -> dict[str, Any]:
    """A finished report the funder ordered."""
    from redthread.outcomes.models import ReportJob

    _methodology(world)
    from redthread.methodology.models import Initiative

    job = ReportJob.objects.create(
        initiative=Initiative.objects.get(slug="satsning"),
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 12, 31),
        format="xlsx",
        status="done",
        content=b"PK",
        created_by=world.users["funder_viewer"],
    )
    return {"pk": job.pk}


def _kpi_import_job(world: World) -> dict[str, Any]:
    job = ImportJob.objects.create(
        kind="kpis",
        created_by=world.users["program_manager"],
        filename="nyckeltal.csv",
        content=b"Organisationsnummer;Nyckeltal;\xc3\x85r;V\xc3\xa4rde\n",
        headers=["Organisationsnummer", "Nyckeltal", "År", "Värde"],
    )
    return {"pk": job.pk}


def _import_job(world: World) -> dict[str, Any]:
    job = ImportJob.objects.create(
        kind="companies",
        created_by=world.users["partner_manager"],
        filename="lista.csv",
        content=b"Orgnr,Namn\n",
        headers=["Orgnr", "Namn"],
    )
    return {"pk": job.pk}


def _message(world: World) -> dict[str, Any]:
    """A failed message to the coach: the office may resend it, the coach sees it as theirs."""
    coach = world.users["coach"]
    message = Message.objects.create(
        recipient=coach,
        to_address=coach.email,
        subject="Välkommen",
        kind="invitation",
        language="sv",
        status=MessageStatus.FAILED,
        attempts=1,
        last_error="SMTPConnectError",
        body_text="Hej!",
    )
    return {"pk": message.pk}


ROWS: list[Row] = [
    # core
    row("core:home", public=True, special=SIGNED_IN_REDIRECT),
    row("core:dashboard", ok=SIGNED_IN),
    row("core:healthz", public=True),
    # the audit trail and people's rights are the office's; the record of processing is public
    row("core:audit_log", ok=OFFICE),
    row(
        "core:audit_object",
        ok=OFFICE,
        kwargs=lambda world: {"kind": "registry.organisation", "pk": world.company.pk},
    ),
    row("core:privacy", ok=OFFICE),
    row(
        "core:privacy_export",
        ok=OFFICE,
        kwargs=lambda world: {"format": "json"},
        label="json",
        query="address=foretag%40example.test",
    ),
    row(
        "core:privacy_export",
        ok=OFFICE,
        kwargs=lambda world: {"format": "pdf"},
        label="pdf",
        query="address=foretag%40example.test",
    ),
    row("core:privacy_erase", ok=OFFICE, query="address=foretag%40example.test"),
    row("core:processing_record", public=True),
    # accounts: the login flow is public; a signed-in user is sent on from the login page
    row("accounts:login", public=True, special=SIGNED_IN_REDIRECT),
    # logout takes POST only; GET is refused with 405 (tested with POST separately)
    row("accounts:logout", ok=SIGNED_IN, ok_status=405),
    row("accounts:password_reset", public=True),
    # the code step of a two-factor login sends anyone without a pending login back
    row("accounts:login_otp", public=True, ok_status=302),
    # every signed-in user has their own profile; its actions take POST only
    row("accounts:profile", ok=SIGNED_IN),
    row("accounts:profile_totp_enrol", ok=SIGNED_IN),
    row("accounts:profile_api_token_create", ok=SIGNED_IN),
    row(
        "accounts:profile_api_token_revoke",
        ok=SIGNED_IN,
        ok_status=405,
        kwargs=lambda world: {"pk": 1},
    ),
    row("accounts:profile_totp_disable", ok=SIGNED_IN, ok_status=405),
    row(
        "accounts:profile_session_revoke",
        ok=SIGNED_IN,
        ok_status=405,
        kwargs=lambda w: {"pk": 1},
    ),
    row("accounts:profile_sessions_revoke_others", ok=SIGNED_IN, ok_status=405),
    row("accounts:password_reset_done", public=True),
    row(
        "accounts:password_reset_confirm",
        public=True,
        kwargs=lambda w: {"uidb64": "MQ", "token": "invalid-token"},
    ),
    row("accounts:password_reset_complete", public=True),
    row("accounts:user_list", ok={Role.ADMIN}),
    row("accounts:user_create", ok={Role.ADMIN}),
    row("accounts:user_edit", ok={Role.ADMIN}, kwargs=lambda w: {"pk": w.users["coach"].pk}),
    row(
        "accounts:user_deactivate",
        ok={Role.ADMIN},
        kwargs=lambda w: {"pk": w.users["coach"].pk},
    ),
    # registry
    row("registry:organisation_list", ok=OFFICE | PARTNER_SIDE | COMPANY_SIDE),
    row(
        "registry:organisation_detail",
        label="partner",
        ok=OFFICE | PARTNER_SIDE | COMPANY_SIDE,
        kwargs=lambda w: {"slug": w.partner.slug},
    ),
    row(
        "registry:organisation_detail",
        label="company",
        # A company's organisation page sends on to its company page.
        ok_status=302,
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden={"other_partner_manager", "other_coach", "other_company_user"},
        kwargs=lambda w: {"slug": w.company.slug if _coached(w) else ""},
    ),
    row(
        "registry:organisation_detail",
        label="company not coached",
        ok_status=302,
        ok=UNCOACHED_OK,
        hidden=UNCOACHED_HIDDEN,
        kwargs=lambda w: {"slug": w.uncoached.slug if _uncoached(w) else ""},
    ),
    row("registry:company_list", ok=OFFICE | PARTNER_SIDE | COMPANY_SIDE),
    row("registry:company_create", ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"}),
    row(
        "registry:company_detail",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=_coached,
    ),
    row(
        "registry:company_detail",
        label="not coached",
        ok=UNCOACHED_OK,
        hidden=UNCOACHED_HIDDEN,
        kwargs=_uncoached,
    ),
    row(
        "registry:company_edit",
        ok=OFFICE | {Role.PARTNER_MANAGER},
        hidden=OTHERS,
        kwargs=_coached,
    ),
    row(
        "registry:company_edit",
        label="not coached",
        ok=UNCOACHED_OK,
        hidden=UNCOACHED_HIDDEN,
        kwargs=_uncoached,
    ),
    row("registry:company_merge", ok=OFFICE, kwargs=lambda w: {"pk": w.company.pk}),
    row(
        "registry:person_create",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=_coached,
    ),
    row(
        "registry:person_create",
        label="not coached",
        ok=UNCOACHED_OK,
        hidden=UNCOACHED_HIDDEN,
        kwargs=_uncoached,
    ),
    row(
        "registry:person_edit",
        label="not coached",
        ok=UNCOACHED_OK,
        hidden=UNCOACHED_HIDDEN,
        kwargs=lambda w: _person(w, _uncoached),
    ),
    row(
        "registry:person_edit",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=_person,
    ),
    row(
        "registry:person_delete",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=_person,
    ),
    # a partner's own people (whom the public partner page may show): the office and the
    # partner's managers (tests/registry/test_partner_people.py)
    row(
        "registry:partner_person_create",
        ok=OFFICE | {Role.PARTNER_MANAGER},
        kwargs=lambda w: {"slug": w.partner.slug},
    ),
    row("registry:partner_person_edit", ok=OFFICE | {Role.PARTNER_MANAGER}, kwargs=_partner_person),
    row(
        "registry:partner_person_delete",
        ok=OFFICE | {Role.PARTNER_MANAGER},
        kwargs=_partner_person,
    ),
    row("registry:import_start", ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"}),
    row(
        "registry:import_detail",
        ok=OFFICE | {Role.PARTNER_MANAGER},
        hidden={"other_partner_manager"},
        kwargs=_import_job,
    ),
    # methodology: partner staff read, the office changes
    row("methodology:coverage", ok=METHOD_READERS),
    row("methodology:module_list", ok=METHOD_READERS),
    row("methodology:module_create", ok=OFFICE),
    row(
        "methodology:module_detail",
        ok=METHOD_READERS,
        kwargs=lambda w: {"code": _methodology(w)["code"]},
    ),
    row("methodology:module_edit", ok=OFFICE, kwargs=lambda w: {"code": _methodology(w)["code"]}),
    row(
        "methodology:module_compare",
        ok=METHOD_READERS,
        kwargs=lambda w: {"code": _methodology(w)["code"]},
    ),
    row(
        "methodology:module_attachment",
        ok=METHOD_READERS,
        kwargs=lambda w: {"code": _methodology(w)["code"], "pk": _methodology(w)["attachment"]},
    ),
    row("methodology:template_list", ok=METHOD_READERS),
    row("methodology:template_create", ok=OFFICE),
    row(
        "methodology:template_detail",
        ok=METHOD_READERS,
        kwargs=lambda w: {"code": _methodology(w)["template"]},
    ),
    row(
        "methodology:template_draft",
        ok=OFFICE,
        kwargs=lambda w: {"code": _methodology(w)["template"]},
    ),
    row(
        "methodology:template_publish",
        # Without a draft there is nothing to publish: 404 for those who may publish.
        ok=OFFICE,
        ok_status=404,
        kwargs=lambda w: {"code": _methodology(w)["template"]},
    ),
    row("methodology:initiative_list", ok=METHOD_READERS),
    row("methodology:initiative_create", ok=OFFICE),
    row(
        "methodology:initiative_detail",
        ok=METHOD_READERS,
        kwargs=lambda w: {"slug": _methodology(w)["slug"]},
    ),
    row(
        "methodology:initiative_edit", ok=OFFICE, kwargs=lambda w: {"slug": _methodology(w)["slug"]}
    ),
    # assessments: the office, the partner's staff (a coach: its own rounds) and the company
    row("assessments:round_list", ok=OFFICE | PARTNER_SIDE | COMPANY_SIDE),
    row("assessments:round_create", ok=OFFICE | PARTNER_SIDE),
    row(
        "assessments:round_detail",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=_round,
    ),
    # A company's results: whoever sees the company (a coach: one it coaches, or one of
    # whose rounds it is on).
    # The company's manager invites respondents to its own rounds: its page alone (the
    # office and coaches use the round's page).
    row(
        "assessments:round_respondents",
        ok={Role.COMPANY_USER},
        kwargs=lambda w: {**_our_manager(w), **_round(w)},
    ),
    row(
        "assessments:company_results",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=lambda w: (_round(w), {"pk": w.company.pk})[1],
    ),
    row(
        "assessments:round_report",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=_round,
    ),
    row(
        "assessments:response_answer",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH},
        hidden={"other_partner_manager", "other_coach"},
        kwargs=lambda w: {
            "pk": _round(w)["pk"],
            "response_pk": w.round_waiting.pk,
            "page": 1,
        },
    ),
    # The single-use link is the key: respondents answer without an account.
    row(
        "assessments:self_page",
        public=True,
        kwargs=lambda w: {"token": (_round(w), w.round_token)[1], "page": 1},
    ),
    row(
        "assessments:self_page",
        public=True,
        ok_status=410,
        kwargs=lambda w: {"token": "not-a-token", "page": 1},
        label="unknown token",
    ),
    row("assessments:self_done", public=True),
    # A respondent's own result as a PDF: only with the proof their submission left in
    # their session; without it, everyone is sent back to the thanks page.
    row("assessments:self_report", public=True, ok_status=302),
    # outcomes: aggregates for the office, a partner's managers and funders; company
    # figures for those who work with the company and the company itself
    row(
        "outcomes:dashboard",
        ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager", Role.FUNDER_VIEWER},
    ),
    row("outcomes:maturity", ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"}),
    row(
        "outcomes:method",
        ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager", Role.FUNDER_VIEWER},
    ),
    row(
        "outcomes:company_list",
        ok=OFFICE | PARTNER_SIDE | COMPANY_SIDE,
        # A company user goes straight to its own company's figures.
        special={Role.COMPANY_USER: 302, "other_company_user": 302},
    ),
    row(
        "outcomes:company_kpis",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=_coached,
    ),
    row(
        "outcomes:company_kpis",
        label="not coached",
        ok=UNCOACHED_OK,
        hidden=UNCOACHED_HIDDEN,
        kwargs=_uncoached,
    ),
    row("outcomes:comparison_groups", ok=OFFICE),
    row("outcomes:comparison_group", ok=OFFICE, kwargs=_comparison_group),
    row("outcomes:reports", ok=OFFICE | {Role.FUNDER_VIEWER}),
    # messaging: the outbox is the office's; what was sent to you is yours
    row("messaging:outbox", ok=OFFICE),
    row("messaging:message_detail", ok=OFFICE, kwargs=_message),
    row("messaging:message_resend", ok=OFFICE, kwargs=_message),
    row("messaging:my_messages", ok=SIGNED_IN),
    # Everyone signed in chooses their own notices; the unsubscribe link needs no login.
    row("messaging:notice_preferences", ok=SIGNED_IN),
    row("messaging:unsubscribe", public=True, kwargs=_unsubscribe),
    row(
        "messaging:unsubscribe",
        public=True,
        ok_status=404,
        kwargs=lambda w: {"token": "not-a-token"},
        label="bad token",
    ),
    row(
        "messaging:my_message",
        ok={Role.COACH},
        hidden=SIGNED_IN - {Role.COACH.value},
        kwargs=_message,
    ),
    row("outcomes:report_detail", ok=OFFICE | {Role.FUNDER_VIEWER}, kwargs=_report_job),
    row("outcomes:report_download", ok=OFFICE | {Role.FUNDER_VIEWER}, kwargs=_report_job),
    row("outcomes:measurement_import_start", ok=OFFICE),
    row(
        "outcomes:measurement_import_detail",
        ok=OFFICE,
        kwargs=_kpi_import_job,
    ),
    # engagements: the office, the partner's staff and the company itself
    row("engagements:engagement_list", ok=OFFICE | PARTNER_SIDE | COMPANY_SIDE),
    row(
        "engagements:engagement_enrol", ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"}
    ),
    row(
        "engagements:engagement_detail",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=_engagement,
    ),
    # coaches' capacity against their load: the office and partner managers (each its own
    # coaches, tested in tests/engagements/test_coach_capacity.py)
    row(
        "engagements:coach_capacity",
        ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"},
        kwargs=_coach_profile_none,
    ),
    row("engagements:overview", ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"}),
    row("engagements:calendar", ok=OFFICE | PARTNER_SIDE),
    # The feed's secret address is its key: calendar programs fetch it without signing in.
    row("engagements:calendar_feed", public=True, kwargs=_calendar_feed),
    row(
        "engagements:session_edit",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH},
        hidden={"other_partner_manager", "other_coach"},
        kwargs=_session,
    ),
    row(
        "engagements:state_aid",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH, Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=lambda w: {"company_pk": _coached(w)["pk"]},
    ),
    row(
        "engagements:state_aid",
        label="not coached",
        ok=UNCOACHED_OK,
        hidden=UNCOACHED_HIDDEN,
        kwargs=lambda w: {"company_pk": _uncoached(w)["pk"]},
    ),
    row("engagements:exchange_rates", ok=OFFICE),
    # The old address of the maturity spread sends everyone on to outcomes:maturity.
    row("engagements:maturity", public=True, ok_status=302),
    # POST only: those who may log get 405 for a GET, the rest 403.
    row(
        "engagements:plan_assessment_start",
        ok=OFFICE | PARTNER_SIDE,
        ok_status=405,
        kwargs=lambda w: {"point_pk": 1, **_engagement(w)},
    ),
    row(
        "engagements:recommendation_apply",
        ok=OFFICE | PARTNER_SIDE,
        ok_status=405,
        kwargs=_engagement,
    ),
    # The engagement page's actions take POST; a GET (the address bar, the language switch
    # on a page a refused action showed) is sent on to the engagement page.
    *(
        row(
            f"engagements:{name}",
            ok=LOGGERS,
            hidden=OTHER_STAFF,
            ok_status=302,
            kwargs=_engagement,
        )
        for name in (
            "session_log",
            "action_item_create",
            "plan_step_move",
            "plan_step_skip",
            "plan_step_add",
        )
    ),
    row(
        "engagements:action_item_status",
        ok=LOGGERS,
        hidden=OTHER_STAFF,
        ok_status=302,
        kwargs=_action_item,
    ),
    # a coach moves its own engagements (the rules say which moves), not another's
    row(
        "engagements:status_change",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH},
        hidden={"other_partner_manager", "other_coach"},
        ok_status=302,
        kwargs=_engagement,
    ),
    # Booked sessions: those who log book, change, cancel (after a question) and log them.
    row("engagements:booking_create", ok=LOGGERS, hidden=OTHER_STAFF, kwargs=_engagement),
    *(
        row(f"engagements:{name}", ok=LOGGERS, hidden=OTHER_STAFF, kwargs=_booking)
        for name in ("booking_edit", "booking_cancel", "booking_log")
    ),
    # The company's manager: its own colleagues (the office has its user pages).
    row("registry:company_users", ok={Role.COMPANY_USER}, kwargs=_our_manager),
    row("registry:company_user_remove", ok={Role.COMPANY_USER}, kwargs=_colleague),
    # The company's own pages: its action items (each also for those who see the
    # engagement) and the documents of its plan.
    row("engagements:company_actions", ok=COMPANY_SIDE),
    row(
        "engagements:action_item",
        ok=LOGGERS | {Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=lambda w: {"item_pk": _action_item(w)["item_pk"]},
    ),
    row(
        "engagements:plan_document",
        ok=LOGGERS | {Role.COMPANY_USER},
        hidden=OTHERS,
        kwargs=_plan_document,
    ),
    row(
        "engagements:session_table",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH},
        hidden={"other_partner_manager", "other_coach"},
        kwargs=_engagement,
    ),
    row(
        "engagements:engagement_edit",
        ok=OFFICE | {Role.PARTNER_MANAGER},
        hidden={"other_partner_manager"},
        kwargs=_engagement,
    ),
    # coaches: the office and partner staff see profiles; the office, the home partner's
    # manager and the coach itself change one
    row("academy:coach_list", ok=OFFICE | PARTNER_SIDE),
    row(
        "academy:coach_edit",
        ok=OFFICE | {Role.PARTNER_MANAGER, Role.COACH},
        hidden={"other_partner_manager", "other_coach"},
        kwargs=_coach_profile,
    ),
    # the coach course: the office and partner staff reach it; a cohort shows to the
    # office, its teachers, its participants and their partner managers; only teachers
    # (and the office) record attendance; anyone checks a certificate's code
    row("academy:course_list", ok=OFFICE | PARTNER_SIDE),
    row(
        "academy:course_detail",
        ok=COURSE_OK,
        hidden=COURSE_HIDDEN,
        kwargs=lambda world: {"pk": _course(world).course.pk},
    ),
    row(
        "academy:cohort_detail",
        ok=COURSE_OK,
        hidden=COURSE_HIDDEN,
        kwargs=lambda world: {"pk": _course(world).cohort.pk},
    ),
    row(
        "academy:meeting_attendance",
        ok=OFFICE,
        hidden=COURSE_HIDDEN,
        kwargs=lambda world: {"pk": _course(world).meetings[0].pk},
    ),
    row(
        "academy:participant_detail",
        ok=COURSE_OK,
        hidden=COURSE_HIDDEN,
        kwargs=lambda world: {"pk": _course(world).participant.pk},
    ),
    row(
        "academy:assignment_file",
        ok=COURSE_OK,
        hidden=COURSE_HIDDEN,
        kwargs=_course_assignment_file,
    ),
    row(
        "academy:certificate_pdf",
        ok=COURSE_OK,
        hidden=COURSE_HIDDEN,
        kwargs=_course_certificate,
    ),
    # the office sets the course up: courses, modules, cohorts, meetings, participants;
    # everyone else is refused before the object is looked up
    row("academy:course_create", ok=OFFICE),
    *[
        row(name, ok=OFFICE, kwargs=kwargs)
        for name, kwargs in (
            ("academy:course_edit", lambda world: {"pk": _course(world).course.pk}),
            ("academy:course_module_create", lambda world: {"pk": _course(world).course.pk}),
            ("academy:course_module_edit", lambda world: {"pk": _course(world).kata.pk}),
            ("academy:cohort_create", lambda world: {"pk": _course(world).course.pk}),
            ("academy:cohort_edit", lambda world: {"pk": _course(world).cohort.pk}),
            ("academy:meeting_create", lambda world: {"pk": _course(world).cohort.pk}),
            ("academy:participant_add", lambda world: {"pk": _course(world).cohort.pk}),
            ("academy:meeting_edit", lambda world: {"pk": _course(world).meetings[0].pk}),
            ("academy:meeting_cancel", lambda world: {"pk": _course(world).meetings[0].pk}),
            ("academy:participant_remove", lambda world: {"pk": _course(world).participant.pk}),
        )
    ],
    # writes take POST only; GET is refused with 405 (tested with POST in tests/academy)
    *[
        row(name, ok=SIGNED_IN, ok_status=405, kwargs=lambda world: {"pk": 1})
        for name in (
            "academy:participant_complete",
            "academy:certificate_issue",
            "academy:assignment_review",
            "academy:certificate_revoke",
            "academy:certificate_renew",
        )
    ],
    row("academy:verify", public=True),
    # the certification register: the office and partner managers (each its own people,
    # tested in tests/academy/test_register.py); coaches and funders have none
    row(
        "academy:certificate_register",
        ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"},
        kwargs=_course_certificate_none,
    ),
    # the log: everyone reads the live posts, the feeds and the sitemap; a draft shows to
    # its writer and the office only; editors and the office write; the office reviews
    row("journal:post_list", public=True),
    row("journal:post_detail", public=True, kwargs=_live_post, label="live"),
    row(
        "journal:post_detail",
        ok=OFFICE | {Role.EDITOR},
        hidden=SIGNED_IN - OFFICE - {Role.EDITOR.value},
        special={"anonymous": 404},
        kwargs=_draft_post_slug,
        label="draft",
    ),
    row("journal:feed_atom", public=True),
    row("journal:feed_rss", public=True),
    row("journal:sitemap", public=True),
    row("journal:robots", public=True),
    # a byline photo shows once its author has a live post (tests/journal/test_public.py);
    # an author without one is not found, by anyone
    row("journal:author_photo", public=True, ok_status=404, kwargs=lambda world: {"pk": 1}),
    # the public site: everyone reads the initiatives, partners, stakeholders and funders
    # and the methodology in brief (tests/journal/test_site.py: no company on any of them)
    row("journal:initiative_list", public=True),
    row(
        "journal:initiative_detail",
        public=True,
        kwargs=lambda world: {"slug": _methodology(world)["slug"]},
    ),
    # the application form (tests/journal/test_apply.py) and its thank-you page
    row(
        "journal:initiative_apply",
        public=True,
        kwargs=lambda world: {"slug": _methodology(world)["slug"]},
    ),
    row(
        "journal:initiative_applied",
        public=True,
        kwargs=lambda world: {"slug": _methodology(world)["slug"]},
    ),
    # the contact form to the office and to a partner (tests/journal/test_contact.py)
    row("journal:contact", public=True),
    row("journal:contact_sent", public=True),
    row("journal:partner_contact", public=True, kwargs=lambda world: {"slug": world.partner.slug}),
    row("journal:partners", public=True),
    row("journal:stakeholders", public=True),
    row("journal:methodology", public=True),
    # the editable pages: the public reads them (the built-in text before one is
    # published); the writers edit them, the office publishes (tests/journal/test_pages.py)
    row("journal:about", public=True),
    row("journal:accessibility", public=True),
    row("journal:page_list", ok=OFFICE | {Role.EDITOR}),
    row("journal:page_edit", ok=OFFICE | {Role.EDITOR}, kwargs=_page),
    row(
        "journal:page_action",
        ok=OFFICE,
        kwargs=lambda world: {**_page(world), "action": "publish"},
    ),
    # the inbox of what visitors sent: the office reads all, a partner's managers what was
    # sent to their partner (tests/journal/test_inbox.py); marking handled is POST only
    row("journal:inquiry_list", ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"}),
    row(
        "journal:inquiry_detail",
        label="to our partner",
        ok=OFFICE | {Role.PARTNER_MANAGER},
        hidden={"other_partner_manager"},
        kwargs=_inquiry,
    ),
    row(
        "journal:inquiry_detail",
        label="to the office",
        ok=OFFICE,
        hidden={Role.PARTNER_MANAGER, "other_partner_manager"},
        kwargs=lambda world: _inquiry(world, to_partner=False),
    ),
    row(
        "journal:inquiry_handle",
        ok=OFFICE | {Role.PARTNER_MANAGER, "other_partner_manager"},
        ok_status=405,
        kwargs=_inquiry,
    ),
    row("journal:my_posts", ok=OFFICE | {Role.EDITOR}),
    row("journal:review_queue", ok=OFFICE),
    row("journal:post_create", ok=OFFICE | {Role.EDITOR}),
    row("journal:byline_edit", ok=OFFICE | {Role.EDITOR}),
    row("journal:post_edit", ok=OFFICE | {Role.EDITOR}, kwargs=_draft_post_pk),
    row(
        "journal:post_image",
        public=True,
        kwargs=lambda world: _post_image(world, "published"),
        label="live",
    ),
    # A draft's picture: only to whoever may see the draft in the editor's pages.
    row(
        "journal:post_image",
        ok=OFFICE | {Role.EDITOR},
        hidden=SIGNED_IN,
        special={"anonymous": 404},
        kwargs=lambda world: _post_image(world, "draft"),
        label="draft",
    ),
    # POST only: a writer gets 405 for a GET, the rest 403.
    row("journal:post_image_add", ok=OFFICE | {Role.EDITOR}, ok_status=405, kwargs=_draft_post_pk),
    row(
        "journal:post_image_remove",
        ok=OFFICE | {Role.EDITOR},
        kwargs=lambda world: _post_image(world, "draft"),
    ),
    row(
        "journal:post_action",
        ok=OFFICE | {Role.EDITOR},
        kwargs=lambda world: {**_draft_post_pk(world), "action": "submit"},
        label="submit",
    ),
    # with review on, the editor may not publish its own post
    row(
        "journal:post_action",
        ok=OFFICE,
        kwargs=lambda world: {**_draft_post_pk(world), "action": "publish"},
        label="publish",
    ),
]
