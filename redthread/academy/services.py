from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import CoachProfile


@transaction.atomic
def coach_profile_update(*, profile: CoachProfile, modules: Any, **fields: Any) -> CoachProfile:
    """Changes a coach's profile; ``modules`` replaces the modules it masters."""
    allowed = {"county", "capacity_hours_per_month", "languages", "categories"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"coach_profile_update has no field(s) {sorted(unknown)} to change")
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    profile.modules.set(modules)
    return profile
