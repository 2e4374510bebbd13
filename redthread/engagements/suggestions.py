"""Coach suggestions at enrolment: coaches ranked for a company and a program, each with
the reasons for its place, so that the person enrolling can judge rather than trust."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from redthread.academy.models import CoachProfile
from redthread.academy.selectors import coach_course_competences
from redthread.methodology.models import TemplateStep, TemplateVersion
from redthread.registry.models import Organisation

from .models import Session
from .selectors import coach_load, monthly_hours


@dataclass
class Suggestion:
    profile: CoachProfile
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    free_hours: int = 0


def _experience(*, user_ids: list[int], module_ids: set[int]) -> dict[int, int]:
    """For each coach, the number of engagements in which it logged a session on one of
    ``module_ids``: the modules it has run, not only learned."""
    rows = (
        Session.objects.filter(
            coaches__in=user_ids, plan_step__module_version__module_id__in=module_ids
        )
        .values_list("coaches", "engagement_id")
        .distinct()
    )
    counts: dict[int, int] = {}
    for user_id, _engagement_id in rows:
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def coach_suggestions(
    *, company: Organisation, version: TemplateVersion, language: str = "sv", limit: int = 5
) -> list[Suggestion]:
    """The best coaches for ``company`` in ``version``: competence for the program's modules
    counts most (claimed on the profile, then trained or certified by the coach course, and
    experience from engagements in which the coach ran them), then nearness (same county,
    then same region), then free capacity against the coach's current load, and the
    language."""
    steps = list(
        TemplateStep.objects.filter(phase__version=version).select_related("module_version")
    )
    module_ids = {s.module_version.module_id for s in steps}
    program_hours = monthly_hours(version, sum(s.coach_hours for s in steps))
    county = company.municipality.county if company.municipality else None
    profiles = list(
        CoachProfile.objects.filter(user__is_active=True)
        .select_related("user", "home_partner", "county")
        .prefetch_related("modules")
    )
    user_ids = [p.user_id for p in profiles]
    planned_hours = {pk: load.hours for pk, load in coach_load(user_ids=user_ids).items()}
    course = coach_course_competences(user_ids=user_ids)
    experience = _experience(user_ids=user_ids, module_ids=module_ids)
    suggestions = []
    for profile in profiles:
        suggestion = Suggestion(profile)
        known = module_ids & {m.pk for m in profile.modules.all()}
        trained, certified = course.get(profile.user_id, (set(), set()))
        if module_ids:
            total = len(module_ids)
            share = len(known) / total
            suggestion.score += 4 * share
            suggestion.reasons.append(
                _("Behärskar %(known)d av programmets %(total)d moduler.")
                % {"known": len(known), "total": total}
            )
            # What the course attests weighs more than what a profile claims.
            if certified & module_ids:
                suggestion.score += 3 * len(certified & module_ids) / total
                suggestion.reasons.append(
                    _("Certifierad i %(count)d av programmets %(total)d moduler.")
                    % {"count": len(certified & module_ids), "total": total}
                )
            elif trained & module_ids:
                suggestion.score += 1.5 * len(trained & module_ids) / total
                suggestion.reasons.append(
                    _("Utbildad i %(count)d av programmets %(total)d moduler.")
                    % {"count": len(trained & module_ids), "total": total}
                )
            runs = experience.get(profile.user_id, 0)
            if runs:
                suggestion.score += min(runs, 5) * 0.2
                suggestion.reasons.append(
                    _("Har coachat programmets moduler i %(count)d uppdrag.") % {"count": runs}
                )
        if county is not None and profile.county_id == county.pk:
            suggestion.score += 2
            suggestion.reasons.append(
                _("Finns i samma län (%(county)s).") % {"county": county.name}
            )
        elif county is not None and profile.home_partner.region == county.nuts.code:
            suggestion.score += 1
            suggestion.reasons.append(
                _("Hempartnern finns i samma region (%(region)s).") % {"region": county.nuts.name}
            )
        load = planned_hours.get(profile.user_id, Decimal(0))
        free = Decimal(profile.capacity_hours_per_month) - load
        suggestion.free_hours = int(free)
        if free >= program_hours:
            suggestion.score += 1
            suggestion.reasons.append(
                _("Har plats: cirka %(free)d av %(capacity)d timmar i månaden lediga.")
                % {"free": int(free), "capacity": profile.capacity_hours_per_month}
            )
        else:
            suggestion.score -= 2
            suggestion.reasons.append(
                _("Fullbokad: cirka %(free)d timmar i månaden lediga, programmet behöver %(need)d.")
                % {"free": max(int(free), 0), "need": int(program_hours)}
            )
        if language in profile.languages:
            suggestion.score += 0.5
        else:
            suggestion.score -= 1
            suggestion.reasons.append(_("Talar inte det språk företaget önskar."))
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, str(s.profile.user)))
    return suggestions[:limit]
