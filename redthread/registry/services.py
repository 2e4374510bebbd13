"""Every write to the registry: reference data, companies, people and merges."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from redthread.core.demo import read_data_csv

from .models import (
    Consent,
    ConsentPurpose,
    County,
    MergeRecord,
    Municipality,
    NutsArea,
    Organisation,
    OrganisationKind,
    Person,
    SniCode,
    SniLevel,
    SniVersion,
)

#: The shipped reference files, relative to ``redthread/data/``.
MUNICIPALITIES_FILE = "reference/municipalities.csv"
SNI2025_SECTIONS_FILE = "reference/sni2025_sections.csv"
SNI2025_CODES_FILE = "reference/sni2025_codes.csv"
SNI2007_DIVISIONS_FILE = "reference/sni2007_divisions_C.csv"


class ReferenceDataError(ValueError):
    """A reference file contradicts itself (e.g. a municipality outside its county)."""


@dataclass(frozen=True)
class TableCount:
    """One table after a load: rows in the files, and how many were created or changed."""

    total: int
    created: int
    updated: int


@dataclass(frozen=True)
class ReferenceDataCounts:
    nuts_areas: TableCount
    counties: TableCount
    municipalities: TableCount
    sni_codes: TableCount

    def as_dict(self) -> dict[str, TableCount]:
        return {
            "nuts_areas": self.nuts_areas,
            "counties": self.counties,
            "municipalities": self.municipalities,
            "sni_codes": self.sni_codes,
        }


@transaction.atomic
def reference_data_load() -> ReferenceDataCounts:
    """Loads the reference files under ``redthread/data/reference/`` into the lookup tables
    (NUTS2 areas, counties, municipalities, SNI 2025 sections and five-digit codes, SNI 2007
    manufacturing divisions).

    Callers may rely on this: it is idempotent (a second run creates and changes nothing,
    and writes no row); a row is matched by its code (SNI: version and code), so ids stay
    put and a changed name or label is updated in place; rows the files no longer hold are
    left alone, never deleted; it runs in one transaction; codes are stored as text with
    their leading zeros. It never touches the urban–rural classification, which comes only
    from importing the official file. Raises :class:`ReferenceDataError`, writing nothing,
    when the municipality file contradicts itself."""
    municipality_rows = list(read_data_csv(MUNICIPALITIES_FILE))
    nuts_names: dict[str, str] = {}
    counties: dict[str, tuple[str, str]] = {}
    for row in municipality_rows:
        code, county_code, nuts_code = row["kommunkod"], row["lanskod"], row["nuts2"]
        if not code.startswith(county_code):
            raise ReferenceDataError(f"Municipality {code} is not in county {county_code}.")
        if counties.setdefault(county_code, (row["lan"], nuts_code)) != (row["lan"], nuts_code):
            raise ReferenceDataError(f"County {county_code} has two names or NUTS2 regions.")
        if nuts_names.setdefault(nuts_code, row["nuts2_namn"]) != row["nuts2_namn"]:
            raise ReferenceDataError(f"NUTS2 region {nuts_code} has two names.")

    nuts_count = _upsert(
        NutsArea, key=("code",), rows=[{"code": c, "name": n} for c, n in nuts_names.items()]
    )
    nuts_ids = dict(NutsArea.objects.values_list("code", "id"))
    county_count = _upsert(
        County,
        key=("code",),
        rows=[
            {"code": code, "name": name, "nuts_id": nuts_ids[nuts]}
            for code, (name, nuts) in counties.items()
        ],
    )
    county_ids = dict(County.objects.values_list("code", "id"))
    municipality_count = _upsert(
        Municipality,
        key=("code",),
        rows=[
            {
                "code": row["kommunkod"],
                "name": row["kommun"],
                "county_id": county_ids[row["lanskod"]],
            }
            for row in municipality_rows
        ],
    )
    sni_count = _upsert(SniCode, key=("version", "code"), rows=_sni_rows())
    return ReferenceDataCounts(
        nuts_areas=nuts_count,
        counties=county_count,
        municipalities=municipality_count,
        sni_codes=sni_count,
    )


def _sni_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "version": SniVersion.SNI2025,
            "code": row["section"],
            "label": row["label"],
            "level": SniLevel.SECTION,
            "section": row["section"],
            "division": "",
        }
        for row in read_data_csv(SNI2025_SECTIONS_FILE)
    ]
    rows += [
        {
            "version": SniVersion.SNI2025,
            "code": row["code"],
            "label": row["label"],
            "level": SniLevel.SUBCLASS,
            "section": row["section"],
            "division": row["division"],
        }
        for row in read_data_csv(SNI2025_CODES_FILE)
    ]
    rows += [
        {
            "version": SniVersion.SNI2007,
            "code": row["division"],
            "label": row["label"],
            "level": SniLevel.DIVISION,
            "section": row["section"],
            "division": row["division"],
        }
        for row in read_data_csv(SNI2007_DIVISIONS_FILE)
    ]
    return rows


def _upsert(
    model: type[models.Model], *, key: tuple[str, ...], rows: Iterable[Mapping[str, Any]]
) -> TableCount:
    """Creates the rows not yet in ``model`` (matched on ``key``) and updates those whose
    other values differ; unchanged rows are not written."""
    existing = {
        tuple(getattr(obj, name) for name in key): obj for obj in model._default_manager.all()
    }
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    total = 0
    for row in rows:
        total += 1
        obj = existing.get(tuple(row[name] for name in key))
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = {name for name, value in row.items() if getattr(obj, name) != value}
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            to_update.append(obj)
            changed_fields |= changed
    model._default_manager.bulk_create(to_create, batch_size=500)
    if to_update:
        fields = sorted({model._meta.get_field(name).name for name in changed_fields})
        model._default_manager.bulk_update(to_update, fields, batch_size=500)
    return TableCount(total=total, created=len(to_create), updated=len(to_update))


# Companies, people and merges ------------------------------------------------------------

#: Company fields a caller may set through company_create / company_update.
COMPANY_FIELDS = frozenset(
    {
        "name",
        "short_name",
        "org_number",
        "website",
        "description",
        "municipality",
        "street_address",
        "postal_code",
        "postal_town",
        "sni_code",
        "sni_version",
        "sni_note",
        "headcount",
        "turnover_sek",
        "responsible_partner",
    }
)


def company_slug(name: str, org_number: str) -> str:
    return f"{slugify(name)[:60].strip('-') or 'foretag'}-{org_number}"


@transaction.atomic
def company_create(*, name: str, org_number: str, **facts: Any) -> Organisation:
    """Creates a company. ``org_number`` must already be normalised (10 digits, see
    ``identifiers.org_number_normalise``); a second company with the same number is refused
    by the database, so a company exists once whatever the caller forgot to check."""
    unknown = set(facts) - COMPANY_FIELDS
    if unknown:
        raise TypeError(f"company_create cannot set {sorted(unknown)}")
    company = Organisation(
        kind=OrganisationKind.COMPANY,
        name=name,
        org_number=org_number,
        slug=company_slug(name, org_number),
        **facts,
    )
    company.full_clean(exclude=["slug"])
    company.save()
    return company


@transaction.atomic
def company_update(*, company: Organisation, **facts: Any) -> Organisation:
    """Changes the given facts of a company; its slug follows a changed number."""
    unknown = set(facts) - COMPANY_FIELDS
    if unknown:
        raise TypeError(f"company_update has no field(s) {sorted(unknown)} to change")
    for name, value in facts.items():
        setattr(company, name, value)
    if "org_number" in facts:
        company.slug = company_slug(company.name, company.org_number)
    company.full_clean(exclude=["slug"])
    company.save()
    return company


@transaction.atomic
def company_merge(*, keep: Organisation, remove: Organisation, actor: Any) -> MergeRecord:
    """Merges two records of the same company into ``keep``. Everything that points at
    ``remove`` (people, memberships, and whatever later apps attach) moves to ``keep``; a
    link that ``keep`` already has is dropped rather than doubled. Empty facts of ``keep``
    are filled from ``remove``. ``remove``'s audit history stays, and a MergeRecord says
    what happened."""
    if keep.pk == remove.pk:
        raise ValueError("A company cannot be merged with itself.")
    if not (keep.is_company and remove.is_company):
        raise ValueError("Only companies are merged.")
    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for relation in Organisation._meta.related_objects:
        if relation.related_model is MergeRecord or not (
            relation.one_to_many or relation.one_to_one
        ):
            continue
        field_name = relation.field.name
        model = relation.related_model
        label = str(model._meta.verbose_name_plural)
        for row in model._base_manager.filter(**{field_name: remove}):
            setattr(row, field_name, keep)
            try:
                with transaction.atomic():
                    row.save(update_fields=[field_name])
                moved[label] = moved.get(label, 0) + 1
            except IntegrityError:
                row.delete()
                dropped[label] = dropped.get(label, 0) + 1
    filled = []
    for field in Organisation._meta.concrete_fields:
        if field.name in {"id", "slug", "kind", "created", "modified"}:
            continue
        mine, theirs = getattr(keep, field.attname), getattr(remove, field.attname)
        if mine in (None, "") and theirs not in (None, ""):
            setattr(keep, field.attname, theirs)
            filled.append(field.name)
    record = MergeRecord.objects.create(
        kept=keep,
        removed_name=remove.name,
        removed_org_number=remove.org_number,
        removed_id=remove.pk,
        merged_by=actor,
        summary={"moved": moved, "dropped_duplicates": dropped, "filled": filled},
    )
    remove.delete()
    if filled:
        keep.save()
    return record


def person_create(
    *, organisation: Organisation, first_name: str, last_name: str, **fields: Any
) -> Person:
    person = Person(organisation=organisation, first_name=first_name, last_name=last_name, **fields)
    person.full_clean()
    person.save()
    return person


def person_update(*, person: Person, **fields: Any) -> Person:
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_consents_set(
    *, person: Person, purposes: Iterable[str], actor: Any, today: datetime.date
) -> None:
    """Records the purposes the person now agrees to: a new consent for each one newly
    given, a withdrawal for each one no longer given; standing consents stay as they were."""
    wanted = {ConsentPurpose(p) for p in purposes}
    standing = {c.purpose: c for c in person.consents.filter(withdrawn_on__isnull=True)}
    for purpose, consent in standing.items():
        if purpose not in wanted:
            consent.withdrawn_on = today
            consent.save(update_fields=["withdrawn_on"])
    for purpose in wanted - set(standing):
        Consent.objects.create(
            person=person,
            purpose=purpose,
            given_on=today,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )


ANONYMISED_FIRST_NAME, ANONYMISED_LAST_NAME = "Borttagen", "kontaktperson"


@transaction.atomic
def person_consent_give(
    *, person: Person, purpose: str, today: datetime.date, actor: Any = None
) -> Consent:
    """Records that ``person`` agrees to ``purpose`` from ``today``; a consent to it that
    already stands is kept as it is (and returned), the others are left alone."""
    standing = person.consents.filter(purpose=purpose, withdrawn_on__isnull=True).first()
    if standing is not None:
        return standing
    return Consent.objects.create(
        person=person, purpose=ConsentPurpose(purpose), given_on=today, recorded_by=actor
    )


def person_anonymise(*, person: Person) -> Person:
    """Erases a contact person (GDPR article 17) but keeps the record, so what refers to
    it (an action item's owner, counts per company) keeps its meaning: name, title,
    address and phone go, consents go, and the audit trail's copies are rewritten."""
    erased = {
        "first_name": ANONYMISED_FIRST_NAME,
        "last_name": ANONYMISED_LAST_NAME,
        "title": "",
        "email": "",
        "phone": "",
        "published": False,
    }
    for name, value in erased.items():
        setattr(person, name, value)
    person.save()
    person.history.all().update(**erased)
    Consent.history.filter(person_id=person.pk).delete()
    person.consents.all().delete()
    return person


def person_delete(*, person: Person) -> None:
    """Removes a contact (a GDPR erasure of this record; the audit trail keeps who did it)."""
    person.delete()
