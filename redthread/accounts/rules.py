import rules

from .predicates import is_admin, is_company_manager, is_program_office, is_signed_in

rules.add_perm("accounts.manage_users", is_admin)
rules.add_perm("accounts.view_own_profile", is_signed_in)
# The audit trail and people's rights under the GDPR are the program office's (the
# controller's) business; the pages are the core's, which knows no roles.
rules.add_perm("core.view_audit", is_program_office)
rules.add_perm("core.manage_privacy", is_program_office)
# A company's manager invites and removes its colleagues (within the office's limit,
# REDTHREAD_COMPANY_USERS_MAX); which company is the membership's business.
rules.add_perm("accounts.manage_company_users", is_company_manager)
