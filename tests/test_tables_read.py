"""Reading a CSV into located text cells."""

from __future__ import annotations

from mapper.tables.read import read_table


def test_read_table_locates_rows_after_blank_lines_and_multiline_fields(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('a,b\n1,"x\ny"\n\n2,z\n')
    t = read_table(f, table="test", required=("a",))
    assert t.frame["a"].tolist() == ["1", "2"]
    assert t.lines.tolist() == [2, 5]
