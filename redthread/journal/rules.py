from typing import Any

import rules
from django.conf import settings

from redthread.accounts.predicates import (
    is_editor,
    is_partner_manager,
    is_program_office,
    organisation_ids,
)
from redthread.accounts.typing import RequestUser

from .models import PostStatus


@rules.predicate
def writes_post(user: RequestUser, post: Any) -> bool:
    return post is not None and (
        post.created_by_id == user.pk
        or (post.author.user_id is not None and post.author.user_id == user.pk)
    )


@rules.predicate
def is_editable_by_writer(user: RequestUser, post: Any) -> bool:
    """A writer changes its post while it is a draft or unpublished; once submitted it is
    the office's to review (and to send back)."""
    return post is not None and post.status in (PostStatus.DRAFT, PostStatus.UNPUBLISHED)


@rules.predicate
def review_is_off(user: RequestUser) -> bool:
    return not getattr(settings, "REDTHREAD_JOURNAL_REVIEW", True)


is_writer = is_editor | is_program_office

rules.add_perm("journal.write", is_writer)
rules.add_perm("journal.review", is_program_office)
rules.add_perm(
    "journal.change_post", is_program_office | (is_editor & writes_post & is_editable_by_writer)
)
rules.add_perm("journal.submit_post", is_writer & (is_program_office | writes_post))
# With review on (the default), only the office publishes; with it off, a writer
# publishes its own posts.
rules.add_perm(
    "journal.publish_post", is_program_office | (is_editor & review_is_off & writes_post)
)
rules.add_perm(
    "journal.unpublish_post", is_program_office | (is_editor & review_is_off & writes_post)
)

# The site's editable pages: the writers edit and preview the working copy; the office
# publishes it (and takes a page down).
rules.add_perm("journal.edit_pages", is_writer)
rules.add_perm("journal.publish_page", is_program_office)


@rules.predicate
def sent_to_own_partner(user: RequestUser, inquiry: Any) -> bool:
    return inquiry is not None and inquiry.recipient_id in organisation_ids(user)


# The inbox of what visitors sent: the office's, and each partner's managers' own part.
rules.add_perm("journal.view_inquiries", is_program_office | is_partner_manager)
rules.add_perm(
    "journal.handle_inquiry", is_program_office | (is_partner_manager & sent_to_own_partner)
)
