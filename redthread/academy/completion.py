"""The completion rules of a course, as one pure function over what a cohort's page has
already fetched: a participant completes when it attended at least the course's share of
the cohort's meetings and a teacher approved its assignment in every course module that
has one. The rules answer with the reasons they are unmet, in words a teacher can act on."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import AssignmentStatus, Participant


@dataclass
class Progress:
    attended: int
    meetings: int
    required_percent: int
    approved: int
    assignments: int
    unmet: list[str] = field(default_factory=list)

    @property
    def attendance_percent(self) -> int:
        return round(100 * self.attended / self.meetings) if self.meetings else 0

    @property
    def complete_allowed(self) -> bool:
        return not self.unmet


def participant_progress(
    participant: Participant, *, meeting_ids: set[int], modules: list[tuple[int, str]]
) -> Progress:
    """``participant``'s progress. ``meeting_ids`` are its cohort's meetings, ``modules``
    the (id, name) of the course modules that have an assignment; the participant's
    ``attendances`` and ``assignments`` are read through ``.all()`` so a prefetch serves
    a whole cohort at once."""
    attended = sum(
        1 for a in participant.attendances.all() if a.present and a.meeting_id in meeting_ids
    )
    approved_ids = {
        a.course_module_id
        for a in participant.assignments.all()
        if a.status == AssignmentStatus.APPROVED
    }
    required = participant.cohort.course.min_attendance_percent
    progress = Progress(
        attended=attended,
        meetings=len(meeting_ids),
        required_percent=required,
        approved=sum(1 for pk, _name in modules if pk in approved_ids),
        assignments=len(modules),
    )
    if not meeting_ids:
        progress.unmet.append(_("Kursomgången har inga tillfällen ännu."))
    elif attended * 100 < required * len(meeting_ids):
        progress.unmet.append(
            _("Närvaro %(share)s %% av tillfällena; kravet är %(required)s %%.")
            % {"share": progress.attendance_percent, "required": required}
        )
    for pk, name in modules:
        if pk not in approved_ids:
            progress.unmet.append(_("Uppgiften i %(module)s är inte godkänd.") % {"module": name})
    return progress
