"""The registry of importers: what each kind of import reads, checks and writes.

An app registers its importer in ``AppConfig.ready()``; the pipeline (the job, its tasks,
its pages and ``redthread import KIND FILE``) looks it up by kind and does the rest::

    register_importer(Importer(
        kind="companies",
        label=_("Importera företag"),
        permission="registry.import_companies",
        fields=lambda: FIELDS,
        check=company_rows_check,      # (ImportRun) -> a result with .report
        write=company_rows_write,      # (result, ImportRun) -> counts, e.g. {"created": 4}
        summary=lambda result: {"created": 0},
    ))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.management.base import CommandParser
from django.utils.functional import Promise

from .files import Table
from .mapping import ImportField, guess_mapping
from .report import ImportReport

__all__ = [
    "ImportRun",
    "Importer",
    "get_importer",
    "importer_kinds",
    "register_importer",
    "unregister_importer",
]


class CheckResult(Protocol):
    """What an importer's check returns: at least the row report."""

    report: ImportReport


@dataclass
class ImportRun:
    """What a check and a write get to work with, whether from a job or the command line.

    ``options`` are the importer's own (``job.options``, or what its command-line options
    made of them); ``user`` is who uploaded the file (None on the command line: no limits
    of a role apply there)."""

    table: Table
    mapping: Mapping[int, str]
    options: dict[str, Any] = field(default_factory=dict)
    #: Who runs the import, a User (accounts sits above core); None: the command line.
    user: Any = None
    all_or_nothing: bool = True
    progress: Callable[[int, int], None] | None = None


def _no_problems(mapping: Mapping[int, str]) -> list[str]:
    return []


def _no_summary(result: Any) -> dict[str, Any]:
    return {}


def _no_context(job: Any, report: dict[str, Any]) -> dict[str, Any]:
    return {}


def _no_options(values: Mapping[str, Any]) -> dict[str, Any]:
    return {}


def _default_command_summary(report: Mapping[str, Any], dry_run: bool) -> str:
    counts = ", ".join(
        f"{key} {value}"
        for key, value in report.items()
        if key not in {"accepted", "rejected", "duplicates", "rows"} and isinstance(value, int)
    )
    return counts + (" (dry run: nothing written)" if dry_run else "")


@dataclass(frozen=True)
class Importer:
    """One kind of import.

    ``fields`` returns the fields a file may fill (a callable: they may come from the
    database, as the KPI import's one column per KPI); ``check`` checks every row of an
    :class:`ImportRun` and writes nothing, returning a result with the
    :class:`ImportReport` as ``report``; ``write`` writes that result in one transaction
    (all of it, or none when the run is all-or-nothing and a row was rejected) and
    returns its counts; ``summary`` gives the counts a check adds to the report.

    The web flow: ``start_url``/``detail_url`` are the names of the two pages (the app's
    URLs route to :mod:`redthread.core.importing.views` with ``kind``);
    ``upload_form`` adds the importer's own choices to the upload form and
    ``upload_options`` turns them into ``job.options``; ``start_template`` and
    ``detail_template`` extend the pipeline's templates; ``start_context`` and
    ``detail_context`` add to their context. The command line: ``add_arguments`` adds
    options to ``redthread import`` and ``command_options`` turns them into the run's
    options; ``command`` replaces the whole run for a kind that is not read row by row
    into a job (the urban–rural classification)."""

    kind: str
    label: str | Promise
    permission: str
    fields: Callable[[], Sequence[ImportField]] = lambda: ()
    check: Callable[[ImportRun], Any] = lambda run: None
    write: Callable[[Any, ImportRun], dict[str, int]] = lambda result, run: {}
    summary: Callable[[Any], dict[str, Any]] = _no_summary
    guess: Callable[[Sequence[str], Sequence[ImportField]], dict[int, str]] = guess_mapping
    mapping_problems: Callable[[Mapping[int, str]], list[str]] = _no_problems
    report_title: str | Promise = ""
    start_url: str = ""
    detail_url: str = ""
    start_template: str = "core/importing/start.html"
    detail_template: str = "core/importing/detail.html"
    upload_form: Callable[..., Any] | None = None
    upload_options: Callable[[Mapping[str, Any]], dict[str, Any]] = _no_options
    start_context: Callable[[Any], dict[str, Any]] = lambda request: {}
    detail_context: Callable[[Any, dict[str, Any]], dict[str, Any]] = _no_context
    add_arguments: Callable[[CommandParser], None] | None = None
    command_options: Callable[[Mapping[str, Any]], dict[str, Any]] = _no_options
    command_summary: Callable[[Mapping[str, Any], bool], str] = _default_command_summary
    command: Callable[[Table, Mapping[str, Any], Any], None] | None = None
    #: Whether a user sees every job of this kind, not only their own.
    sees_all: Callable[[Any], bool] = lambda user: False


_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> Importer:
    """Makes ``importer`` known by its kind. Registering a kind again replaces it (an app
    reloaded in a test), never adds a second one."""
    _IMPORTERS[importer.kind] = importer
    return importer


def unregister_importer(kind: str) -> None:
    _IMPORTERS.pop(kind, None)


def get_importer(kind: str) -> Importer:
    """The importer of ``kind``; KeyError for a kind no app has registered."""
    return _IMPORTERS[kind]


def importer_kinds() -> list[str]:
    return sorted(_IMPORTERS)
