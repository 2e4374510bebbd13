"""The share of coaches certified: on a partner manager's start page (its own coaches) and
on a funder's (per partner, counts only, nothing about fewer than five coaches)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from redthread.academy import services
from redthread.academy.models import CoachProfile
from redthread.academy.selectors import certified_share_by_partner

from ..factories import UserFactory
from .course_fixture import course_make

HOME = reverse("core:dashboard")


def _coaches(world, setting, partner, *, coaches: int, certified: int) -> list[Any]:
    """``coaches`` coaches of ``partner`` with profiles; the first ``certified`` of them
    completed the course and hold a certificate."""
    users = []
    for index in range(coaches):
        user = UserFactory.create(
            role="coach", organisations=[partner], full_name=f"{partner.name} Coach {index}"
        )
        CoachProfile.objects.create(user=user, home_partner=partner)
        if index < certified:
            participant = services.participant_add(
                cohort=setting.cohort, user=user, partner=partner
            )
            participant.completed_on = timezone.localdate()
            participant.save()
            services.certificate_issue(participant=participant, actor=None)
        users.append(user)
    return users


def test_a_revoked_or_expired_certificate_does_not_count(world):
    setting = course_make(world)
    users = _coaches(world, setting, world.partner, coaches=3, certified=3)
    revoked = users[0].course_participations.get().certificates.get()
    services.certificate_revoke(certificate=revoked, reason="Fel.", actor=None)
    expired = users[1].course_participations.get().certificates.get()
    expired.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    expired.save()
    (share,) = certified_share_by_partner(partner_ids=[world.partner.pk])
    assert (share.coaches, share.certified, share.percent) == (3, 1, 33)


def test_a_partner_manager_sees_its_own_coaches_share_at_home(world):
    setting = course_make(world)
    _coaches(world, setting, world.partner, coaches=3, certified=1)
    _coaches(world, setting, world.other_partner, coaches=2, certified=2)
    page = world.client("partner_manager").get(HOME).content.decode()
    assert "Certifierade coacher" in page
    assert "1 av 3 coacher certifierade (33 %)" in page
    assert "IUC Annan" not in page
    other = world.client("other_partner_manager").get(HOME).content.decode()
    assert "2 av 2 coacher certifierade (100 %)" in other


def test_coaches_and_the_office_get_no_share_panel(world):
    setting = course_make(world)
    _coaches(world, setting, world.partner, coaches=2, certified=1)
    for who in ("coach", "program_manager", "admin"):
        page = world.client(who).get(HOME).content.decode()
        assert "coacher certifierade" not in page, who
        assert "Certifierade coacher hos partnerna" not in page, who


def test_a_funder_sees_the_share_per_partner_of_the_initiatives_it_funds(world, methodology):
    methodology["initiative"].partners.add(world.other_partner)
    setting = course_make(world)
    _coaches(world, setting, world.partner, coaches=10, certified=5)
    _coaches(world, setting, world.other_partner, coaches=12, certified=6)
    page = world.client("funder_viewer").get(HOME).content.decode()
    assert "Certifierade coacher hos partnerna" in page
    assert "IUC Test" in page
    assert "IUC Annan" in page
    assert '<td class="num">10</td><td class="num">5</td><td class="num">50 %</td>' in page
    assert '<td class="num">22</td><td class="num">11</td><td class="num">50 %</td>' in page
    assert "Redovisas inte" not in page
    assert "Coach 0" not in page  # no person is named


def test_a_funder_sees_no_figure_about_fewer_than_five_coaches(world, methodology):
    methodology["initiative"].partners.add(world.other_partner)
    setting = course_make(world)
    _coaches(world, setting, world.partner, coaches=10, certified=5)
    _coaches(world, setting, world.other_partner, coaches=3, certified=1)
    response = world.client("funder_viewer").get(HOME)
    page = response.content.decode()
    assert "Redovisas inte" in page
    panel = next(
        p
        for p in response.context["panels"]
        if p["template"] == "outcomes/_coach_certification_panel.html"
    )
    figures = {r["label"]: (r["coaches"], r["certified"]) for r in panel["rows"]}
    # The small partner is withheld, and so is the other (its figures and the totals
    # would give the small one away by subtraction).
    assert figures == {"IUC Annan": (None, None), "IUC Test": (None, None)}
    assert (panel["total"]["coaches"], panel["total"]["certified"]) == (13, 6)
    for figure in ('<td class="num">3</td>', '<td class="num">1</td>'):
        assert figure not in page


def test_a_funder_of_nothing_gets_no_panel(world):
    setting = course_make(world)
    _coaches(world, setting, world.partner, coaches=6, certified=6)
    page = world.client("funder_viewer").get(HOME).content.decode()
    assert "Certifierade coacher hos partnerna" not in page
