"""What the registry holds about a person (see ``core/privacy.py``): contact person
records with their consents. Erasure anonymises the record; contacts who left their
organisation are anonymised when the retention period after ``left_on`` has passed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redthread.core.privacy import PersonalData, Records, RetentionRule

from .models import Person
from .services import ANONYMISED_FIRST_NAME, ANONYMISED_LAST_NAME, person_anonymise


def _people(address: str) -> list[Person]:
    return list(
        Person.objects.filter(email__iexact=address)
        .select_related("organisation")
        .prefetch_related("consents")
    )


def collect(address: str) -> Records:
    records: Records = []
    for person in _people(address):
        records.append(
            {
                _("Typ"): _("Kontaktperson"),
                _("Namn"): str(person),
                _("Organisation"): person.organisation.name,
                _("Befattning"): person.title,
                _("E-postadress"): person.email,
                _("Telefon"): person.phone,
                _("Kön"): person.get_gender_display(),
                _("Slutade på organisationen"): person.left_on,
                _("Registrerad"): person.created,
            }
        )
        for consent in person.consents.all():
            records.append(
                {
                    _("Typ"): _("Samtycke"),
                    _("Ändamål"): consent.get_purpose_display(),
                    _("Givet"): consent.given_on,
                    _("Återkallat"): consent.withdrawn_on,
                }
            )
    return records


def erase(address: str) -> int:
    people = _people(address)
    for person in people:
        person_anonymise(person=person)
    return len(people)


def retention_days() -> int:
    return int(settings.REDTHREAD_DEPARTED_RETENTION_DAYS)


def apply_retention(today: datetime.date) -> int:
    """Anonymises the contact people who left their organisation more than the retention
    period ago (and are not anonymised already)."""
    cutoff = today - datetime.timedelta(days=retention_days())
    people = Person.objects.filter(left_on__lt=cutoff).exclude(
        first_name=ANONYMISED_FIRST_NAME, last_name=ANONYMISED_LAST_NAME, email=""
    )
    count = 0
    for person in people:
        person_anonymise(person=person)
        count += 1
    return count


SOURCE = PersonalData("registry", gettext_lazy("Kontaktpersoner"), collect, erase, order=20)
RETENTION = RetentionRule(
    "departed_contacts",
    gettext_lazy("Kontaktpersoner som har slutat på sin organisation anonymiseras"),
    retention_days,
    apply_retention,
    order=20,
)
