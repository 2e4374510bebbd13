import rules

from redthread.accounts.predicates import (
    is_company_user,
    is_funder_viewer,
    is_partner_manager,
    is_partner_staff,
    is_program_office,
)

# Aggregated results: the office (all initiatives), a partner's managers (its own) and
# funders (the initiatives they fund, never personal data).
rules.add_perm("outcomes.dashboard", is_program_office | is_partner_manager | is_funder_viewer)
# Funder reports: the office and the funders themselves.
rules.add_perm("outcomes.report", is_program_office | is_funder_viewer)
# Company figures: entered by coaches and partner managers for their companies, by the
# company itself, and by the office.
rules.add_perm("outcomes.measure", is_program_office | is_partner_staff | is_company_user)
# Comparison groups and imports of figures: the office.
rules.add_perm("outcomes.manage", is_program_office)
# Figures about fewer companies than impact.SUPPRESS_BELOW, and effects by coach: those who
# work with the companies. Funders see aggregates only.
rules.add_perm("outcomes.view_small_counts", is_program_office | is_partner_manager)
# Choosing among companies for their figures: everyone with figures to enter but the company
# itself, which goes straight to its own.
rules.add_perm("outcomes.choose_company", is_program_office | is_partner_staff)
# The company's own key figures on its home.
rules.add_perm("outcomes.company_figures", is_company_user)
# The share of the partners' coaches certified, on a funder's start page (counts only,
# under disclosure control; partner managers see their own on theirs, from academy).
rules.add_perm("outcomes.coach_certification", is_funder_viewer)
