from __future__ import annotations

from io import TextIOBase

from redthread.accounts import services
from redthread.accounts.models import User
from redthread.core.demo import read_data_csv, step

from .models import Organisation
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


DEMO_PASSWORD = "demo"  # noqa: S105 - the published demo password, refused with DEBUG off


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
