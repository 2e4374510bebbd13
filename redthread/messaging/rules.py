import rules

from redthread.accounts.predicates import is_program_office, is_signed_in

# The outbox, every message and its resending: the office.
rules.add_perm("messaging.view_outbox", is_program_office)
rules.add_perm("messaging.resend", is_program_office)
# What was sent to oneself: everyone signed in.
rules.add_perm("messaging.view_own", is_signed_in)
# Sending a respondent's link by e-mail is checked by the page that shows the link.
