from typing import Any

import rules

from redthread.accounts.predicates import (
    is_partner_manager,
    is_partner_staff,
    is_program_office,
    organisation_ids,
)
from redthread.accounts.typing import RequestUser


@rules.predicate
def manages_home_partner(user: RequestUser, profile: Any) -> bool:
    return profile is not None and profile.home_partner_id in organisation_ids(user)


@rules.predicate
def is_own_profile(user: RequestUser, profile: Any) -> bool:
    return profile is not None and profile.user_id == user.pk


@rules.predicate
def teaches_cohort(user: RequestUser, cohort: Any) -> bool:
    """Whether ``user`` teaches at a meeting of ``cohort``."""
    return cohort is not None and cohort.meetings.filter(teachers=user).exists()


@rules.predicate
def teaches_participant(user: RequestUser, participant: Any) -> bool:
    return participant is not None and teaches_cohort(user, participant.cohort)


@rules.predicate
def is_own_participation(user: RequestUser, participant: Any) -> bool:
    return participant is not None and participant.user_id == user.pk


rules.add_perm("academy.view_coaches", is_program_office | is_partner_staff)
rules.add_perm(
    "academy.change_profile",
    is_program_office | (is_partner_manager & manages_home_partner) | is_own_profile,
)
# The course: the office runs it, teachers (coaches and office staff) teach its cohorts,
# partner staff take part in it and partner managers follow their own people.
rules.add_perm("academy.view_courses", is_program_office | is_partner_staff)
rules.add_perm("academy.teach_cohort", is_program_office | teaches_cohort)
rules.add_perm("academy.teach_participant", is_program_office | teaches_participant)
rules.add_perm(
    "academy.submit_assignment", is_program_office | teaches_participant | is_own_participation
)
rules.add_perm("academy.manage_certificates", is_program_office)
# The certification register: the office (every certificate) and partner managers (their
# own people's); coaches and funders see no register of named people.
rules.add_perm("academy.view_register", is_program_office | is_partner_manager)
# The share of its coaches certified, on a partner manager's start page (the office has the
# register; a funder sees the shares under disclosure control in outcomes).
rules.add_perm("academy.certified_share", is_partner_manager)
# The office sets courses up: courses, modules, cohorts, meetings and participants.
rules.add_perm("academy.manage_courses", is_program_office)
