"""PNG charts secretaries can forward: report share by month, points by category.

Rendered with matplotlib (Agg, no screen) and a CJK font shipped on PyPI (mplfonts' Noto
Sans CJK SC), so Chinese labels render on any machine. matplotlib is imported on the first
drawing, in the rendering workers: the bot's own process never loads it (about 40 MB).
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from bot.domain.forms import printable

if TYPE_CHECKING:
    from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

FONT_FILE = "NotoSansCJKsc-Regular.otf"
RED = "#c62828"


@cache
def cjk_font() -> str:
    """Load matplotlib (no screen), register the bundled CJK font; its family name."""
    import matplotlib

    matplotlib.use("Agg")
    # Names, titles and categories are people's words: "$5" is money, not mathtext to
    # parse (a lone "$" made every chart of a community fail).
    matplotlib.rcParams["text.parse_math"] = False
    # a character the font lacks (an emoji, a rare ideograph) draws as a box: no warning
    warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
    from matplotlib import font_manager

    path = resources.files("mplfonts").joinpath("fonts", FONT_FILE)
    font_manager.fontManager.addfont(str(path))
    return str(font_manager.FontProperties(fname=str(path)).get_name())


def _plain(text: str) -> str:
    """A label as people wrote it, without control characters."""
    return printable(text).replace("\n", " ")


def _figure() -> Figure:
    cjk_font()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4.5), dpi=120)
    figure.set_layout_engine("tight")
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def report_share_chart(title: str, rows: list[tuple[str, int, int]], ylabel: str) -> bytes:
    """Bars: the share (%) of in-service members who reported, month by month."""
    family = cjk_font()
    figure = _figure()
    axes = figure.add_subplot()
    labels = [_plain(month) for month, _, _ in rows]
    shares = [100 * done / total if total else 0.0 for _, total, done in rows]
    bars = axes.bar(labels, shares, color=RED)
    for bar, (_, total, done) in zip(bars, rows, strict=True):
        axes.annotate(
            f"{done}/{total}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontfamily=family,
            fontsize=9,
        )
    axes.set_ylim(0, 110)
    axes.set_ylabel(_plain(ylabel), fontfamily=family)
    axes.set_title(_plain(title), fontfamily=family, fontsize=14)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def category_chart(title: str, rows: list[tuple[str, int]], xlabel: str) -> bytes:
    """Horizontal bars: points earned per task category."""
    family = cjk_font()
    figure = _figure()
    axes = figure.add_subplot()
    names = [_plain(name) for name, _ in rows][::-1]
    values = [points for _, points in rows][::-1]
    axes.barh(names, values, color=RED)
    for tick in axes.get_yticklabels():
        tick.set_fontfamily(family)
    axes.set_xlabel(_plain(xlabel), fontfamily=family)
    axes.set_title(_plain(title), fontfamily=family, fontsize=14)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


@dataclass(frozen=True)
class RecordDocument:
    """What a page of a printed service record shows (all plain text, in one language)."""

    title: str
    community: str
    person: list[str]  # name, unit, compound
    columns: list[str]  # date, task, category, hours, points
    rows: list[tuple[str, str, str, str, str]]
    totals: list[str]
    footer: list[str]  # issued on, the stamp and signature line
    number: str  # the record number line
    verify_link: str


RECORD_ROWS = 28  # on one A4 page; more are counted in a line


def record_pdf(*documents: RecordDocument) -> bytes:
    """A printable A4 service record a work unit accepts, one page per document (the same
    record in the community's language, then in the member's): the community, the member, a
    table of services, the totals, the date issued, a line for the stamp and signature, and a
    record number with a QR code that lets the bot confirm it."""
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with PdfPages(buffer) as pages:
        for document in documents:
            pages.savefig(_record_page(document))
    return buffer.getvalue()


def _record_page(document: RecordDocument) -> Figure:
    import segno
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    family = cjk_font()

    figure = Figure(figsize=(8.27, 11.69))  # A4, inches

    def text(x: float, y: float, value: str, size: float = 10, **style: Any) -> None:
        figure.text(x, y, _plain(value), fontfamily=family, fontsize=size, **style)

    text(0.5, 0.95, document.community, 13, ha="center", color="#555555")
    text(0.5, 0.915, document.title, 18, ha="center", color=RED)
    for index, line in enumerate(document.person):
        text(0.08, 0.87 - index * 0.022, line, 11)
    top = 0.87 - len(document.person) * 0.022 - 0.015
    columns = (0.08, 0.26, 0.62, 0.77, 0.86)
    for x, title in zip(columns, document.columns, strict=False):
        text(x, top, title, 10, color=RED)
    figure.add_artist(Line2D([0.08, 0.92], [top - 0.006, top - 0.006], color="#999999", lw=0.6))
    shown = document.rows[:RECORD_ROWS]
    for index, row in enumerate(shown, start=1):
        y = top - index * 0.019
        for x, cell, width in zip(columns, row, (12, 20, 8, 6, 6), strict=False):
            text(x, y, cell if len(cell) <= width else cell[: width - 1] + "…", 9)
    y = top - (len(shown) + 1) * 0.019 - 0.01
    for line in document.totals:
        text(0.08, y, line, 11)
        y -= 0.024
    for line in document.footer:
        text(0.08, y - 0.01, line, 11)
        y -= 0.03
    code = figure.add_axes((0.76, 0.03, 0.14, 0.14 * 8.27 / 11.69))
    matrix = [[0 if dark else 1 for dark in row] for row in segno.make(document.verify_link).matrix]
    code.imshow(matrix, cmap="gray", interpolation="nearest", vmin=0, vmax=1)
    code.set_axis_off()
    text(0.08, 0.07, document.number, 10)
    text(0.08, 0.045, document.verify_link, 8, color="#555555")
    return figure


def poster_pdf(title: str, subtitle: str, lines: list[str], link: str) -> bytes:
    """A printable A4 enrollment poster for the notice board: the title, the community, the
    QR code of its enrollment link, and how to use it."""
    import segno

    family = cjk_font()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.27, 11.69))  # A4, inches
    figure.text(0.5, 0.90, _plain(title), ha="center", fontfamily=family, fontsize=30, color=RED)
    figure.text(0.5, 0.85, _plain(subtitle), ha="center", fontfamily=family, fontsize=18)
    side = 0.6  # of the page's width; the height keeps the code square on A4
    code = figure.add_axes((0.2, 0.34, side, side * 8.27 / 11.69))
    matrix = [[0 if dark else 1 for dark in row] for row in segno.make(link, error="m").matrix]
    code.imshow(matrix, cmap="gray", interpolation="nearest", vmin=0, vmax=1)
    code.set_axis_off()
    for index, line in enumerate(lines[:8]):
        y = 0.28 - index * 0.035
        figure.text(0.12, y, _plain(line), fontfamily=family, fontsize=14)
    figure.text(0.5, 0.04, link, ha="center", fontsize=9, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    return buffer.getvalue()
