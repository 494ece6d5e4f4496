"""The PDF documents' fonts (DejaVu, shipped in `budget/static/fonts/`), parsed once a process.

fpdf2's add_font parses a TrueType file's tables (metrics, character map) for every document:
0.1 s a font, three fonts a document, half of a one-page PDF's time (a poster, a record, each
PDF export of the tests' route walk). The parsed font is kept here, and each document gets a
copy of it whose fontTools object is its own, opened lazily from the file's bytes: fpdf2
subsets that object in place when it writes the document, so it cannot be shared. What is
shared (widths, character map, descriptor) fpdf2 only reads. The PDFs are byte for byte the
ones add_font makes (tests/exports/test_pdf_fonts.py).
"""
from __future__ import annotations

import copy
import threading
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
SANS, MONO = "DejaVuSans", "DejaVuSansMono"
HOUSE_FONTS = ((SANS, "", "DejaVuSans.ttf"), (SANS, "B", "DejaVuSans-Bold.ttf"),
               (MONO, "", "DejaVuSansMono.ttf"))
_parsing = threading.Lock()


def add_house_fonts(pdf: FPDF) -> None:
    """What `pdf.add_font` would do for each of the house fonts, without parsing them again."""
    for family, style, file_name in HOUSE_FONTS:
        parsed, data = _parsed(family, style, file_name)
        font = copy.copy(parsed)
        font.i = len(pdf.fonts) + 1
        font.ttfont = ttLib.TTFont(BytesIO(data), recalcTimestamp=False, lazy=True)
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        pdf.fonts[parsed.fontkey] = font


@cache
def _parsed(family: str, style: str, file_name: str) -> tuple[TTFFont, bytes]:
    with _parsing:
        path = FONTS / file_name
        scratch = FPDF()
        scratch.add_font(family, style, path)
        return scratch.fonts[f"{family.lower()}{style}"], path.read_bytes()
