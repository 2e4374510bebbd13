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


rules.add_perm("academy.view_coaches", is_program_office | is_partner_staff)
rules.add_perm(
    "academy.change_profile",
    is_program_office | (is_partner_manager & manages_home_partner) | is_own_profile,
)
