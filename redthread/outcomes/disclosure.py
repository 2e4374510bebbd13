"""Disclosure control: the one rule for every output a funder or the public sees.

1. **No figure about fewer than** :data:`THRESHOLD` **companies** (primary suppression).
   A count of companies is withheld when it is 1–4; a figure computed from companies
   (hours, participants, a mean) is withheld when it rests on fewer than five.
2. **Secondary suppression**: a withheld cell must not be recoverable from its row, its
   column or a total by subtraction. In a table whose rows and columns are published with
   their totals, a line (row or column, the total cell included) that holds exactly one
   withheld cell gives that cell away: total minus the others. :func:`suppress` therefore
   withholds, in every such line, the smallest other cell too, and repeats until no line
   holds exactly one withheld cell. A total that is itself under the threshold is
   withheld, and with it every cell of its line.
3. **No company named** unless the reader is the granting authority of that company's
   aid, and then only the aid it granted (:func:`company_named`).
4. **The reason is shown** where a figure is withheld: every withheld cell carries
   :data:`REASON`.

Zero is published: "no company" describes no company. The tables are small (a few dozen
cells), so the repeat-until-stable loop is cheap; it is not an optimal (minimum-loss)
suppression pattern, only a safe one against subtraction. It does not protect against
an adversary who combines several differently cut tables (differencing across tables);
the funder outputs publish each breakdown of one population once, with the same total.

Pure Python: no Django, so that the rule is tested by itself (tests/outcomes/
test_disclosure.py, with hypothesis) and used by pages, files and the API alike.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

#: Funders and the public never see a figure about fewer companies than this.
THRESHOLD = 5

#: Why a figure is withheld, shown where it would have been (the caller translates it:
#: outcomes pages and reports use ``withheld_reason()``).
REASON = "fewer_than_threshold"


@dataclass
class Table:
    """Counts of companies by row and column, with row, column and grand totals (the
    totals are the sums; a one-dimensional breakdown is a table of one column).

    ``withheld`` holds the cells withheld: (row, column) for inner cells, (row, None) for
    a row total, (None, column) for a column total, (None, None) for the grand total."""

    rows: Sequence[Hashable]
    columns: Sequence[Hashable]
    counts: Mapping[tuple[Hashable, Hashable], int]
    withheld: set[tuple[Hashable | None, Hashable | None]] = field(default_factory=set)

    @classmethod
    def one_way(cls, counts: Mapping[str, int]) -> Table:
        """A breakdown (label → count) as a table of one column."""
        return cls(list(counts), ["n"], {(label, "n"): n for label, n in counts.items()})

    def count(self, row: Hashable | None, column: Hashable | None) -> int:
        """A cell or a total (None stands for "all")."""
        return sum(
            n
            for (r, c), n in self.counts.items()
            if (row is None or r == row) and (column is None or c == column)
        )

    def shown(self, row: Hashable | None, column: Hashable | None) -> int | None:
        """A cell or a total as published: None when withheld."""
        return None if (row, column) in self.withheld else self.count(row, column)

    def lines(self) -> list[list[tuple[Hashable | None, Hashable | None]]]:
        """Every line a reader can subtract along: each row with its total, each column
        with its total, the row totals with the grand total, and the column totals with
        it. A line's last cell is the sum of the others."""
        rows = self.rows
        columns = self.columns
        found: list[list[tuple[Hashable | None, Hashable | None]]] = []
        for row in rows:
            found.append([*((row, c) for c in columns), (row, None)])
        for column in columns:
            found.append([*((r, column) for r in rows), (None, column)])
        found.append([*((r, None) for r in rows), (None, None)])
        found.append([*((None, c) for c in columns), (None, None)])
        return found


def suppress(table: Table, threshold: int = THRESHOLD) -> Table:
    """Withholds in place (and returns) every cell and total about 1 to ``threshold`` − 1
    companies, and then, until stable, the next-smallest cell of every line that would
    otherwise give a withheld cell away. What a caller may rely on: no withheld cell can
    be computed from the published cells of any line by subtraction."""
    cells = [(r, c) for r in table.rows for c in table.columns]
    totals = [(r, None) for r in table.rows] + [(None, c) for c in table.columns]
    for key in [*cells, *totals, (None, None)]:
        if 0 < table.count(*key) < threshold:
            table.withheld.add(key)
    if (None, None) in table.withheld:
        # Everything is about fewer companies than the threshold.
        table.withheld.update([*cells, *totals])
        return table
    changed = True
    while changed:
        changed = False
        for line in table.lines():
            hidden = [key for key in line if key in table.withheld]
            if len(hidden) != 1:
                continue
            # The smallest other cell that is not zero goes too (a zero adds nothing to
            # hide behind); the line's total only when nothing else is left.
            candidates = sorted(
                (key for key in line[:-1] if key not in table.withheld and table.count(*key)),
                key=lambda key: (table.count(*key), str(key)),
            )
            if not candidates:
                candidates = [key for key in line if key not in table.withheld]
            if candidates:
                table.withheld.add(candidates[0])
                changed = True
    return table


def one_way(
    counts: Mapping[str, int], threshold: int = THRESHOLD
) -> tuple[list[tuple[str, int | None]], int | None]:
    """A breakdown (label → count) with its total, as published: (label, count or None
    when withheld) in the given order, and the total (None when withheld)."""
    table = suppress(Table.one_way(counts), threshold)
    return [(label, table.shown(label, "n")) for label in counts], table.shown(None, None)


def collapsed(
    rows: Sequence[tuple[str, int]], *, other_label: str, threshold: int = THRESHOLD
) -> list[tuple[str, int]]:
    """A breakdown for outputs that print every row as a number (the funder report's
    tables): the withheld rows are merged into one row ``other_label``, which holds at
    least ``threshold`` companies (the next-smallest rows join it until it does). An
    empty list when the whole breakdown is about fewer than ``threshold`` companies. The
    merged row reveals nothing the total does not: it is the total minus the rows shown,
    and every row in it is one of at least two."""
    total = sum(n for _label, n in rows)
    if 0 < total < threshold:
        return []
    shown, _total = one_way(dict(rows), threshold)
    merged = {label for label, n in shown if n is None}
    if not merged:
        return list(rows)
    rest = sorted((n, label) for label, n in rows if label not in merged and n)
    while sum(n for label, n in rows if label in merged) < threshold and rest:
        merged.add(rest.pop(0)[1])
    kept = [(label, n) for label, n in rows if label not in merged]
    other = sum(n for label, n in rows if label in merged)
    if other < threshold:
        return []
    return [*kept, (other_label, other)]


def enough(companies: int, threshold: int = THRESHOLD) -> bool:
    """Whether a figure resting on ``companies`` companies may be published (zero may)."""
    return companies == 0 or companies >= threshold


def company_named(*, reader_org_ids: frozenset[int], granting_authority_id: int | None) -> bool:
    """A company (its name, its organisation number, its aid) is named to a reader only
    when the reader's organisation granted the aid shown; then only that aid."""
    return granting_authority_id is not None and granting_authority_id in reader_org_ids
