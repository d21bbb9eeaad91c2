"""The feedback report workbook: a one-page summary with a chart per scale, then one printable sheet per list."""
from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.descriptors import Typed
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..errors import Problem
from ..forms.survey import Scale, ScaleQuestion
from ..infra.safefs import atomic_write
from ..ooxml.xlsx import put, wrapped_height
from .feedback import Explain, Feedback

SHEETS = {
    "fr": {"summary": "Synthèse", "problems": "Problèmes", "title": "Évaluation de la trousse : synthèse des réponses",
           "counts": "Nombre de réponses", "shares": "Part des réponses", "total": "Réponses",
           "mean": "Moyenne (1 = {worst}, {best_score} = {best})", "respondent": "Répondant", "file": "Fichier",
           "problem": "Problème", "set_aside": "Mis de côté", "yes": "oui", "no": "non", "none": "Aucune réponse"},
    "en": {"summary": "Summary", "problems": "Problems", "title": "Kit evaluation: summary of the answers",
           "counts": "Number of answers", "shares": "Share of answers", "total": "Answers",
           "mean": "Mean (1 = {worst}, {best_score} = {best})", "respondent": "Respondent", "file": "File",
           "problem": "Problem", "set_aside": "Set aside", "yes": "yes", "no": "no", "none": "No answers"},
}
# Best to worst: two greens, a neutral grey, orange, red (readable printed in grey too: light to dark ends).
COLOURS = ["1A9850", "91CF60", "BDBDBD", "FC8D59", "D73027"]
ROW_CM = 0.5           # a default row (15 points) is 0.53 cm: counting 0.5 leaves a margin under each chart
TITLE_POINTS, SCALE_TITLE_POINTS = 14, 12   # the report's title, then each scale's, above the 11-point tables
HEADER_POINTS = 45     # a table's header row: an option's name on up to three lines of its column
# The summary's columns: a question's short wording; an option's count or share; the total; the mean, whose header
# names the scale's ends
QUESTION_WIDTH, OPTION_WIDTH, TOTAL_WIDTH, MEAN_WIDTH = 34, 15, 11, 28
# A scale's chart, in cm: a band for its title and legend, a bar per question, about as wide as the tables above
CHART_BASE_CM, CHART_BAR_CM, CHART_WIDTH_CM = 3.2, 1.6, 24
CHART_GAP = 60         # the space between two bars, in % of a bar's width: bars thick enough to hold their labels
RESPONDENT_WIDTH, FILE_WIDTH = 28, 30   # the free-text lists' last two columns: who answered, and in which file
PROBLEM_WIDTHS = [40, 80, 12]           # file, problem (a sentence), set aside (yes or no)
LANDSCAPE_WIDTH = 100  # a list wider than this (in column widths) prints landscape: portrait A4 shows less
SIDE_MARGIN_INCHES = 0.4   # narrow sides: a page fitted to its width prints the tables larger


class _Labels(DataLabelList):  # type: ignore[misc]
    """Data labels whose number format is their own: openpyxl writes it without sourceLinked="0", and LibreOffice
    then shows the cells' format instead."""

    numFmt = Typed(expected_type=NumFmt, allow_none=True)
    __elements__ = DataLabelList.__elements__
    __nested__ = tuple(n for n in DataLabelList.__nested__ if n != "numFmt")


def _families(fb: Feedback) -> list[tuple[Scale, list[ScaleQuestion]]]:
    """The scale questions grouped by the scale they share, in question order."""
    families: list[tuple[Scale, list[ScaleQuestion]]] = []
    for q in fb.survey.scales:
        same = next((members for scale, members in families if scale == q.scale), None)
        if same is None:
            families.append((q.scale, [q]))
        else:
            same.append(q)
    return families


def _chart(ws: Any, title: str, options: int, first_row: int, rows: int) -> Any:
    """A stacked bar per question of the shares table at `first_row` (option names in the legend, best first,
    percentages on the bars, questions top to bottom)."""

    chart = BarChart()
    chart.type, chart.grouping, chart.overlap, chart.gapWidth = "bar", "stacked", 100, CHART_GAP
    chart.title = title
    chart.add_data(Reference(ws, min_col=2, max_col=1 + options, min_row=first_row, max_row=first_row + rows),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first_row + 1, max_row=first_row + rows))
    for series, colour in zip(chart.series, COLOURS):
        series.graphicalProperties = GraphicalProperties(solidFill=colour)
        series.graphicalProperties.line.solidFill = colour
        series.dLbls = _Labels()
        series.dLbls.showVal = True
        for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
            setattr(series.dLbls, flag, False)
        # whole percentages (the tables give tenths), no label on an empty share
        series.dLbls.numFmt = NumFmt(formatCode="0%;;;", sourceLinked=False)
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.y_axis.number_format = "0%"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # question 1 on top, as in the tables
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.height, chart.width = CHART_BASE_CM + CHART_BAR_CM * rows, CHART_WIDTH_CM
    return chart


def _summary(wb: Any, fb: Feedback, lang: str) -> None:
    """Headline, then per scale a counts table, a shares table and its chart; one landscape page."""
    t = SHEETS[lang]
    ws = wb.active
    ws.title = t["summary"]
    put(ws.cell(row=1, column=1), t["title"])
    ws.cell(row=1, column=1).font = Font(bold=True, size=TITLE_POINTS)
    put(ws.cell(row=2, column=1), fb.headline(lang))
    ws.cell(row=2, column=1).font = Font(bold=True, color="9C0006" if fb.set_aside else "000000")
    bold, header = Font(bold=True), Alignment(wrap_text=True, vertical="center", horizontal="center")
    row = 4
    for scale, questions in _families(fb):
        labels = scale.options[lang]
        put(ws.cell(row=row, column=1), scale.title[lang])
        ws.cell(row=row, column=1).font = Font(bold=True, size=SCALE_TITLE_POINTS)
        row += 1
        for caption, shares in ((t["counts"], False), (t["shares"], True)):
            mean_head = t["mean"].format(worst=labels[-1], best_score=len(labels), best=labels[0])
            heads = [caption, *labels] + ([] if shares else [t["total"], mean_head])
            for j, text in enumerate(heads, start=1):
                put(ws.cell(row=row, column=j), text)
                ws.cell(row=row, column=j).font, ws.cell(row=row, column=j).alignment = bold, header
            ws.row_dimensions[row].height = HEADER_POINTS
            for i, question in enumerate(questions, start=row + 1):
                q = fb.questions[question.number]
                put(ws.cell(row=i, column=1), question.short[lang])
                for j in range(len(labels)):
                    cell = ws.cell(row=i, column=j + 2)
                    if shares:
                        cell.value, cell.number_format = q.percentages[j] / 100, "0.0%"
                    else:
                        cell.value = q.counts[j]
                if not shares:
                    ws.cell(row=i, column=len(labels) + 2).value = q.total
                    mean = ws.cell(row=i, column=len(labels) + 3)
                    mean.value, mean.number_format = (q.mean, "0.00") if q.mean is not None else (t["none"], "@")
            if shares:
                chart = _chart(ws, scale.title[lang], len(labels), row, len(questions))
                ws.add_chart(chart, f"A{row + len(questions) + 2}")
                row += len(questions) + 3 + math.ceil(chart.height / ROW_CM)  # the rows the chart covers
            else:
                row += len(questions) + 2
    widest = max((len(scale.options[lang]) for scale, _ in _families(fb)), default=0)
    ws.column_dimensions["A"].width = QUESTION_WIDTH
    for column in range(2, widest + 2):
        ws.column_dimensions[get_column_letter(column)].width = OPTION_WIDTH
    ws.column_dimensions[get_column_letter(widest + 2)].width = TOTAL_WIDTH
    ws.column_dimensions[get_column_letter(widest + 3)].width = MEAN_WIDTH
    _print_setup(ws, landscape=True, one_page=True)
    ws.print_area = f"A1:{get_column_letter(widest + 3)}{row}"


def _listing(wb: Any, title: str, headers: list[str], widths: list[float], rows: list[list[Any]]) -> None:
    """A list sheet: bold header repeated on each printed page, wrapped text in rows tall enough to show it."""


    ws = wb.create_sheet(title)
    for j, (text, width) in enumerate(zip(headers, widths), start=1):
        put(ws.cell(row=1, column=j), text)
        ws.cell(row=1, column=j).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")  # one shared style object: openpyxl indexes it once
    for i, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            put(ws.cell(row=i, column=j), value)
            ws.cell(row=i, column=j).alignment = wrap
        ws.row_dimensions[i].height = wrapped_height(zip(values, widths))
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    _print_setup(ws, landscape=sum(widths) > LANDSCAPE_WIDTH, one_page=False)


def _print_setup(ws: Any, *, landscape: bool, one_page: bool) -> None:
    """A4, fitted to the page's width (and height, for the one-page summary)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN_INCHES


def report_xlsx(fb: Feedback, lang: str = "fr", explain: Explain = Problem.render) -> bytes:
    """The feedback report workbook, in `lang`: summary and charts first, then free text and problems (why a file
    was refused written by `explain`, in `lang`)."""
    t = SHEETS[lang]
    wb = Workbook()
    _summary(wb, fb, lang)
    for text_list in fb.survey.lists:
        columns = text_list.columns
        _listing(wb, text_list.title[lang], [c.header[lang] for c in columns] + [t["respondent"], t["file"]],
                 [c.width for c in columns] + [RESPONDENT_WIDTH, FILE_WIDTH],
                 [[x[c.key] for c in columns] + [x["respondent"], x["file"]] for x in fb.lists[text_list.key]])
    _listing(wb, t["problems"], [t["file"], t["problem"], t["set_aside"]], PROBLEM_WIDTHS,
             [[p.file, p.text(lang, explain), t["yes"] if p.set_aside else t["no"]] for p in fb.problems])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_report(fb: Feedback, out: Path, lang: str = "fr", explain: Explain = Problem.render) -> Path:
    """Write the report workbook atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, report_xlsx(fb, lang, explain))
    return out
