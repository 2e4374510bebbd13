import rules

from .predicates import is_admin, is_signed_in

rules.add_perm("accounts.manage_users", is_admin)
rules.add_perm("accounts.view_own_profile", is_signed_in)
