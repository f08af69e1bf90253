"""Make the PDF and DOCX versions of every CV in ``cvs/*.txt`` (run after editing one).

The files are committed so the readers are tested on real documents made by other software
(fpdf2 for PDF, python-docx for Word), laid out as CVs are: bold headings, bullet lists, and in
the Word files a two-column table where a CV lines up dates beside jobs.

    .venv/bin/python tests/extract/data/make_documents.py
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.shared import Pt
from fpdf import FPDF

HERE = Path(__file__).resolve().parent
FIXED_DATE = datetime(2026, 12, 1)  # so that re-running changes nothing but what was edited
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
# "Feb 2016 – Aug 2021   Medical Officer, ..." : a date column, then the rest.
DATE_COLUMN = re.compile(r"^(\S.*?\d{4}|\S.*?[Pp]resent)\s{3,}(\S.*)$")
BULLET = re.compile(r"^\s*[-*•]\s+")


def is_heading(line: str) -> bool:
    words = line.strip()
    if not words or len(words) > 40 or words.endswith((".", ",")):
        return False
    letters = [c for c in words if c.isalpha()]
    return bool(letters) and (all(c.isupper() for c in letters) or (words.rstrip(":").istitle() and len(words) < 25))


def write_pdf(lines: list[str], path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title("CV")
    if FONT.exists() and FONT_BOLD.exists():
        pdf.add_font("Body", "", str(FONT))
        pdf.add_font("Body", "B", str(FONT_BOLD))
        family = "Body"
    else:  # core font: Latin-1 only
        family = "Helvetica"
        lines = [line.replace("–", "-").replace("•", "-").replace("·", "|") for line in lines]
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    for number, line in enumerate(lines):
        if not line.strip():
            pdf.ln(3)
            continue
        heading = number == 0 or is_heading(line)
        pdf.set_font(family, "B" if heading else "", 12 if number == 0 else 10.5)
        pdf.multi_cell(0, 5.2, line.strip() if heading else line.rstrip(), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def write_docx(lines: list[str], path: Path) -> None:
    document = Document()
    document.core_properties.created = FIXED_DATE
    document.core_properties.modified = FIXED_DATE
    document.core_properties.author = "useit-match fixtures"
    document.styles["Normal"].font.size = Pt(10.5)
    table = None
    for number, line in enumerate(lines):
        if not line.strip():
            table = None
            continue
        column = DATE_COLUMN.match(line)
        if column and not BULLET.match(line):
            if table is None:
                table = document.add_table(rows=0, cols=2)
            cells = table.add_row().cells
            cells[0].text, cells[1].text = column.group(1).strip(), column.group(2).strip()
            continue
        if table is not None and line.startswith(" "):  # continuation of the right-hand column
            table.rows[-1].cells[1].add_paragraph(line.strip())
            continue
        table = None
        if number == 0:
            document.add_heading(line.strip(), level=1)
        elif is_heading(line):
            document.add_heading(line.strip().rstrip(":"), level=2)
        elif BULLET.match(line):
            document.add_paragraph(BULLET.sub("", line), style="List Bullet")
        else:
            document.add_paragraph(line.strip())
    document.save(str(path))


def main() -> None:
    for text_file in sorted((HERE / "cvs").glob("*.txt")):
        lines = text_file.read_text(encoding="utf-8").splitlines()
        write_pdf(lines, text_file.with_suffix(".pdf"))
        write_docx(lines, text_file.with_suffix(".docx"))
        print(f"wrote {text_file.stem}.pdf and .docx")


if __name__ == "__main__":
    main()
