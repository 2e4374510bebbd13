import rules

from redthread.accounts.predicates import (
    is_company_manager,
    is_company_user,
    is_partner_manager,
    is_partner_staff,
    is_program_office,
)

# Who reaches the assessment pages; which rounds is visible_to's business.
rules.add_perm("assessments.view", is_program_office | is_partner_staff | is_company_user)
# Opening rounds, adding respondents, answering with the company, sending links.
rules.add_perm("assessments.conduct", is_program_office | is_partner_staff)
# Correcting a submitted response: the office and the partner's managers.
rules.add_perm("assessments.reopen", is_program_office | is_partner_manager)
# The company's own results on its home: company users.
rules.add_perm("assessments.company_results", is_company_user)
# The list of rounds in the menu: the staff's. The company's menu leads to its results.
rules.add_perm("assessments.browse", is_program_office | is_partner_staff)
# A company's manager invites colleagues to answer its own rounds and sees who has
# answered (never what): which rounds is visible_to's business.
rules.add_perm("assessments.invite_respondents", is_company_manager)
