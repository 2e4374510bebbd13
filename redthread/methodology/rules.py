import rules

from redthread.accounts.predicates import is_partner_staff, is_program_office

# The office and partner staff read the methodology; the office changes it.
rules.add_perm("methodology.view", is_program_office | is_partner_staff)
rules.add_perm("methodology.change", is_program_office)
