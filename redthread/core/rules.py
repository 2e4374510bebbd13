import rules

# Every signed-in, active user has an overview page.
rules.add_perm("core.view_dashboard", rules.is_active)
