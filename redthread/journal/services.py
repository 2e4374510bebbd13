"""Every write of the log. Status changes lock the post's row, so two reviewers cannot
publish and unpublish at once; each save leaves a revision (simple-history) naming who."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from redthread.accounts.models import Role, User
from redthread.engagements.models import Engagement, EngagementStatus
from redthread.engagements.services import engagement_enrol
from redthread.messaging.services import message_send
from redthread.methodology.models import Initiative, ProgramTemplate
from redthread.registry.models import ConsentPurpose, Organisation, OrganisationKind, Person
from redthread.registry.services import company_create, person_consent_give, person_create

from .models import (
    Author,
    Inquiry,
    InquiryKind,
    Page,
    PageSlug,
    Post,
    PostImage,
    PostStatus,
    Theme,
)

#: Which statuses each status may move to.
TRANSITIONS: dict[str, set[str]] = {
    PostStatus.DRAFT: {PostStatus.REVIEW, PostStatus.PUBLISHED},
    PostStatus.REVIEW: {PostStatus.PUBLISHED, PostStatus.DRAFT},
    PostStatus.PUBLISHED: {PostStatus.UNPUBLISHED},
    PostStatus.UNPUBLISHED: {PostStatus.REVIEW, PostStatus.PUBLISHED, PostStatus.DRAFT},
}


def author_for_user(*, user: User) -> Author:
    """The user's byline, made from its name the first time it writes (a post needs a
    stored author; the byline page uses :func:`selectors.author_of` and saves on POST)."""
    author = Author.objects.filter(user=user).first()
    if author is None:
        author = Author.objects.create(user=user, name=user.full_name or user.email)
    return author


def themes_from_text(text: str) -> list[Theme]:
    """Themes from a comma-separated list, made when new; the same theme typed with other
    capitals is the same theme."""
    themes = []
    for raw in text.split(","):
        name = " ".join(raw.split())[:80]
        slug = slugify(name)[:80]
        if not slug:
            continue
        theme, _created = Theme.objects.get_or_create(slug=slug, defaults={"name": name})
        if theme not in themes:
            themes.append(theme)
    return themes


def _set_tags(
    post: Post, *, initiatives: Iterable[Any], modules: Iterable[Any], themes: Iterable[Theme]
) -> None:
    post.initiatives.set(list(initiatives))
    post.modules.set(list(modules))
    post.themes.set(list(themes))


def post_create(
    *,
    actor: User,
    title: str,
    slug: str,
    lead: str,
    body: str,
    author: Author | None = None,
    initiatives: Iterable[Any] = (),
    modules: Iterable[Any] = (),
    themes: Iterable[Theme] = (),
    publish_at: datetime.datetime | None = None,
) -> Post:
    """A new draft signed by ``author`` (the actor's own byline by default). A slug that
    exists is refused with a ValidationError on ``slug``."""
    if Post.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Det finns redan ett inlägg med den kortadressen.")})
    post = Post(
        title=title,
        slug=slug,
        lead=lead,
        body=body,
        author=author or author_for_user(user=actor),
        publish_at=publish_at,
        created_by=actor,
    )
    post._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    post.save()
    _set_tags(post, initiatives=initiatives, modules=modules, themes=themes)
    return post


def post_update(
    *,
    post: Post,
    actor: User,
    title: str,
    slug: str,
    lead: str,
    body: str,
    initiatives: Iterable[Any] = (),
    modules: Iterable[Any] = (),
    themes: Iterable[Theme] = (),
    publish_at: datetime.datetime | None = None,
) -> Post:
    """Saves the post's text and tags; its status is unchanged."""
    if Post.objects.filter(slug=slug).exclude(pk=post.pk).exists():
        raise ValidationError({"slug": _("Det finns redan ett inlägg med den kortadressen.")})
    post.title, post.slug, post.lead, post.body = title, slug, lead, body
    post.publish_at = publish_at
    post._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    post.save()
    _set_tags(post, initiatives=initiatives, modules=modules, themes=themes)
    return post


def _move(post: Post, *, actor: User, to_status: str, permission: str) -> Post:
    if not actor.has_perm(permission, post):
        raise PermissionDenied
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if to_status not in TRANSITIONS[locked.status]:
            raise ValidationError(
                _("Inlägget kan inte gå från %(current)s till %(target)s.")
                % {
                    "current": str(PostStatus(locked.status).label).lower(),
                    "target": str(PostStatus(to_status).label).lower(),
                }
            )
        locked.status = to_status
        if to_status == PostStatus.PUBLISHED:
            locked.publish_at = locked.publish_at or timezone.now()
            locked.published_by = actor
        locked._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
        locked.save()
    post.status, post.publish_at, post.published_by = (
        locked.status,
        locked.publish_at,
        locked.published_by,
    )
    return locked


def post_submit(*, post: Post, actor: User) -> Post:
    """Sends a draft (or an unpublished post) to the office's review queue."""
    return _move(post, actor=actor, to_status=PostStatus.REVIEW, permission="journal.submit_post")


def post_return(*, post: Post, actor: User) -> Post:
    """The office sends a post in review back to its writer as a draft."""
    return _move(post, actor=actor, to_status=PostStatus.DRAFT, permission="journal.publish_post")


def post_publish(*, post: Post, actor: User) -> Post:
    """Publishes the post: at once, or at its ``publish_at`` when that lies ahead (it is
    then scheduled and shows nowhere public before its time). With review on, only the
    office may; PermissionDenied otherwise."""
    return _move(
        post, actor=actor, to_status=PostStatus.PUBLISHED, permission="journal.publish_post"
    )


def post_unpublish(*, post: Post, actor: User) -> Post:
    """Takes a published post down; it stays, with its revisions, for the office."""
    return _move(
        post, actor=actor, to_status=PostStatus.UNPUBLISHED, permission="journal.unpublish_post"
    )


def author_update(
    *, author: Author, actor: User, name: str, title: str, photo: Any, photo_alt: str
) -> Author:
    """Saves the byline (made the first time when ``author`` is not stored yet). ``photo``
    is an uploaded file, False to remove the photo (as a cleared file input gives), or the
    stored file unchanged (None or the file itself). A replaced or removed photo's file is
    deleted once the save has committed, so a rolled-back save loses nothing."""
    stored = (
        Author.objects.filter(pk=author.pk).values_list("photo", flat=True).first()
        if author.pk
        else None
    )
    author.name, author.title, author.photo_alt = name, title, photo_alt
    if photo is False:
        author.photo = ""
        author.photo_alt = ""
    elif photo is not None:
        author.photo = photo
    author._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    author.save()
    if stored and stored != author.photo.name:
        storage = author.photo.storage
        transaction.on_commit(lambda: storage.delete(stored))
    return author


def post_image_add(*, post: Post, actor: User, image: Any, alt: str, caption: str) -> PostImage:
    """Adds a picture to a post (checked by ``forms.PostImageForm``); refused unless the
    actor may change the post."""
    if not actor.has_perm("journal.change_post", post):
        raise PermissionDenied
    return PostImage.objects.create(
        post=post, image=image, alt=alt.strip(), caption=caption.strip(), uploaded_by=actor
    )


def post_image_remove(*, image: PostImage, actor: User) -> None:
    """Removes a post's picture; its file goes once the removal has committed."""
    if not actor.has_perm("journal.change_post", image.post):
        raise PermissionDenied
    name, storage = image.image.name, image.image.storage
    image.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- the site's editable pages --------------------------------------------------------


@transaction.atomic
def page_save(*, slug: str, actor: User, title: str, body: str) -> Page:
    """Saves the page's working copy (made the first time); what the public reads stays
    as the office last published it. Each save leaves a revision naming ``actor``."""
    if slug not in PageSlug.values:
        raise ValidationError(_("Det finns ingen sådan sida."))
    page = Page.objects.select_for_update().filter(slug=slug).first() or Page(slug=slug)
    page.title, page.body, page.updated_by = title, body, actor
    page._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    page.save()
    return page


def page_publish(*, page: Page, actor: User) -> Page:
    """Publishes the working copy as it is stored now (the office only; PermissionDenied
    otherwise): the public reads it from this moment."""
    if not actor.has_perm("journal.publish_page", page):
        raise PermissionDenied
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        locked.published_title, locked.published_body = locked.title, locked.body
        locked.published_at, locked.published_by = timezone.now(), actor
        locked._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
        locked.save()
    return locked


def page_unpublish(*, page: Page, actor: User) -> Page:
    """Takes the page down: the public reads the built-in text again (the accessibility
    statement) or finds nothing. The working copy and the revisions stay."""
    if not actor.has_perm("journal.publish_page", page):
        raise PermissionDenied
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        locked.published_at, locked.published_by = None, None
        locked.published_title, locked.published_body = "", ""
        locked._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
        locked.save()
    return locked


# --- the inbox ---------------------------------------------------------------------------


def inquiry_mark_handled(*, inquiry: Inquiry, actor: User, handled: bool = True) -> Inquiry:
    """Marks what a visitor sent as handled, by ``actor`` now (or, with ``handled``
    False, as waiting again). Someone who may not handle it gets PermissionDenied; marking
    a handled one handled again keeps who did it first."""
    if not actor.has_perm("journal.handle_inquiry", inquiry):
        raise PermissionDenied
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if handled and locked.handled_at is None:
            locked.handled_at, locked.handled_by = timezone.now(), actor
        elif not handled:
            locked.handled_at, locked.handled_by = None, None
        locked.save(update_fields=["handled_at", "handled_by", "modified"])
    inquiry.handled_at, inquiry.handled_by = locked.handled_at, locked.handled_by
    return locked


# --- the public forms ------------------------------------------------------------------


def _split_name(full_name: str) -> tuple[str, str]:
    first, _space, last = full_name.strip().partition(" ")
    return first, last.strip()


def _contact_person(
    *, organisation: Organisation, name: str, email: str, today: datetime.date
) -> Person:
    """The organisation's contact with this e-mail address (made when new), with the
    consent to be answered recorded."""
    person = organisation.people.filter(email__iexact=email).first()
    if person is None:
        first, last = _split_name(name)
        person = person_create(
            organisation=organisation, first_name=first, last_name=last or "–", email=email
        )
    person_consent_give(person=person, purpose=ConsentPurpose.CONTACT, today=today)
    return person


@transaction.atomic
def application_submit(
    *,
    initiative: Initiative,
    template: ProgramTemplate,
    partner: Organisation,
    company_name: str,
    org_number: str,
    contact_name: str,
    email: str,
    message: str,
    today: datetime.date,
) -> Inquiry:
    """A company's application from the initiative's public page. The company is found by
    its organisation number (already normalised) or made, with the partner as responsible;
    the contact is found by e-mail or made, with the consent to be answered; the enrolment
    (status "applied", the conditions checked, the office told through the outbox) and
    the application as sent are stored. Refused with a ValidationError whose message may
    be shown to the applicant: it never tells a fact of the registry about the company."""
    company = Organisation.objects.filter(org_number=org_number).first()
    if company is not None and company.kind != OrganisationKind.COMPANY:
        raise ValidationError(_("Organisationsnumret hör inte till ett företag."))
    if company is None:
        company = company_create(
            name=company_name, org_number=org_number, responsible_partner=partner
        )
    elif Engagement.objects.filter(
        company=company, initiative=initiative, status__in=EngagementStatus.OPEN
    ).exists():
        raise ValidationError(
            _(
                "Företaget har redan en ansökan eller ett program i den här satsningen. "
                "Programkontoret hör av sig."
            )
        )
    person = _contact_person(organisation=company, name=contact_name, email=email, today=today)
    note = _("Ansökan via webbplatsen från %(name)s (%(email)s): %(message)s") % {
        "name": contact_name,
        "email": email,
        "message": message,
    }
    try:
        engagement, _eligibility = engagement_enrol(
            company=company,
            initiative=initiative,
            template=template,
            partner=partner,
            start_date=max(today, initiative.start),
            actor=None,
            note=note[:300],
        )
    except ValidationError as exc:
        # The reasons name the registry's facts about the company (its size, where it
        # is): the applicant is told only that it does not qualify.
        raise ValidationError(
            _(
                "Enligt programkontorets uppgifter uppfyller företaget inte villkoren för "
                "satsningen. Kontakta programkontoret om du tror att det är fel."
            )
        ) from exc
    return Inquiry.objects.create(
        kind=InquiryKind.APPLICATION,
        name=contact_name,
        email=email,
        organisation_name=company_name,
        org_number=org_number,
        message=message,
        initiative=initiative,
        engagement=engagement,
        recipient=partner,
        person=person,
        consented_at=timezone.now(),
    )


def _contact_recipients(recipient: Organisation | None) -> list[Any]:
    """Who reads a message: a partner's managers (else its published contacts' addresses);
    the office's program managers (every program manager when none belongs to an office)
    for the office, and for a partner that has no one to read it."""
    if recipient is not None:
        partner_managers = list(
            User.objects.filter(
                role=Role.PARTNER_MANAGER, is_active=True, memberships__organisation=recipient
            ).order_by("pk")
        )
        if partner_managers:
            return partner_managers
        addresses = list(
            recipient.people.filter(published=True)
            .exclude(email="")
            .order_by("pk")
            .values_list("email", flat=True)
        )
        if addresses:
            return addresses
    managers = User.objects.filter(role=Role.PROGRAM_MANAGER, is_active=True)
    office = list(
        managers.filter(memberships__organisation__kind=OrganisationKind.PROGRAM_OFFICE)
        .distinct()
        .order_by("pk")
    )
    return office or list(managers.order_by("pk"))


@transaction.atomic
def contact_submit(
    *,
    recipient: Organisation | None,
    name: str,
    email: str,
    organisation_name: str,
    message: str,
) -> Inquiry:
    """A visitor's message to the office (``recipient`` None) or to a partner: stored with
    the consent given, and forwarded through the outbox (after the commit) to those who
    read it, with the sender's address in the text to answer to; no address of ours is
    shown to the sender."""
    if recipient is not None and recipient.kind != OrganisationKind.PARTNER:
        raise ValidationError(_("Meddelanden går till programkontoret eller en partner."))
    inquiry = Inquiry.objects.create(
        kind=InquiryKind.CONTACT,
        name=name,
        email=email,
        organisation_name=organisation_name,
        message=message,
        recipient=recipient,
        consented_at=timezone.now(),
    )
    context = {
        "name": name,
        "email": email,
        "organisation_name": organisation_name,
        "message": message,
        "partner_name": recipient.name if recipient is not None else "",
    }
    for to in _contact_recipients(recipient):
        message_send(
            to=to,
            kind="contact_message",
            template="journal/email/contact",
            context=context,
            about=inquiry,
            idempotency_key=f"contact:{inquiry.pk}:{getattr(to, 'pk', to)}",
        )
    return inquiry
