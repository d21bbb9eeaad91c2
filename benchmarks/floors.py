"""The physical floor of a kitgen command on a project, as one process doing the minimum with the bare libraries:
`python -m benchmarks.floors PROJECT [read FORM…] [walk FOLDER LIST] [fill JOBS]`.

Always: the interpreter starts and the project file is loaded by ruamel's C-accelerated safe loader. Then, as asked:
`read` opens each returned form with the bare library (openpyxl read-only for .xlsx, every sheet's every row;
zipfile + lxml for .docx, every table cell's text); `walk` lists FOLDER with os.scandir and reads each file named in
LIST (the new ones); `fill` renders each prepared job (a pickled context or rows, and its template) with docxtpl or
openpyxl and saves it to memory. Nothing of kitgen is imported.
"""
from __future__ import annotations

import io
import os
import pickle
import sys
from pathlib import Path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Printed(list):  # type: ignore[type-arg]
    """A list in a prepared context that prints as the text kitgen's context printed (a list in prose)."""

    text = ""

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(self.text))


class PrintedNumber(float):
    """A number in a prepared context that prints as kitgen's context printed it (by locale)."""

    text = ""

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        return self.text


def printed(kind: type, value: object, text: str) -> object:
    """Rebuilds a Printed list or number from a pickle."""
    out = kind(value)
    out.text = text
    return out


def load(project: str) -> object:
    from ruamel.yaml import YAML

    with open(project, encoding="utf-8") as f:
        return YAML(typ="safe", pure=False).load(f.read())


def read(paths: list[str]) -> None:
    for path in paths:
        if path.endswith(".xlsx"):
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
            for ws in wb.worksheets:
                for _ in ws.iter_rows(values_only=True):
                    pass
            wb.close()
        else:
            import zipfile

            from lxml import etree

            with zipfile.ZipFile(path) as zf:
                root = etree.fromstring(zf.read("word/document.xml"))
            for tc in root.iter(W + "tc"):
                "".join(t.text or "" for t in tc.iter(W + "t"))


def walk(folder: str, new_list: str) -> int:
    seen, stack = 0, [folder]
    while stack:
        for entry in os.scandir(stack.pop()):
            if entry.is_dir():
                stack.append(entry.path)
            else:
                seen += 1
    for path in Path(new_list).read_text(encoding="utf-8").splitlines():
        with open(path, "rb") as f:
            f.read(64 * 1024)
    return seen


def fill(jobs_file: str) -> None:
    """Each job: ("docx", template, context) or ("xlsx", template, sheet, rows of {column: value})."""
    with open(jobs_file, "rb") as f:
        jobs = pickle.load(f)
    for job in jobs:
        buf = io.BytesIO()
        if job[0] == "docx":
            from docxtpl import DocxTemplate

            tpl = DocxTemplate(job[1])
            tpl.render(job[2], autoescape=True)
            tpl.save(buf)
        else:
            from openpyxl import load_workbook

            wb = load_workbook(job[1])
            ws = wb[job[2]]
            for r, row in enumerate(job[3], start=2):
                for c, value in row.items():
                    ws.cell(row=r, column=c).value = value
            wb.save(buf)


def main(argv: list[str]) -> None:
    project, *rest = argv
    load(project)
    while rest:
        what, *rest = rest
        if what == "read":
            read(rest)
            rest = []
        elif what == "walk":
            walk(rest[0], rest[1])
            rest = rest[2:]
        elif what == "fill":
            fill(rest[0])
            rest = rest[1:]
        else:
            raise SystemExit(f"unknown step {what}")


if __name__ == "__main__":
    main(sys.argv[1:])
