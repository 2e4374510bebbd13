"""The disclosure rule by itself: primary and secondary suppression, and the merged rows of
the report's breakdowns."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from redthread.outcomes import disclosure
from redthread.outcomes.disclosure import THRESHOLD, Table, suppress

counts = st.integers(min_value=0, max_value=12)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    n_rows = draw(st.integers(min_value=1, max_value=5))
    n_columns = draw(st.integers(min_value=1, max_value=4))
    rows, columns = [f"r{i}" for i in range(n_rows)], [f"c{j}" for j in range(n_columns)]
    return Table(rows, columns, {(r, c): draw(counts) for r in rows for c in columns})


def _recoverable(table: Table) -> set[tuple[object, object]]:
    """The withheld cells a reader computes by subtraction along one line, repeated until
    nothing more comes out (what one recovery makes known helps the next)."""
    known = {key for line in table.lines() for key in line if key not in table.withheld}
    recovered: set[tuple[object, object]] = set()
    changed = True
    while changed:
        changed = False
        for line in table.lines():
            unknown = [key for key in line if key not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                recovered.add(unknown[0])
                changed = True
    return recovered


@settings(max_examples=400, deadline=None)
@given(tables())
def test_no_withheld_cell_can_be_worked_out_from_its_row_column_or_total(table):
    suppress(table)
    assert not _recoverable(table) & table.withheld
    for line in table.lines():
        for key in line:
            shown = table.shown(*key)
            assert shown is None or shown == 0 or shown >= THRESHOLD, (key, shown)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=3), counts, max_size=8))
def test_a_merged_breakdown_shows_no_count_under_the_threshold(breakdown):
    rows = list(breakdown.items())
    merged = disclosure.collapsed(rows, other_label="övriga")
    assert all(n == 0 or n >= THRESHOLD for _label, n in merged)
    shown = {label for label, _n in merged}
    # Nothing is both shown and merged; the published rows add up to the total, or the
    # whole breakdown is withheld.
    if merged:
        assert sum(n for _label, n in merged) == sum(breakdown.values())
    hidden = [n for label, n in rows if label not in shown]
    # A merged row never stands for one group alone.
    assert not merged or len(hidden) != 1 or hidden[0] == 0


def test_a_single_small_cell_takes_the_next_smallest_with_it():
    shown, total = disclosure.one_way({"Norr": 3, "Mitt": 6, "Syd": 20})
    assert shown == [("Norr", None), ("Mitt", None), ("Syd", 20)]
    assert total == 29


def test_a_total_under_the_threshold_withholds_everything():
    for size in (1, 2, 4):
        shown, total = disclosure.one_way({"A": size})
        assert shown == [("A", None)]
        assert total is None
        assert disclosure.collapsed([("A", size)], other_label="övriga") == []
    assert disclosure.collapsed([("A", 6)], other_label="övriga") == [("A", 6)]


def test_a_company_is_named_only_to_the_authority_that_granted_its_aid():
    assert disclosure.company_named(reader_org_ids=frozenset({7}), granting_authority_id=7)
    assert not disclosure.company_named(reader_org_ids=frozenset({7}), granting_authority_id=8)
    assert not disclosure.company_named(reader_org_ids=frozenset(), granting_authority_id=None)
