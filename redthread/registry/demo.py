from __future__ import annotations

from io import TextIOBase

from redthread.accounts import services
from redthread.accounts.models import User
from redthread.core.demo import read_data_csv, step

from .models import Municipality, Organisation, Person, UrbanRuralClassification
from .services import reference_data_load


@step("reference data", order=5)
def load_reference_data(out: TextIOBase) -> None:
    for table, count in reference_data_load().as_dict().items():
        out.write(f"  {count.total} {table} ({count.created} created, {count.updated} updated)\n")


@step("organisations", order=10)
def load_organisations(out: TextIOBase) -> None:
    rows = list(read_data_csv("demo/organisations.csv"))
    by_slug: dict[str, Organisation] = {}
    # Two passes: first every organisation, then the links between them.
    for row in rows:
        by_slug[row["slug"]], _created = Organisation.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "kind": row["kind"],
                "name": row["name"],
                "short_name": row["short_name"],
                "region": row["region"],
                "website": row["website"],
                "description": row["description"],
            },
        )
    for row in rows:
        organisation = by_slug[row["slug"]]
        host = by_slug[row["host"]] if row["host"] else None
        partner = by_slug[row["responsible_partner"]] if row["responsible_partner"] else None
        if organisation.host != host or organisation.responsible_partner != partner:
            organisation.host, organisation.responsible_partner = host, partner
            organisation.save(update_fields=["host", "responsible_partner", "modified"])
    out.write(f"  {len(rows)} organisations\n")


DEMO_PASSWORD = "demo"  # noqa: S105 - the published demo password, refused with DEBUG off  # nosec B105


@step("users", order=20)  # lives here: users join organisations, which accounts cannot import
def load_users(out: TextIOBase) -> None:
    rows = list(read_data_csv("demo/users.csv"))
    slugs = {slug for row in rows for slug in row["organisations"].split() if slug}
    ids = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "id"))
    for row in rows:
        org_ids = [ids[slug] for slug in row["organisations"].split()]
        user = User.objects.filter(email__iexact=row["email"]).first()
        if user is None:
            user = services.user_create(
                email=row["email"],
                full_name=row["full_name"],
                role=row["role"],
                password=DEMO_PASSWORD,
                organisation_ids=org_ids,
            )
        else:
            services.user_update(
                user=user,
                full_name=row["full_name"],
                role=row["role"],
                is_active=True,
                organisation_ids=org_ids,
            )
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
        out.write(f"  {row['email']} ({row['role']}) / {DEMO_PASSWORD}\n")


@step("companies", order=30)
def load_companies(out: TextIOBase) -> None:
    from .demo_companies import companies_load

    created = companies_load()
    out.write(f"  {created} demo companies created\n")


#: Municipalities of the metropolitan areas around Göteborg and Malmö (Stockholm county
#: counts whole), for the demo's approximate classification.
_DEMO_METROPOLITAN = {"1480", "1481", "1401", "1402", "1280", "1262", "1230", "1231", "1233"}


DEMO_CLASSIFICATION = "demo-ungefärlig"


@step("approximate urban-rural classification", order=8)
def load_urban_rural_demo(out: TextIOBase) -> None:
    """A crude rule, not Tillväxtanalys' classification: Stockholm county and the Göteborg
    and Malmö areas are metropolitan; a municipality whose code ends in 80–84 (the county's
    main towns) is dense; the rest rural, more remote the further north. Loaded as not
    official, so every page that shows it says it is approximate. A real installation
    imports the official file instead (`redthread import urban-rural`)."""
    from redthread.core.importing import SourceRow, Table

    from .urban_rural import urban_rural_import

    if UrbanRuralClassification.objects.filter(version=DEMO_CLASSIFICATION).exists():
        return
    north = {"SE31", "SE32", "SE33"}
    rows = []
    for number, municipality in enumerate(
        Municipality.objects.select_related("county__nuts").order_by("code"), start=2
    ):
        code, region = municipality.code, municipality.county.nuts.code
        if code.startswith("01") or code in _DEMO_METROPOLITAN:
            kind = "storstad"
        elif code[2:] in {"80", "81", "82", "83", "84"}:
            kind = "tata_avlagset" if region in north else "tata_nara"
        elif region == "SE33":
            kind = "landsbygd_mycket_avlagset"
        elif region in north:
            kind = "landsbygd_avlagset"
        else:
            kind = "landsbygd_nara"
        rows.append(SourceRow(number, [code, kind]))
    result = urban_rural_import(
        Table(headers=["Kommunkod", "Kommuntyp"], rows=rows),
        version=DEMO_CLASSIFICATION,
        source="Påhittad regel för demodata, inte Tillväxtanalys klassificering.",
        official=False,
    )
    out.write(f"  {result.report.accepted} municipalities, approximate\n")


@step("partner contacts", order=11)
def load_partner_contacts(out: TextIOBase) -> None:
    rows = list(read_data_csv("demo/partner_contacts.csv"))
    ids = dict(Organisation.objects.values_list("slug", "id"))
    for row in rows:
        Person.objects.update_or_create(
            organisation_id=ids[row["organisation"]],
            first_name=row["first_name"],
            last_name=row["last_name"],
            defaults={
                "title": row["title"],
                "email": row["email"],
                "phone": row["phone"],
                "published": row["published"] == "yes",
            },
        )
    published = sum(row["published"] == "yes" for row in rows)
    out.write(f"  {len(rows)} partner contacts ({published} on the public partner page)\n")
