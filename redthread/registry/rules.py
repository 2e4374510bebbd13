import rules

from redthread.accounts.predicates import is_company_user, is_partner_staff, is_program_office

# Who reaches the organisation list at all; which rows they see is visible_to's business.
rules.add_perm(
    "registry.view_organisations", is_program_office | is_partner_staff | is_company_user
)
