"""Write the manager's dashboard (an Odoo 18 spreadsheet dashboard) as JSON.

The dashboard is data (sales_management/data/files/sales_management_dashboard.json);
this script is where it is designed, so that a change is a reviewable diff of Python
rather than of a spreadsheet export. Run it from the repository root:

    python3 scripts/build_dashboard.py

Every figure reads a stored field through Odoo's own spreadsheet data sources
(pivots and graph charts): the scorecards (sales against target and collection,
month by month, the ranking), the credit statuses (overdue), the visits and the
complaints.
"""

import json
from pathlib import Path

TARGET = (
    Path(__file__).resolve().parent.parent / "sales_management" / "data" / "files" / "sales_management_dashboard.json"
)

YEAR_FILTER = "6f1d2b9e-5a43-4c1e-9a6b-3b2f5e1c0a01"
RECENT_FILTER = "6f1d2b9e-5a43-4c1e-9a6b-3b2f5e1c0a02"
OPEN_COMPLAINT_STATES = ["new", "acknowledged", "investigating", "corrective"]
MONTHS = 12
RANKED = 10


def measure(name, aggregator="sum"):
    return {"id": name, "fieldName": name, "aggregator": aggregator}


def pivot(formula_id, name, model, measures, domain=(), rows=(), date_field=None, sorted_measure=None):
    data = {
        "type": "ODOO",
        "formulaId": str(formula_id),
        "name": name,
        "model": model,
        "domain": list(domain),
        "context": {},
        "measures": measures,
        "columns": [],
        "rows": list(rows),
        "fieldMatching": {YEAR_FILTER: {"chain": date_field, "type": "date", "offset": 0}} if date_field else {},
    }
    if sorted_measure:
        data["sortedColumn"] = {"groupId": [[], []], "measure": sorted_measure, "order": "desc", "originIndexes": [0]}
    return data


PIVOTS = {
    "3b0c6a6e-0f2f-4c55-8f57-1f4f3c2a0001": pivot(
        1,
        "Scorecards by month",
        "sales.rep.scorecard",
        [measure(f) for f in ("sales_target", "sales_actual", "collection_due", "collection_collected")],
        domain=[["period_type", "=", "month"]],
        rows=[{"fieldName": "date_from", "granularity": "month", "order": "asc"}],
        date_field="date_from",
    ),
    "3b0c6a6e-0f2f-4c55-8f57-1f4f3c2a0002": pivot(
        2,
        "Credit statuses",
        "sales.credit.status",
        [measure("overdue_amount"), measure("receivable_amount")],
    ),
    "3b0c6a6e-0f2f-4c55-8f57-1f4f3c2a0003": pivot(
        3,
        "Open complaints",
        "sales.complaint",
        [{"id": "__count", "fieldName": "__count"}],
        domain=[["state", "in", OPEN_COMPLAINT_STATES]],
    ),
    "3b0c6a6e-0f2f-4c55-8f57-1f4f3c2a0004": pivot(
        4,
        "Overdue complaints",
        "sales.complaint",
        [{"id": "__count", "fieldName": "__count"}],
        domain=[["is_overdue", "=", True]],
    ),
    "3b0c6a6e-0f2f-4c55-8f57-1f4f3c2a0005": pivot(
        5,
        "Scorecard ranking",
        "sales.rep.scorecard",
        [measure("total_score", "avg"), measure("sales_rate", "avg")],
        domain=[["period_type", "=", "month"]],
        rows=[{"fieldName": "user_id"}],
        date_field="date_from",
        sorted_measure="total_score",
    ),
}


def t(text):
    """A translatable text cell."""
    return {"content": f'=_t("{text}")'}


def data_sheet():
    cells = {
        "A1": t("Month"),
        "B1": t("Target"),
        "C1": t("Sales"),
        "D1": t("Achievement"),
    }
    for n in range(1, MONTHS + 1):
        row = n + 1
        cells[f"A{row}"] = {"content": f'=PIVOT.HEADER(1,"#date_from:month",{n})'}
        cells[f"B{row}"] = {"content": f'=PIVOT.VALUE(1,"sales_target","#date_from:month",{n})'}
        cells[f"C{row}"] = {"content": f'=PIVOT.VALUE(1,"sales_actual","#date_from:month",{n})'}
        cells[f"D{row}"] = {"content": f'=IFERROR(C{row}/B{row},"")'}
    cells.update(
        {
            "A16": t("Sales this year"),
            "B16": {"content": '=PIVOT.VALUE(1,"sales_actual")'},
            "C16": {"content": '=PIVOT.VALUE(1,"sales_target")'},
            "E16": {"content": '=IFERROR(TEXT(B16/C16,"0%"),"-")&" "&_t("of the target")'},
            "A17": t("Cash collected"),
            "B17": {"content": '=PIVOT.VALUE(1,"collection_collected")'},
            "C17": {"content": '=PIVOT.VALUE(1,"collection_due")'},
            "E17": {"content": '=IFERROR(TEXT(B17/C17,"0%"),"-")&" "&_t("of the amount due")'},
            "A18": t("Overdue receivables"),
            "B18": {"content": '=PIVOT.VALUE(2,"overdue_amount")'},
            "C18": {"content": '=PIVOT.VALUE(2,"receivable_amount")'},
            "E18": {"content": '=IFERROR(TEXT(B18/C18,"0%"),"-")&" "&_t("of the receivables")'},
            "A19": t("Open complaints"),
            "B19": {"content": '=PIVOT.VALUE(3,"__count")'},
            "E19": {"content": '=PIVOT.VALUE(4,"__count")&" "&_t("overdue")'},
        }
    )
    return sheet(
        "a1c2e3f4-0000-4000-8000-00000000da7a",
        "Data",
        cells,
        cols={"0": {"size": 200}, "1": {"size": 120}, "2": {"size": 120}, "3": {"size": 120}, "4": {"size": 200}},
        formats={"B2:C13": 2, "D2:D13": 1, "B16:C18": 2},
        visible=False,
    )


def scorecard(figure_id, x, title, key_cell, baseline_cell, background):
    return {
        "id": figure_id,
        "x": x,
        "y": 10,
        "width": 250,
        "height": 105,
        "tag": "chart",
        "data": {
            "type": "scorecard",
            "title": {"text": title, "bold": True, "color": "#434343"},
            "keyValue": key_cell,
            "baseline": baseline_cell,
            "baselineMode": "text",
            "baselineColorUp": "#00A04A",
            "baselineColorDown": "#DC6965",
            "background": background,
            "humanize": True,
        },
    }


def odoo_chart(figure_id, x, y, title, chart_type, model, groupby, domain, date_field=None):
    return {
        "id": figure_id,
        "x": x,
        "y": y,
        "width": 505,
        "height": 320,
        "tag": "chart",
        "data": {
            "type": f"odoo_{chart_type}",
            "title": {"text": title},
            "background": "#FFFFFF",
            "legendPosition": "top" if chart_type == "pie" else "none",
            "metaData": {
                "groupBy": [groupby],
                "measure": "__count",
                "order": None,
                "resModel": model,
                "mode": chart_type,
            },
            "searchParams": {
                "comparison": None,
                "context": {"group_by": []},
                "domain": domain,
                "groupBy": [groupby],
                "orderBy": [],
            },
            "fieldMatching": {RECENT_FILTER: {"chain": date_field, "type": "date", "offset": 0}} if date_field else {},
        },
    }


def dashboard_sheet():
    figures = [
        scorecard("f0000001-0000-4000-8000-000000000001", 0, "Sales this year", "Data!B16", "Data!E16", "#EFF6FF"),
        scorecard("f0000001-0000-4000-8000-000000000002", 260, "Cash collected", "Data!B17", "Data!E17", "#EFF6FF"),
        scorecard(
            "f0000001-0000-4000-8000-000000000003", 520, "Overdue receivables", "Data!B18", "Data!E18", "#FFF7ED"
        ),
        scorecard("f0000001-0000-4000-8000-000000000004", 780, "Open complaints", "Data!B19", "Data!E19", "#FFF7ED"),
        {
            "id": "f0000001-0000-4000-8000-000000000005",
            "x": 0,
            "y": 140,
            "width": 1030,
            "height": 330,
            "tag": "chart",
            "data": {
                "type": "bar",
                "title": {"text": "Sales against target by month"},
                "dataSets": [{"dataRange": "Data!B1:B13"}, {"dataRange": "Data!C1:C13"}],
                "labelRange": "Data!A2:A13",
                "dataSetsHaveTitle": True,
                "legendPosition": "top",
                "stacked": False,
                "aggregated": False,
                "background": "#FFFFFF",
            },
        },
        odoo_chart(
            "f0000001-0000-4000-8000-000000000006",
            0,
            490,
            "Visits done by week (last 30 days)",
            "bar",
            "sales.visit",
            "date:week",
            [["state", "=", "done"]],
            date_field="date",
        ),
        odoo_chart(
            "f0000001-0000-4000-8000-000000000007",
            525,
            490,
            "Open complaints by category",
            "pie",
            "sales.complaint",
            "category_id",
            [["state", "in", OPEN_COMPLAINT_STATES]],
        ),
    ]
    link = json.dumps(
        {
            "viewType": "list",
            "action": {
                "domain": [["period_type", "=", "month"]],
                "context": {"group_by": []},
                "modelName": "sales.rep.scorecard",
                "views": [[False, "list"], [False, "form"], [False, "pivot"], [False, "graph"]],
            },
            "threshold": 0,
            "name": "Scorecards",
        },
        separators=(",", ":"),
    )
    top = 38  # below the charts (rows of 23 px)
    cells = {
        f"A{top}": {"content": f"[Scorecard ranking: average monthly score this year](odoo://view/{link})"},
        f"A{top + 1}": t("Salesperson"),
        f"B{top + 1}": t("Score"),
        f"C{top + 1}": t("Sales achievement (%)"),
    }
    for n in range(1, RANKED + 1):
        row = top + 1 + n
        cells[f"A{row}"] = {"content": f'=PIVOT.HEADER(5,"#user_id",{n})'}
        cells[f"B{row}"] = {"content": f'=PIVOT.VALUE(5,"total_score","#user_id",{n})'}
        cells[f"C{row}"] = {"content": f'=PIVOT.VALUE(5,"sales_rate","#user_id",{n})'}
    last = top + 1 + RANKED
    return sheet(
        "a1c2e3f4-0000-4000-8000-0000000da5b0",
        "Dashboard",
        cells,
        cols={"0": {"size": 300}, "1": {"size": 120}, "2": {"size": 180}},
        styles={f"A{top}": 1, f"A{top + 1}:C{top + 1}": 2},
        formats={f"B{top + 2}:C{last}": 3},
        borders={f"A{top + 1}:C{top + 1}": 1},
        figures=figures,
        rows=last + 5,
    )


def sheet(sheet_id, name, cells, cols=None, styles=None, formats=None, borders=None, figures=(), rows=30, visible=True):
    return {
        "id": sheet_id,
        "name": name,
        "colNumber": 8,
        "rowNumber": rows,
        "rows": {},
        "cols": cols or {},
        "merges": [],
        "cells": cells,
        "styles": styles or {},
        "formats": formats or {},
        "borders": borders or {},
        "conditionalFormats": [],
        "figures": list(figures),
        "tables": [],
        "areGridLinesVisible": False,
        "isVisible": visible,
        "headerGroups": {"ROW": [], "COL": []},
        "dataValidationRules": [],
        "comments": {},
    }


def build():
    return {
        "version": 21,
        "odooVersion": 12,
        "revisionId": "5a1e5c0d-0000-4000-8000-000000000001",
        "uniqueFigureIds": True,
        "settings": {},
        "sheets": [dashboard_sheet(), data_sheet()],
        "styles": {
            "1": {"fontSize": 16, "textColor": "#01666B", "bold": True},
            "2": {"textColor": "#434343", "bold": True, "fontSize": 11},
        },
        "formats": {"1": "0.0%", "2": "#,##0", "3": "#,##0.0"},
        "borders": {"1": {"bottom": {"style": "thin", "color": "#CCCCCC"}}},
        "pivots": PIVOTS,
        "pivotNextId": len(PIVOTS) + 1,
        "customTableStyles": {},
        "globalFilters": [
            {
                "id": YEAR_FILTER,
                "type": "date",
                "label": "Year",
                "rangeType": "fixedPeriod",
                "defaultValue": "this_year",
            },
            {
                "id": RECENT_FILTER,
                "type": "date",
                "label": "Visits",
                "rangeType": "relative",
                "defaultValue": "last_month",
            },
        ],
        "lists": {},
        "listNextId": 1,
        "chartOdooMenusReferences": {
            "f0000001-0000-4000-8000-000000000006": "sales_management.sales_visit_menu",
            "f0000001-0000-4000-8000-000000000007": "sales_management.sales_complaint_menu",
        },
    }


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")
