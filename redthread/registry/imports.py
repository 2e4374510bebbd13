"""Company lists from Excel and CSV files: the registry's importer (kind ``companies``) in
the core import pipeline, registered in :class:`~redthread.registry.apps.RegistryConfig`.

Every row gets a verdict (ok, error, duplicate, skipped) with a reason in plain Swedish and
the row number a spreadsheet shows. A company is created once: a number already in the
registry, or seen earlier in the same file, is a duplicate and never a second company."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from redthread.core.importing import (
    ImportField,
    ImportReport,
    RowVerdict,
    Table,
    parse_int,
)
from redthread.core.importing.importers import Importer, ImportRun

from .identifiers import SniCatalogue, org_number_normalise, sni_check
from .models import Municipality, Organisation, OrganisationKind, SniVersion
from .selectors import company_registered_reason
from .services import company_slug

#: The organisation number column, as every importer keyed by company reads it.
ORG_NUMBER_FIELD = ImportField(
    "org_number",
    gettext_lazy("Organisationsnummer"),
    (
        "orgnr",
        "org.nr",
        "org nr",
        "orgnummer",
        "organisationsnr",
        "org number",
        "organisation number",
        "organization number",
        "corporate identity number",
    ),
    required=True,
)

FIELDS: list[ImportField] = [
    ORG_NUMBER_FIELD,
    ImportField(
        "name",
        gettext_lazy("Företagsnamn"),
        ("namn", "företag", "bolagsnamn", "bolag", "company", "company name", "name"),
        required=True,
    ),
    ImportField(
        "municipality_code",
        gettext_lazy("Kommunkod"),
        ("kommunkod", "kommun kod", "kommunnr", "kommun nr", "municipality code"),
    ),
    ImportField("municipality_name", gettext_lazy("Kommun"), ("kommun", "municipality")),
    ImportField(
        "sni_code",
        gettext_lazy("SNI-kod"),
        (
            "sni",
            "sni kod",
            "snikod",
            "sni 2007",
            "sni2007",
            "sni 2025",
            "sni2025",
            "näringsgren",
            "branschkod",
            "nace",
            "industry code",
        ),
    ),
    ImportField("sni_version", gettext_lazy("SNI-version"), ("sni version", "sniversion")),
    ImportField(
        "headcount",
        gettext_lazy("Antal anställda"),
        ("anställda", "antal anst", "anst", "employees", "number of employees", "headcount"),
    ),
    ImportField(
        "turnover_sek",
        gettext_lazy("Omsättning (kr)"),
        ("omsättning", "omsättning kr", "nettoomsättning", "turnover", "revenue"),
    ),
    ImportField(
        "website", gettext_lazy("Webbplats"), ("webb", "hemsida", "webbadress", "website", "url")
    ),
    ImportField(
        "street_address",
        gettext_lazy("Gatuadress"),
        ("adress", "besöksadress", "postadress", "address", "street address"),
    ),
    ImportField(
        "postal_code", gettext_lazy("Postnummer"), ("postnr", "zip", "postal code", "postcode")
    ),
    ImportField("postal_town", gettext_lazy("Postort"), ("ort", "stad", "city", "town")),
    ImportField(
        "partner",
        gettext_lazy("Ansvarig partner"),
        ("partner", "nod", "region nod", "iuc", "responsible partner"),
    ),
]
FIELD_LABELS = {f.key: f.label for f in FIELDS}


@dataclass
class CompanyImportOptions:
    #: The SNI version of codes in a file without an SNI-version column.
    sni_version: str = SniVersion.SNI2007
    #: The partner made responsible when a row names none (or the only one allowed).
    default_partner: Organisation | None = None
    #: The partners a row may name; None: any partner.
    allowed_partners: list[Organisation] | None = None
    #: Who imports: a registered company it may not see is never named. None: the
    #: command line, which sees every company.
    importer: Any = None


@dataclass
class CompanyImportResult:
    report: ImportReport
    #: The companies ready to write, by row number (only rows with status ok).
    companies: dict[int, Organisation] = field(default_factory=dict)


class _Lookups:
    """Reference data read once per import, not once per row."""

    def __init__(self) -> None:
        municipalities = list(Municipality.objects.all())
        self.by_code = {m.code: m for m in municipalities}
        self.by_name = {_municipality_key(m.name): m for m in municipalities}
        self.sni = SniCatalogue.load()
        self.existing = dict(
            Organisation.objects.exclude(org_number="").values_list("org_number", "name")
        )
        partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER)
        self.partners: dict[str, Organisation] = {}
        for partner in partners:
            for key in (partner.name, partner.short_name, partner.slug):
                if key:
                    self.partners[key.casefold()] = partner


def _municipality_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _municipality_by_name(lookups: _Lookups, name: str) -> Municipality | None:
    """The municipality a row names: "Gnosjö", "Gnosjö kommun", "Stockholms kommun"."""
    key = _municipality_key(name)
    for candidate in (key, key.removesuffix(" kommun"), key.removesuffix("s kommun")):
        if candidate in lookups.by_name:
            return lookups.by_name[candidate]
    return None


def _row_values(values: list[str], mapping: Mapping[int, str]) -> dict[str, str]:
    return {
        key: values[index].strip() if index < len(values) else "" for index, key in mapping.items()
    }


def company_rows_check(
    table: Table,
    mapping: Mapping[int, str],
    options: CompanyImportOptions,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> CompanyImportResult:
    """Checks every row and builds (unsaved) companies for the good ones. Writes nothing."""
    lookups = _Lookups()
    result = CompanyImportResult(report=ImportReport(rows=[]))
    seen: dict[str, int] = {}
    total = len(table.rows)
    url_validator = URLValidator()
    for position, source in enumerate(table.rows, start=1):
        if progress and position % 200 == 0:
            progress(position, total)
        if source.is_blank:
            result.report.rows.append(RowVerdict(source.number, "skipped", _("Tom rad.")))
            continue
        values = _row_values(source.values, mapping)
        raw_number = values.get("org_number", "")
        try:
            number = org_number_normalise(raw_number)
        except ValidationError as error:
            result.report.rows.append(
                RowVerdict(source.number, "error", " ".join(error.messages), raw_number)
            )
            continue
        if number in seen:
            result.report.rows.append(
                RowVerdict(
                    source.number,
                    "duplicate",
                    _("Samma organisationsnummer som rad %(row)d i filen.") % {"row": seen[number]},
                    number,
                )
            )
            continue
        seen[number] = source.number
        if number in lookups.existing:
            result.report.rows.append(
                RowVerdict(
                    source.number,
                    "duplicate",
                    company_registered_reason(user=options.importer, org_number=number),
                    number,
                )
            )
            continue
        problems: list[str] = []
        company = _company_from_row(values, number, options, lookups, url_validator, problems)
        if problems:
            result.report.rows.append(
                RowVerdict(source.number, "error", " ".join(problems), number)
            )
            continue
        result.report.rows.append(RowVerdict(source.number, "ok", "", number))
        result.companies[source.number] = company
    if progress:
        progress(total, total)
    return result


def _company_from_row(
    values: dict[str, str],
    number: str,
    options: CompanyImportOptions,
    lookups: _Lookups,
    url_validator: URLValidator,
    problems: list[str],
) -> Organisation:
    name = values.get("name", "")
    if not name:
        problems.append(_("Företagsnamn saknas."))
    company = Organisation(
        kind=OrganisationKind.COMPANY,
        name=name[:200],
        org_number=number,
        slug=company_slug(name, number),
        street_address=values.get("street_address", "")[:200],
        postal_code=values.get("postal_code", "").replace(" ", "")[:6],
        postal_town=values.get("postal_town", "")[:100],
        responsible_partner=options.default_partner,
    )
    if len(name) > 200:
        problems.append(_("Företagsnamnet är längre än 200 tecken."))
    company.municipality = _municipality(values, lookups, problems)
    for key, attribute in (("headcount", "headcount"), ("turnover_sek", "turnover_sek")):
        text = values.get(key, "")
        if not text:
            continue
        try:
            number_value = parse_int(text)
        except ValueError as error:
            problems.append(f"{FIELD_LABELS[key]}: {error}")
            continue
        if number_value < 0:
            problems.append(
                _("Värdet i %(field)s får inte vara negativt: %(value)s")
                % {"field": FIELD_LABELS[key], "value": text}
            )
        else:
            setattr(company, attribute, number_value)
    sni = values.get("sni_code", "")
    if sni:
        version = values.get("sni_version", "") or options.sni_version
        version = "2025" if "2025" in version else "2007" if "2007" in version else version
        try:
            checked = sni_check(sni, version, lookups.sni)
        except ValidationError as error:
            problems.append(" ".join(error.messages))
        else:
            company.sni_code, company.sni_version, company.sni_note = (
                checked.code,
                checked.version,
                checked.note,
            )
    website = values.get("website", "")
    if website:
        if "://" not in website:
            website = f"https://{website}"
        try:
            url_validator(website)
            company.website = website[:200]
        except ValidationError:
            problems.append(_("Ogiltig webbadress: %(value)s") % {"value": values["website"]})
    partner_name = values.get("partner", "")
    if partner_name:
        partner = lookups.partners.get(partner_name.casefold())
        if partner is None:
            problems.append(_("Okänd partner: %(name)s.") % {"name": partner_name})
        elif options.allowed_partners is not None and partner not in options.allowed_partners:
            problems.append(
                _("Du kan bara importera företag till din egen partner, inte %(name)s.")
                % {"name": partner.name}
            )
        else:
            company.responsible_partner = partner
    return company


def _municipality(
    values: dict[str, str], lookups: _Lookups, problems: list[str]
) -> Municipality | None:
    """The row's municipality by its code, its name, or both. When the row has both and
    they name different municipalities, the row is rejected naming both: a guess at which
    of them is wrong would put the company in the wrong place without anyone noticing."""
    code = values.get("municipality_code", "")
    name = values.get("municipality_name", "")
    by_code = by_name = None
    if code:
        digits = code.split(".")[0] if code.endswith(".0") else code
        # Excel drops the leading zero of Stockholm county's codes (0180 → 180).
        digits = digits.zfill(4) if digits.isdigit() and len(digits) == 3 else digits
        by_code = lookups.by_code.get(digits)
        if by_code is None:
            problems.append(_("Okänd kommunkod: %(code)s.") % {"code": code})
            return None
    if name:
        by_name = _municipality_by_name(lookups, name)
        if by_code is not None and by_name != by_code:
            problems.append(
                _(
                    "Kommunkoden och kommunen stämmer inte överens: kommunkod %(code)s är "
                    "%(code_name)s, men kommunen är angiven som %(name)s. Rätta den ena."
                )
                % {"code": code, "code_name": by_code.name, "name": name}
            )
            return None
        if by_name is None:
            problems.append(_("Okänd kommun: %(name)s.") % {"name": name})
    return by_code or by_name


@transaction.atomic
def company_rows_write(result: CompanyImportResult, *, all_or_nothing: bool) -> int:
    """Writes the good rows in one transaction: all of them or none. In all-or-nothing mode
    a single rejected row writes nothing. Returns the number of companies created."""
    if all_or_nothing and result.report.rejected:
        return 0
    companies = [result.companies[row] for row in sorted(result.companies)]
    created = bulk_create_with_history(companies, Organisation, batch_size=500)
    return len(created)


# --- The registration in the import pipeline ----------------------------------------------


def company_import_options(run: ImportRun) -> CompanyImportOptions:
    """The options of a run: the SNI version and default partner chosen at upload, and
    the partners the uploader may import to (any, for the program office and the command
    line)."""
    from redthread.accounts.predicates import is_program_office, organisation_ids

    user = run.user
    partner_id = run.options.get("default_partner")
    partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER)
    allowed = None
    if user is not None and not is_program_office(user):
        allowed = list(partners.filter(pk__in=organisation_ids(user, OrganisationKind.PARTNER)))
    default = partners.filter(pk=partner_id).first() if partner_id else None
    if default is None and allowed is not None and len(allowed) == 1:
        default = allowed[0]
    return CompanyImportOptions(
        sni_version=run.options.get("sni_version", SniVersion.SNI2007),
        default_partner=default,
        allowed_partners=allowed,
        importer=user,
    )


def _check(run: ImportRun) -> CompanyImportResult:
    return company_rows_check(
        run.table, run.mapping, company_import_options(run), progress=run.progress
    )


def _write(result: CompanyImportResult, run: ImportRun) -> dict[str, int]:
    return {"created": company_rows_write(result, all_or_nothing=run.all_or_nothing)}


def _upload_options(values: Mapping[str, Any]) -> dict[str, Any]:
    partner = values.get("default_partner")
    return {
        "sni_version": values.get("sni_version") or SniVersion.SNI2007,
        "default_partner": partner.pk if partner else None,
    }


def _detail_context(job: Any, report: dict[str, Any]) -> dict[str, Any]:
    from redthread.core.models import ImportMode

    would_write = 0
    if report and not (job.mode == ImportMode.ALL_OR_NOTHING and report.get("rejected")):
        would_write = int(report.get("accepted", 0))
    return {"would_write": would_write, "field_labels": FIELD_LABELS}


def _add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--sni-version",
        choices=SniVersion.values,
        default=SniVersion.SNI2007,
        help="companies: version of SNI codes in a file without an SNI-version column",
    )
    parser.add_argument(
        "--partner", help="companies: slug of the partner made responsible by default"
    )


def _command_options(options: Mapping[str, Any]) -> dict[str, Any]:
    partner = None
    if options.get("partner"):
        partner = Organisation.objects.filter(
            kind=OrganisationKind.PARTNER, slug=options["partner"]
        ).first()
        if partner is None:
            raise CommandError(f"No partner with the slug {options['partner']!r}.")
    return {
        "sni_version": options.get("sni_version") or SniVersion.SNI2007,
        "default_partner": partner.pk if partner else None,
    }


def _command_summary(report: Mapping[str, Any], dry_run: bool) -> str:
    return f"created {report.get('created', 0)}" + (
        " (dry run: nothing written)" if dry_run else ""
    )


def company_importer() -> Importer:
    from redthread.accounts.predicates import is_program_office

    from .forms import CompanyUploadForm

    return Importer(
        kind="companies",
        label=gettext_lazy("Importera företag"),
        permission="registry.import_companies",
        fields=lambda: FIELDS,
        check=_check,
        write=_write,
        summary=lambda result: {"created": 0},
        report_title=gettext_lazy("Importrapport"),
        start_url="registry:import_start",
        detail_url="registry:import_detail",
        start_template="registry/import_start.html",
        detail_template="registry/import_detail.html",
        upload_form=CompanyUploadForm,
        upload_options=_upload_options,
        detail_context=_detail_context,
        add_arguments=_add_arguments,
        command_options=_command_options,
        command_summary=_command_summary,
        sees_all=is_program_office,
    )
