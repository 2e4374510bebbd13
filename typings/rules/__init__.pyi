# Typed stubs for the parts of django-rules the project uses (rules ships py.typed but leaves
# add_perm, predicate and the view decorator unannotated, which strict mypy refuses).
from rules.permissions import add_perm as add_perm
from rules.permissions import has_perm as has_perm
from rules.permissions import perm_exists as perm_exists
from rules.permissions import remove_perm as remove_perm
from rules.permissions import set_perm as set_perm
from rules.predicates import Predicate as Predicate
from rules.predicates import always_allow as always_allow
from rules.predicates import always_deny as always_deny
from rules.predicates import is_active as is_active
from rules.predicates import is_authenticated as is_authenticated
from rules.predicates import is_staff as is_staff
from rules.predicates import is_superuser as is_superuser
from rules.predicates import predicate as predicate
