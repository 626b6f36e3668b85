"""Charts are real PNGs and their Chinese labels render (not blank, not tofu boxes)."""

from __future__ import annotations

import io

from PIL import Image, ImageChops

from bot.charts import RecordDocument, category_chart, cjk_font, record_pdf, report_share_chart


def record_document(title: str, texts: list[str]) -> RecordDocument:
    """A record whose every text is one of ``texts``."""
    rows = [(t, t, t, t, t) for t in texts * 20]  # more rows than a page holds
    return RecordDocument(
        title, texts[0], texts, texts[:5], rows, texts, texts, texts[0], "https://t.me/x?start=v_1"
    )


def _ink(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return sum(histogram[:200])


def test_share_chart_is_a_png_with_ink() -> None:
    png = report_share_chart(
        "田森社区 回家日报到率", [("2026-10", 10, 7), ("2026-11", 12, 9)], "报到率（%）"
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(png)).size == (960, 540)
    assert _ink(png) > 5_000


def test_chinese_labels_render_with_the_cjk_font() -> None:
    assert "CJK" in cjk_font()
    one = category_chart("积分", [("文明实践", 5)], "积分")
    other = category_chart("积分", [("平安创建", 5)], "积分")
    # different Chinese category names draw different pixels: the glyphs are real
    diff = ImageChops.difference(
        Image.open(io.BytesIO(one)).convert("L"), Image.open(io.BytesIO(other)).convert("L")
    )
    assert diff.getbbox() is not None


def test_dollar_signs_and_control_characters_are_plain_text() -> None:
    # an unpaired "$" was parsed as mathtext and raised; a NUL broke the PDF
    png = category_chart("$积分$ 5$", [("奖励$", 5), ("a$b$c\x00", 3), (r"\frac{1}", 1)], "$")
    assert png.startswith(b"\x89PNG")
    share = report_share_chart("$社区", [("2026-11$", 10, 5)], "率$")
    assert share.startswith(b"\x89PNG")
    pdf = record_pdf(record_document("张三$的记录\x07", ["$5 元 $", "任务\x00标题"]))
    assert pdf.startswith(b"%PDF")
