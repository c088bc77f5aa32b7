"""Reading a CSV into located text cells."""

from __future__ import annotations

from mapper.tables.read import read_table


def test_read_table_locates_rows_after_blank_lines_and_multiline_fields(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('a,b\n1,"x\ny"\n\n2,z\n')
    t = read_table(f, table="test", required=("a",))
    assert t.frame["a"].tolist() == ["1", "2"]
    assert t.lines.tolist() == [2, 5]


def test_a_semicolon_table_with_commas_in_its_cells_is_split_by_semicolons(tmp_path):
    """A dataset saved by a European spreadsheet: decimal commas, notes full of commas."""
    f = tmp_path / "incidents.csv"
    f.write_text(
        "incident_id;place;latitude;description\n"
        "a1;Turbat;26,00122;two killed, three hurt, one car burnt\n"
        "a2;Quetta;30,184;a raid, a market, an evening\n"
    )
    t = read_table(f, table="incidents", required=("incident_id",))
    assert list(t.frame.columns) == ["incident_id", "place", "latitude", "description"]
    assert t.frame["description"].tolist() == [
        "two killed, three hurt, one car burnt",
        "a raid, a market, an evening",
    ]
    assert t.rejected == []
