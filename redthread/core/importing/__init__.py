"""One import pipeline, whatever is imported: upload → mapping → check → run → report.

* :mod:`.files` reads an uploaded CSV or XLSX file into a :class:`Table` of text, or raises
  :class:`ImportFileError` with a message that can be shown to the user as it is;
  :mod:`.numbers` parses Swedish and English numbers in it.
* :mod:`.mapping` guesses which column feeds which :class:`ImportField` (by key, label in
  every language and aliases), checks the mapping the user confirmed, and holds the form.
* :mod:`.report` records a :class:`RowVerdict` per row in an :class:`ImportReport`, and
  offers it as an xlsx or csv download.
* :mod:`.importers` is the registry: each app registers an :class:`Importer` (its kind,
  fields, row check, row write, summary, labels, permission) in ``AppConfig.ready()``.
* :mod:`.jobs` runs an :class:`~redthread.core.models.ImportJob` through its life (the
  background tasks included) for any registered kind; :mod:`.views` are its two pages,
  and ``redthread import KIND FILE`` its command line.

Every message meant for a user is Swedish source text through gettext.
"""

from .files import (
    DEFAULT_MAX_ROWS,
    ImportFileError,
    SourceRow,
    Table,
    cell_text,
    read_table,
)
from .mapping import (
    ImportField,
    ImportMappingForm,
    guess_mapping,
    normalise_header,
    validate_mapping,
)
from .numbers import parse_int, parse_number
from .report import (
    VERDICT_LABELS,
    ImportReport,
    ImportReportDict,
    RowStatus,
    RowVerdict,
    import_report_export,
)

__all__ = [
    "DEFAULT_MAX_ROWS",
    "VERDICT_LABELS",
    "ImportField",
    "ImportFileError",
    "ImportMappingForm",
    "ImportReport",
    "ImportReportDict",
    "RowStatus",
    "RowVerdict",
    "SourceRow",
    "Table",
    "cell_text",
    "guess_mapping",
    "import_report_export",
    "normalise_header",
    "parse_int",
    "parse_number",
    "read_table",
    "validate_mapping",
]
