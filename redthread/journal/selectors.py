"""Every read of the log that reaches a user passes :meth:`PostQuerySet.visible_to`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from redthread.accounts.models import User
from redthread.accounts.typing import RequestUser
from redthread.methodology.eligibility import initiative_eligibility_rules
from redthread.methodology.models import (
    Initiative,
    InitiativeFunding,
    MethodModuleVersion,
    ModuleCategory,
    ProgramTemplate,
    TemplateStep,
    TemplateVersion,
    VersionStatus,
)
from redthread.registry.models import NutsRegion, Organisation, OrganisationKind, Person

from .models import Author, Inquiry, Page, PageSlug, Post, PostStatus


def _with_tags(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("author").prefetch_related("initiatives", "modules", "themes")


def post_public_list(*, initiative: str = "", module: str = "", theme: str = "") -> QuerySet[Post]:
    """The live posts, newest first, optionally those with one tag."""
    posts = Post.objects.live()
    if initiative:
        posts = posts.filter(initiatives__slug=initiative)
    if module:
        posts = posts.filter(modules__code=module)
    if theme:
        posts = posts.filter(themes__slug=theme)
    return _with_tags(posts).order_by("-publish_at", "-pk")


def post_get(*, user: RequestUser, slug: str) -> Post:
    """One post by its slug, if the user may read it (Post.DoesNotExist otherwise)."""
    return _with_tags(Post.objects.visible_to(user)).get(slug=slug)


def post_related(*, post: Post, limit: int = 3) -> list[Post]:
    """Live posts sharing the most tags with ``post`` (ties: the newest), among the 50
    newest that share any; a bounded number of queries whatever the log's size."""
    mine = _tag_keys(post)
    if not mine:
        return []
    shared = (
        Q(initiatives__in=[t.pk for t in post.initiatives.all()])
        | Q(modules__in=[t.pk for t in post.modules.all()])
        | Q(themes__in=[t.pk for t in post.themes.all()])
    )
    ids = list(
        Post.objects.live()
        .exclude(pk=post.pk)
        .filter(shared)
        .order_by("-publish_at", "-pk")
        .values_list("pk", flat=True)
        .distinct()[:50]
    )
    candidates = list(_with_tags(Post.objects.filter(pk__in=ids)).order_by("-publish_at", "-pk"))
    candidates.sort(key=lambda other: -len(mine & _tag_keys(other)))  # stable: newest first
    return candidates[:limit]


def _tag_keys(post: Post) -> set[tuple[str, int]]:
    return (
        {("i", t.pk) for t in post.initiatives.all()}
        | {("m", t.pk) for t in post.modules.all()}
        | {("t", t.pk) for t in post.themes.all()}
    )


def tag_label(*, initiative: str = "", module: str = "", theme: str = "") -> str:
    """The name of the tag a list is filtered by, for its heading."""
    from redthread.methodology.models import Initiative, MethodModule

    from .models import Theme

    if initiative:
        found = Initiative.objects.filter(slug=initiative).values_list("name", flat=True).first()
    elif module:
        found = MethodModule.objects.filter(code=module).values_list("code", flat=True).first()
    else:
        found = Theme.objects.filter(slug=theme).values_list("name", flat=True).first()
    return found or ""


def post_writer_list(*, user: RequestUser, status: str = "") -> QuerySet[Post]:
    """The posts the user writes (for the office: every post), optionally of one status."""
    posts = Post.objects.visible_to(user)
    if not _is_office(user):
        posts = posts.filter(Q(created_by=user) | Q(author__user=user))
    if status == "scheduled":
        posts = posts.filter(status=PostStatus.PUBLISHED, publish_at__gt=timezone.now())
    elif status:
        posts = posts.filter(status=status)
    return _with_tags(posts).order_by("-modified", "-pk")


def post_review_queue(*, user: RequestUser) -> QuerySet[Post]:
    """The posts waiting for the office's review, oldest first."""
    return (
        Post.objects.visible_to(user)
        .filter(status=PostStatus.REVIEW)
        .select_related("author")
        .order_by("modified", "pk")
    )


def post_status_counts(*, user: RequestUser) -> dict[str, Any]:
    rows = post_writer_list(user=user).order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def _is_office(user: RequestUser) -> bool:
    from redthread.accounts import predicates

    return bool(predicates.is_program_office(user))


def author_of(*, user: User) -> Author:
    """The user's byline, or an unsaved one made from its name when it has none yet (the
    byline page saves it on its first POST; a GET writes nothing)."""
    author = Author.objects.filter(user_id=user.pk).first()
    if author is None:
        author = Author(user=user, name=user.full_name or user.email)
    return author


# --- the site's editable pages --------------------------------------------------------


def page_writer_list(*, user: RequestUser) -> list[Page]:
    """Every editable page in the order the site lists them, stored or not yet written
    (an unsaved page with its default title), for the writers' list."""
    stored = {
        page.slug: page
        for page in Page.objects.visible_to(user).select_related("updated_by", "published_by")
    }
    return [
        stored.get(slug) or Page(slug=slug, title=str(label)) for slug, label in PageSlug.choices
    ]


def page_for_writer(*, user: RequestUser, slug: str) -> Page:
    """The page to edit: stored, or an unsaved one with its default title (a GET writes
    nothing). Page.DoesNotExist for a slug that is no page, or a user who is no writer."""
    if slug not in PageSlug.values:
        raise Page.DoesNotExist
    page = Page.objects.visible_to(user).filter(slug=slug).first()
    if page is None:
        if not user.has_perm("journal.edit_pages"):
            raise Page.DoesNotExist
        page = Page(slug=slug, title=str(PageSlug(slug).label))
    return page


def page_public(*, slug: str) -> Page | None:
    """The published page, or None when the office has not published it."""
    return Page.objects.live().filter(slug=slug).first()


# --- the inbox ---------------------------------------------------------------------------


def inquiry_list(
    *,
    user: RequestUser,
    handled: str = "",
    partner: int | None = None,
    kind: str = "",
    search: str = "",
) -> QuerySet[Inquiry]:
    """What visitors sent that ``user`` may read, newest first. ``handled`` is "yes",
    "no" or "" (both); ``partner`` an organisation id, 0 for those to the office."""
    inquiries = Inquiry.objects.visible_to(user)
    if handled == "yes":
        inquiries = inquiries.filter(handled_at__isnull=False)
    elif handled == "no":
        inquiries = inquiries.filter(handled_at__isnull=True)
    if partner == 0:
        inquiries = inquiries.filter(recipient__isnull=True)
    elif partner is not None:
        inquiries = inquiries.filter(recipient_id=partner)
    if kind:
        inquiries = inquiries.filter(kind=kind)
    words = search.split()[:5]
    for word in words:
        inquiries = inquiries.filter(
            Q(name__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation_name__icontains=word)
            | Q(message__icontains=word)
        )
    # Ties broken by the primary key, so that a page boundary never repeats or skips one.
    return inquiries.select_related("recipient", "initiative", "handled_by").order_by(
        "-created", "-pk"
    )


def inquiry_get(*, user: RequestUser, pk: int) -> Inquiry:
    """One inquiry the user may read (Inquiry.DoesNotExist otherwise)."""
    return (
        Inquiry.objects.visible_to(user)
        .select_related("recipient", "initiative", "engagement", "handled_by")
        .get(pk=pk)
    )


def inquiry_partner_choices(*, user: RequestUser) -> list[tuple[int, str]]:
    """The partners whose inquiries ``user`` may filter by: for the office every partner
    anything was sent to; for a partner manager none (it sees its own only)."""
    if not _is_office(user):
        return []
    rows = (
        Organisation.objects.filter(
            pk__in=Inquiry.objects.filter(recipient__isnull=False).values("recipient")
        )
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    return list(rows)


# --- the public site -------------------------------------------------------------------
# The methodology and the registry show an anonymous visitor nothing (their visible_to
# scopes are for signed-in roles), so the public pages read through these selectors of
# their own. They never reach a company: no company's name, and no figure about companies.


@dataclass
class PublicTemplate:
    """A program template as the public sees it: its published version's plan."""

    name: str
    description: str
    target_group: str
    duration_weeks: int
    #: (phase name, the names of its modules in order)
    phases: list[tuple[str, list[str]]]


@dataclass
class PublicInitiative:
    initiative: Initiative
    #: The owner, unless it is a company.
    owner: Organisation | None
    rules: list[str]
    templates: list[PublicTemplate]
    funders: list[Organisation]
    partners: list[Organisation]


def public_initiative_list() -> QuerySet[Initiative]:
    """Every initiative, the latest to start first."""
    return Initiative.objects.order_by("-start", "name", "pk")


def public_initiative_get(*, slug: str) -> PublicInitiative:
    """One initiative with what its public page shows (Initiative.DoesNotExist otherwise):
    the rules in plain Swedish, the templates' published plans, the funders (largest
    share first) and the partners; an organisation that is a company is never among them."""
    initiative = Initiative.objects.select_related("owner").get(slug=slug)
    versions = (
        TemplateVersion.objects.filter(
            template__in=initiative.templates.all(), status=VersionStatus.PUBLISHED
        )
        .prefetch_related(
            Prefetch(
                "phases__steps",
                queryset=TemplateStep.objects.select_related("module_version").order_by(
                    "order", "pk"
                ),
            )
        )
        .order_by("name", "pk")
    )
    templates = [
        PublicTemplate(
            name=version.name,
            description=version.description,
            target_group=version.target_group,
            duration_weeks=version.duration_weeks,
            phases=[
                (phase.name, [step.module_version.name for step in phase.steps.all()])
                for phase in version.phases.all()
            ],
        )
        for version in versions
    ]
    funders = [
        funding.funder
        for funding in initiative.fundings.select_related("funder")
        .exclude(funder__kind=OrganisationKind.COMPANY)
        .order_by("-amount_sek", "funder__name")
    ]
    partners = list(
        initiative.partners.exclude(kind=OrganisationKind.COMPANY).order_by("name", "pk")
    )
    return PublicInitiative(
        initiative=initiative,
        owner=None if initiative.owner.kind == OrganisationKind.COMPANY else initiative.owner,
        rules=initiative_eligibility_rules(initiative=initiative),
        templates=templates,
        funders=funders,
        partners=partners,
    )


@dataclass
class PublicRegion:
    #: The NUTS2 region's name, or "" for the partners that work across the country.
    name: str
    partners: list[Organisation]


def public_partners_by_region() -> list[PublicRegion]:
    """The partners, region by region in NUTS2 order (the eight nodes and the IUC
    companies), those without a region (working nationally) first; each partner's
    ``public_contacts`` are the people the office marked published, with no address."""
    published = Person.objects.filter(published=True).order_by("last_name", "first_name", "pk")
    partners = (
        Organisation.objects.filter(kind=OrganisationKind.PARTNER)
        .prefetch_related(Prefetch("people", queryset=published, to_attr="public_contacts"))
        .order_by("name", "pk")
    )
    by_region: dict[str, list[Organisation]] = {}
    for partner in partners:
        by_region.setdefault(partner.region, []).append(partner)
    names = dict(NutsRegion.choices)
    order = ["", *NutsRegion.values]
    return [
        PublicRegion(name=str(names.get(code, "")), partners=by_region[code])
        for code in order
        if code in by_region
    ]


def public_organisations(*, kind: str) -> QuerySet[Organisation]:
    """The stakeholders or the funders (never companies), by name."""
    if kind not in (OrganisationKind.STAKEHOLDER, OrganisationKind.FUNDER):
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=kind).order_by("name", "pk")


def public_funded_initiatives() -> dict[int, list[Initiative]]:
    """For each funder (id), the initiatives it funds, the latest first."""
    found: dict[int, list[Initiative]] = {}
    for funding in InitiativeFunding.objects.select_related("initiative").order_by(
        "-initiative__start", "initiative__name"
    ):
        found.setdefault(funding.funder_id, []).append(funding.initiative)
    return found


@dataclass
class PublicCategory:
    name: str
    #: the published versions of the category's modules, by name
    modules: list[MethodModuleVersion]


def public_methodology() -> tuple[list[PublicCategory], list[TemplateVersion]]:
    """The methodology in brief: the published method modules by category, and the
    published program templates."""
    modules = list(
        MethodModuleVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("module")
        .order_by("name", "pk")
    )
    categories = [
        PublicCategory(name=str(label), modules=[m for m in modules if m.module.category == code])
        for code, label in ModuleCategory.choices
    ]
    templates = list(
        TemplateVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("name", "pk")
    )
    return [c for c in categories if c.modules], templates


@dataclass
class ApplicationChoices:
    #: template → its published version's name
    templates: dict[ProgramTemplate, str]
    #: partner → "region – name"
    partners: dict[Organisation, str]

    @property
    def open(self) -> bool:
        return bool(self.templates and self.partners)


def public_application_choices(
    *, initiative: Initiative, today: datetime.date
) -> ApplicationChoices:
    """What an applicant chooses among: the initiative's templates with a published
    version and its partners (no choice at all once the initiative has ended)."""
    if initiative.end < today:
        return ApplicationChoices({}, {})
    versions = (
        TemplateVersion.objects.filter(
            template__in=initiative.templates.all(), status=VersionStatus.PUBLISHED
        )
        .select_related("template")
        .order_by("name", "pk")
    )
    regions = dict(NutsRegion.choices)
    partners = initiative.partners.filter(kind=OrganisationKind.PARTNER).order_by("region", "name")
    return ApplicationChoices(
        templates={version.template: version.name for version in versions},
        partners={
            partner: (
                f"{regions[partner.region]} – {partner.name}"
                if partner.region in regions
                else f"{_('Hela landet')} – {partner.name}"
            )
            for partner in partners
        },
    )
