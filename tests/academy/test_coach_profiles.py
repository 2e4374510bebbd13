"""Coach profiles: kept on their own pages, by the coach's partner."""

from __future__ import annotations

from django.urls import reverse


def test_coach_profiles_are_kept_on_their_own_pages(world, methodology):
    from redthread.academy.models import CoachProfile

    profile = CoachProfile.objects.create(user=world.users["coach"], home_partner=world.partner)
    url = reverse("academy:coach_edit", kwargs={"pk": profile.pk})
    client = world.client("partner_manager")
    token = client.get(url).context["form"].initial["edit_token"]
    response = client.post(
        url,
        {
            "capacity_hours_per_month": "60",
            "languages": ["sv", "en"],
            "categories": ["lean"],
            "modules": [methodology["five_s"].pk],
            "county": "",
            "edit_token": token,
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.capacity_hours_per_month == 60
    assert list(profile.modules.all()) == [methodology["five_s"]]
    assert world.client("other_partner_manager").get(url).status_code == 404
    listing = world.client("coach").get(reverse("academy:coach_list")).content.decode()
    assert str(world.users["coach"]) in listing
