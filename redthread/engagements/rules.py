from typing import Any

import rules

from redthread.accounts.predicates import (
    is_coach,
    is_company_user,
    is_partner_manager,
    is_partner_staff,
    is_program_office,
)

# Who reaches the engagement pages; which engagements is visible_to's business.
rules.add_perm("engagements.view", is_program_office | is_partner_staff | is_company_user)
rules.add_perm("engagements.enrol", is_program_office | is_partner_manager)


@rules.predicate
def coaches_engagement(user: Any, engagement: Any) -> bool:
    """``user`` is the engagement's lead coach or one of its co-coaches."""
    if engagement is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(
        engagement.lead_coach_id == user.pk or engagement.coaches.filter(pk=user.pk).exists()
    )


# Every status move of TRANSITIONS: the office and the partner's managers.
rules.add_perm("engagements.change_status", is_program_office | is_partner_manager)
# The coach's own moves (COACH_TRANSITIONS), on an engagement it coaches.
rules.add_perm("engagements.change_own_status", is_coach & coaches_engagement)
# Coaches log sessions and action items on the engagements they can see.
rules.add_perm("engagements.log", is_program_office | is_partner_manager | is_coach)
# The picture of a partner's engagements: its managers and the office.
rules.add_perm("engagements.overview", is_program_office | is_partner_manager)
# A calendar for those who work in engagements (not the company: it sees its plan).
rules.add_perm("engagements.calendar", is_program_office | is_partner_staff)
# State aid: the office, the partner's managers and coaches (for their companies), and the
# company itself; which companies is company_get's (visible_to's) business.
rules.add_perm("engagements.state_aid", is_program_office | is_partner_staff | is_company_user)
rules.add_perm("engagements.set_rates", is_program_office)
# The company's home shows its next booked session.
rules.add_perm("engagements.next_booking", is_company_user)
# The company's own pages (its programs, action items and home): company users only; which
# company is visible_to's business.
rules.add_perm("engagements.company_view", is_company_user)
# The engagements' panel on the start page (counts of a portfolio): those who run them.
rules.add_perm("engagements.portfolio", is_program_office | is_partner_staff)
# Coaches' capacity against their load: the office (every coach) and partner managers (their
# own coaches; which is CoachProfile.visible_to's business).
rules.add_perm("engagements.coach_capacity", is_program_office | is_partner_manager)
