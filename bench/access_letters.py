"""Access-code letters (one A4 page a code): our `letters_pdf` against the straightforward
fpdf2 letter (every paragraph laid out by `multi_cell` on every page), same wording, same
fonts, same run. A clerk downloads up to 2,000 letters in one request.

    python bench/access_letters.py [--letters 1000] [--repeat 3]

Figures are CPU seconds (time.process_time), the median of --repeat builds, each side in
turn; the last line is `letters=N ours_s=A peer_s=B ratio=B/A`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fpdf import FPDF  # noqa: E402
from fpdf.enums import XPos, YPos  # noqa: E402

from budget.app import create_app  # noqa: E402
from budget.services.exports import access_letters  # noqa: E402
from budget.services.exports.pdf_fonts import FONTS, MONO, SANS  # noqa: E402

EPCI = SimpleNamespace(name="Communauté de communes de l'Île de Ré")
CYCLE = SimpleNamespace(intercommunality=EPCI, title="Budget participatif 2026",
                        vote_start=dt.datetime(2026, 12, 1, 9),
                        vote_end=dt.datetime(2026, 12, 21, 18))
COMMUNE = SimpleNamespace(name="La Flotte", insee_code="17161")
URL = "https://budget.example.fr/cycles/1/vote"


def peer_letters(codes: list[str]) -> bytes:
    """The letter written the plain fpdf2 way: multi_cell for each paragraph, every page."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(SANS, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(SANS, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.add_font(MONO, "", FONTS / "DejaVuSansMono.ttf")
    pdf.set_margins(22, 24, 22)
    pdf.set_auto_page_break(False)
    words = access_letters._Wording.of(CYCLE, COMMUNE, URL)
    for number, code in enumerate(codes, start=1):
        pdf.add_page()
        for text, size, style, gap in [(words.intercommunality, 9, "", 0),
                                       (words.commune, 9, "", 40), (words.title, 17, "B", 0),
                                       (words.cycle, 12, "B", 4), (words.dates, 11, "", 3),
                                       (words.how, 11, "", 6)]:
            pdf.set_font(SANS, style, size)
            pdf.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(gap)
        pdf.set_font(MONO, "", 26)
        pdf.cell(0, 16, code, border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(6)
        pdf.set_font(SANS, "", 10)
        pdf.multi_cell(0, 6, words.keep, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(-20)
        pdf.set_font(SANS, "", 8)
        pdf.cell(0, 6, f"Lettre {number}")
    return bytes(pdf.output())


def cpu_seconds(build) -> float:
    start = time.process_time()
    build()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    codes = [f"ABCD-EFGH-{n:04d}" for n in range(args.letters)]
    ours, peer = [], []
    with create_app().test_request_context():
        access_letters.letters_pdf(CYCLE, COMMUNE, codes[:2], URL)  # fonts and catalogues loaded
        peer_letters(codes[:2])
        for _ in range(args.repeat):
            ours.append(cpu_seconds(lambda: access_letters.letters_pdf(CYCLE, COMMUNE, codes, URL)))
            peer.append(cpu_seconds(lambda: peer_letters(codes)))
    a, b = statistics.median(ours), statistics.median(peer)
    print(f"letters={args.letters} ours_s={a:.2f} peer_s={b:.2f} ratio={b / a:.1f}")


if __name__ == "__main__":
    main()
