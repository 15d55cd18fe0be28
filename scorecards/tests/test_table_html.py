"""The scorecard table's rows written in Python (scorecards.table.rows_html) print
exactly what their template (scorecards/table_rows.html) prints."""

import dataclasses

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from scorecards.table import TableRow, rows_html

ROW = TableRow(
    dealer_id=1234, url="/scorecards/dealers/1234/?period=2026-10", name="Baishun <Trading> & Co", code="B001",
    code_region_rep="B001 · 杭州市 · 张伟", region_name="杭州市", rep_name="张伟", grade="A", trend="up", arrow="↑",
    previous_grade="B", sales="12,345.60", target="10,000.00", achievement="123.5 %", growth_previous="—",
    growth_last_year="-4.2 %", penetration="3.1 %", visits_completed=3, visits_planned=4, stockouts=2,
    near_expiry=0, suggestions_followed="80.0 %", overdue_orders=2, overdue_amount="1,200.00", violations=1,
    open_requests=5,
)
VARIANTS = [
    ROW,
    dataclasses.replace(ROW, grade="", trend="", arrow="", previous_grade="", overdue_orders=0, overdue_amount="0.00"),
    dataclasses.replace(ROW, trend="", arrow=""),
    dataclasses.replace(ROW, dealer_id=7, name='"Quoted" \'name\'', rep_name="—", code_region_rep="B7 · North · —",
                        visits_completed=1234567, stockouts=10000),
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("view", ["sales", "field", "all"])
def test_the_rows_print_what_their_template_prints(view, language):
    with translation.override(language):
        for rows in ([ROW], VARIANTS, VARIANTS[1:2]):
            expected = render_to_string("scorecards/table_rows.html", {"table": rows, "view": view})
            assert rows_html(rows, view=view) == expected, (view, language)
    assert rows_html([], view=view) == ""


def test_what_a_row_shows_is_escaped():
    html = rows_html([ROW], view="all")
    assert "Baishun &lt;Trading&gt; &amp; Co" in html and "<Trading>" not in html
    assert 'data-label="Sales">12,345.60<' in html and "(2)" in html
