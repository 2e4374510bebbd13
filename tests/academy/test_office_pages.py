"""The office's pages that set the coach course up: create and change through the services,
refuse a stale save, ask before removing a participant or cancelling a meeting."""

from __future__ import annotations

import datetime

from django.urls import reverse

from redthread.academy.models import CoachProfile, Cohort, Course, CourseModule, Meeting
from redthread.methodology.models import MethodModule

from .course_fixture import course_complete, course_make


def test_the_office_creates_a_course_with_a_module_and_a_cohort(world):
    kata, _new = MethodModule.objects.get_or_create(code="forbattringskata", category="lean")
    client = world.client("program_manager")
    assert "Lägg upp en kurs" in client.get(reverse("academy:course_list")).content.decode()
    response = client.post(
        reverse("academy:course_create"),
        {
            "name": "Handledarkursen",
            "description": "",
            "min_attendance_percent": "70",
            "certificate_valid_months": "",
        },
    )
    course = Course.objects.get(name="Handledarkursen")
    assert response.url == reverse("academy:course_detail", args=[course.pk])
    assert course.min_attendance_percent == 70
    assert course.certificate_valid_months is None
    # The same name again, and a share over 100, are refused on the form.
    again = client.post(
        reverse("academy:course_create"),
        {"name": "Handledarkursen", "min_attendance_percent": "170"},
    )
    assert again.status_code == 200
    assert set(again.context["form"].errors) == {"name", "min_attendance_percent"}

    url = reverse("academy:course_module_create", args=[course.pk])
    assert client.get(url).context["form"].initial["position"] == 1
    client.post(
        url,
        {
            "method_module": str(kata.pk),
            "name": "Kata",
            "position": "1",
            "assignment": "Coacha en kata.",
        },
    )
    module = CourseModule.objects.get(course=course)
    assert module.method_module == kata
    twice = client.post(url, {"method_module": str(kata.pk), "name": "Igen", "position": "2"})
    assert "method_module" in twice.context["form"].errors

    cohort_url = reverse("academy:cohort_create", args=[course.pk])
    bad = client.post(
        cohort_url, {"name": "Hösten", "start_date": "2026-09-01", "end_date": "2026-08-01"}
    )
    assert "end_date" in bad.context["form"].errors
    client.post(
        cohort_url, {"name": "Hösten", "start_date": "2026-09-01", "end_date": "2026-12-01"}
    )
    cohort = Cohort.objects.get(course=course)
    page = client.get(reverse("academy:cohort_detail", args=[cohort.pk])).content.decode()
    assert "Kursomgången har inga tillfällen ännu." in page
    assert reverse("academy:meeting_create", args=[cohort.pk]) in page


def test_meetings_need_a_place_or_remote_and_teachers_are_chosen(world):
    s = course_make(world)
    client = world.client("program_manager")
    url = reverse("academy:meeting_create", args=[s.cohort.pk])
    form = client.get(url).context["form"]
    assert form.initial["teachers"] == [world.users["program_manager"].pk]
    nowhere = client.post(url, {"date": "2026-04-01", "place": "", "teachers": []})
    assert "place" in nowhere.context["form"].errors
    client.post(
        url,
        {
            "date": "2026-04-01",
            "place": "",
            "remote": "on",
            "course_module": str(s.kata.pk),
            "teachers": [str(world.users["other_coach"].pk)],
        },
    )
    meeting = Meeting.objects.get(cohort=s.cohort, date=datetime.date(2026, 4, 1))
    assert meeting.remote
    assert list(meeting.teachers.all()) == [world.users["other_coach"]]
    # The teacher it names now records attendance at it.
    attendance = reverse("academy:meeting_attendance", args=[meeting.pk])
    assert world.client("other_coach").get(attendance).status_code == 200


def test_a_stale_edit_is_refused_and_what_was_typed_stays(world):
    s = course_make(world)
    client = world.client("program_manager")
    url = reverse("academy:cohort_edit", args=[s.cohort.pk])
    token = client.get(url).context["form"].initial["edit_token"]
    # Someone else saves first.
    client.post(
        url,
        {
            "name": "Våren 2026 (ändrad)",
            "start_date": "2026-03-02",
            "end_date": "2026-05-31",
            "edit_token": token,
        },
    )
    stale = client.post(
        url,
        {
            "name": "Min version",
            "start_date": "2026-03-02",
            "end_date": "2026-05-31",
            "edit_token": token,
        },
    )
    assert stale.status_code == 200
    assert "Någon annan har sparat ändringar" in stale.content.decode()
    assert 'value="Min version"' in stale.content.decode()
    s.cohort.refresh_from_db()
    assert s.cohort.name == "Våren 2026 (ändrad)"


def test_a_meeting_edit_and_a_course_edit_save_through_the_services(world):
    s = course_make(world)
    client = world.client("program_manager")
    meeting = s.meetings[0]
    url = reverse("academy:meeting_edit", args=[meeting.pk])
    token = client.get(url).context["form"].initial["edit_token"]
    client.post(
        url,
        {
            "date": "2026-03-03",
            "place": "IUC Test, Värnamo",
            "course_module": str(s.kata.pk),
            "teachers": [str(world.users["program_manager"].pk)],
            "edit_token": token,
        },
    )
    meeting.refresh_from_db()
    assert meeting.place == "IUC Test, Värnamo"
    url = reverse("academy:course_edit", args=[s.course.pk])
    token = client.get(url).context["form"].initial["edit_token"]
    client.post(
        url,
        {
            "name": s.course.name,
            "description": "Ny text",
            "min_attendance_percent": "80",
            "certificate_valid_months": "24",
            "edit_token": token,
        },
    )
    s.course.refresh_from_db()
    assert (s.course.description, s.course.certificate_valid_months) == ("Ny text", 24)
    module_url = reverse("academy:course_module_edit", args=[s.five_s.pk])
    token = client.get(module_url).context["form"].initial["edit_token"]
    response = client.post(
        module_url,
        {
            "method_module": str(s.kata.method_module_id),  # taken by the other module
            "name": "5S",
            "position": "2",
            "edit_token": token,
        },
    )
    assert "method_module" in response.context["form"].errors


def test_participants_come_from_coach_profiles_and_removal_asks_first(world):
    s = course_make(world)
    other = CoachProfile.objects.create(
        user=world.users["other_coach"], home_partner=world.other_partner
    )
    CoachProfile.objects.create(user=world.users["coach"], home_partner=world.partner)
    client = world.client("program_manager")
    url = reverse("academy:participant_add", args=[s.cohort.pk])
    choices = [
        str(label) for _value, label in client.get(url).context["form"].fields["coach"].choices
    ]
    assert any("IUC Annan" in label for label in choices)
    assert not any("IUC Test" in label for label in choices)  # our coach takes part already
    client.post(url, {"coach": str(other.pk)})
    added = s.cohort.participants.get(user=world.users["other_coach"])
    assert added.partner == world.other_partner
    # Everyone with a profile takes part now: the page says so instead of an empty form.
    assert "Alla coacher med profil deltar redan." in client.get(url).content.decode()

    remove = reverse("academy:participant_remove", args=[added.pk])
    confirm = client.get(remove)
    assert "Det går inte att ångra." in confirm.content.decode()
    assert s.cohort.participants.filter(pk=added.pk).exists()
    client.post(remove)
    assert not s.cohort.participants.filter(pk=added.pk).exists()

    # A participant who completed the course stays.
    course_complete(s, s.teacher)
    response = client.post(
        reverse("academy:participant_remove", args=[s.participant.pk]), follow=True
    )
    assert "kan inte tas bort" in response.content.decode()
    assert s.cohort.participants.filter(pk=s.participant.pk).exists()


def test_cancelling_a_meeting_asks_first_and_takes_its_attendance(world):
    s = course_make(world)
    from redthread.academy import services

    services.attendance_record(meeting=s.meetings[1], present={s.participant.pk})
    client = world.client("program_manager")
    url = reverse("academy:meeting_cancel", args=[s.meetings[1].pk])
    page = client.get(url).content.decode()
    assert "Närvaro är registrerad för 1 deltagare" in page
    assert Meeting.objects.filter(pk=s.meetings[1].pk).exists()
    assert client.post(url).status_code == 302
    assert not Meeting.objects.filter(pk=s.meetings[1].pk).exists()
    assert s.participant.attendances.count() == 0


def test_only_the_office_sets_the_course_up(world):
    s = course_make(world, teacher=world.users["other_coach"])
    for who in ("coach", "other_coach", "partner_manager", "funder_viewer"):
        client = world.client(who)
        assert client.get(reverse("academy:course_create")).status_code == 403
        assert (
            client.post(reverse("academy:meeting_cancel", args=[s.meetings[0].pk])).status_code
            == 403
        )
    assert Meeting.objects.filter(pk=s.meetings[0].pk).exists()


def test_the_office_pages_answer_in_english(world):
    s = course_make(world)
    client = world.client("program_manager")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("academy:meeting_create", args=[s.cohort.pk])).content.decode()
    assert "New meeting in" in page
    assert "Add the meeting" in page
    confirm = client.get(reverse("academy:participant_remove", args=[s.participant.pk]))
    assert "This cannot be undone." in confirm.content.decode()
