"""The demo's synthetic companies: about 400 fictional manufacturing SMEs over all
regions, with realistic sectors (SNI 2025 codes from the shipped list), sizes and
contacts. Deterministic: the same seed gives the same companies, so loading twice adds
nothing. Contacts get e-mail addresses under .example and the telephone numbers that the
Swedish Post and Telecom Authority reserves for fiction (070-174 06 05 to 070-174 06 99)."""

from __future__ import annotations

import random
from collections import defaultdict

from django.db import transaction
from simple_history.utils import bulk_create_with_history
from stdnum import luhn

from redthread.core.demo import read_data_csv

from .models import (
    Gender,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    SniCode,
    SniVersion,
)
from .services import company_slug

COMPANY_COUNT = 400
SEED = 2026
# Divisions where Swedish manufacturing SMEs are many, with rough weights.
DIVISION_WEIGHTS = {
    "25": 30,
    "28": 18,
    "22": 8,
    "16": 7,
    "10": 7,
    "33": 6,
    "29": 5,
    "27": 5,
    "31": 4,
    "26": 4,
    "24": 3,
    "23": 3,
    "20": 2,
    "32": 2,
    "17": 2,
    "30": 2,
}
# Headcount ranges and weights: micro, small, medium, a few large.
SIZE_RANGES = [((2, 9), 25), ((10, 49), 45), ((50, 249), 25), ((250, 600), 5)]
TITLES = ["VD", "Produktionschef", "Kvalitetschef", "Ekonomichef", "Verkstadschef", "Inköpschef"]


def _org_number(rng: random.Random, taken: set[str]) -> str:
    while True:
        body = "556" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        number = body + luhn.calc_check_digit(body)
        if number not in taken:
            taken.add(number)
            return number


def companies_load() -> int:
    """Creates the demo companies that are missing; returns how many were created."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets  # nosec B311
    parts: dict[str, list[str]] = defaultdict(list)
    for row in read_data_csv("demo/company_names.csv"):
        parts[row["kind"]].append(row["part"])
    municipalities = list(Municipality.objects.select_related("county__nuts").order_by("code"))
    partner_by_region = {
        p.region: p
        for p in Organisation.objects.filter(kind=OrganisationKind.PARTNER).exclude(region="")
    }
    codes_by_division: dict[str, list[str]] = defaultdict(list)
    for code, division in SniCode.objects.filter(
        version=SniVersion.SNI2025, division__in=list(DIVISION_WEIGHTS), level="subclass"
    ).values_list("code", "division"):
        codes_by_division[division].append(code)
    divisions = [d for d in DIVISION_WEIGHTS if codes_by_division[d]]
    weights = [DIVISION_WEIGHTS[d] for d in divisions]
    existing = set(Organisation.objects.exclude(org_number="").values_list("org_number", flat=True))
    taken: set[str] = set()  # unique within the run; the same seed gives the same numbers
    names: set[str] = set()
    planned: list[tuple[Organisation, list[Person]]] = []
    phone = 5
    for index in range(COMPANY_COUNT):
        # Every region first, then anywhere: all eight nodes get companies.
        municipality = (
            rng.choice(
                [
                    m
                    for m in municipalities
                    if m.county.nuts.code == f"SE{[11, 12, 21, 22, 23, 31, 32, 33][index]}"
                ]
            )
            if index < 8
            else rng.choice(municipalities)
        )
        name = f"{municipality.name} {rng.choice(parts['business'])} AB"
        while name in names:
            business, family = rng.choice(parts["business"]), rng.choice(parts["last"])
            name = f"{municipality.name} {business} {family} AB"
        names.add(name)
        number = _org_number(rng, taken)
        ((low, high),) = rng.choices(
            [r for r, _w in SIZE_RANGES], weights=[w for _r, w in SIZE_RANGES]
        )
        headcount = rng.randint(low, high)
        division = rng.choices(divisions, weights=weights)[0]
        company = Organisation(
            kind=OrganisationKind.COMPANY,
            name=name,
            org_number=number,
            slug=company_slug(name, number),
            municipality=municipality,
            postal_town=municipality.name,
            sni_code=rng.choice(codes_by_division[division]),
            sni_version=SniVersion.SNI2025,
            headcount=headcount,
            turnover_sek=round(headcount * rng.uniform(1.2, 2.8) * 1_000_000, -3),
            responsible_partner=partner_by_region.get(municipality.county.nuts.code),
            description="Fiktivt demoföretag.",
        )
        people = []
        for _n in range(rng.randint(1, 3)):
            gender = rng.choice([Gender.WOMAN, Gender.MAN])
            first = rng.choice(parts["first_woman" if gender == Gender.WOMAN else "first_man"])
            last = rng.choice(parts["last"])
            people.append(
                Person(
                    first_name=first,
                    last_name=last,
                    title=rng.choice(TITLES),
                    email=f"{first}.{last}@{company.slug.rsplit('-', 1)[0][:40]}.example".lower()
                    .replace("å", "a")
                    .replace("ä", "a")
                    .replace("ö", "o"),
                    phone=f"070-174 06 {phone:02d}",
                    gender=gender,
                )
            )
            phone = 5 if phone == 99 else phone + 1
        if number not in existing:
            planned.append((company, people))
    with transaction.atomic():
        created = bulk_create_with_history([c for c, _p in planned], Organisation, batch_size=500)
        by_number = {
            c.org_number: c
            for c in Organisation.objects.filter(org_number__in=[c.org_number for c in created])
        }
        people_rows = []
        for company, people in planned:
            for person in people:
                person.organisation = by_number[company.org_number]
                people_rows.append(person)
        bulk_create_with_history(people_rows, Person, batch_size=500)
    return len(created)
