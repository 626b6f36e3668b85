"""Write bot/locales/zh_TW/LC_MESSAGES/bot.po from the Simplified Chinese catalog.

    .venv/bin/pip install -e ".[translate]" && .venv/bin/python scripts/make_zh_tw.py

OpenCC converts character by character to Taiwan's standard forms (``s2tw``: 登记 → 登記,
积分 → 積分, 里 → 裡), without its phrase substitutions (``s2twp`` would turn 社区 into
社群, a different thing). Then read the result over: words in ``READ_OVER`` are the ones a
reader in Taiwan or Hong Kong writes differently, and are replaced as listed.
"""

from __future__ import annotations

from pathlib import Path

import opencc
import polib

LOCALES = Path(__file__).resolve().parents[1] / "bot" / "locales"
READ_OVER = {
    "發佈": "發布",  # to publish a task: 發布 in Taiwan
    "羣": "群",
}


def convert(text: str, converter: opencc.OpenCC) -> str:
    converted = converter.convert(text)
    for simplified_reading, traditional in READ_OVER.items():
        converted = converted.replace(simplified_reading, traditional)
    return converted


def main() -> None:
    converter = opencc.OpenCC("s2tw")
    source = polib.pofile(str(LOCALES / "zh_CN" / "LC_MESSAGES" / "bot.po"), wrapwidth=0)
    target = polib.POFile(wrapwidth=0)
    target.header = source.header
    target.metadata = {
        **source.metadata,
        "Language": "zh_TW",
        "Language-Team": "Chinese (Traditional)",
    }
    for entry in source:
        copy = polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural)
        if entry.msgid_plural:
            copy.msgstr_plural = {
                index: convert(form, converter) for index, form in entry.msgstr_plural.items()
            }
        else:
            copy.msgstr = convert(entry.msgstr, converter)
        target.append(copy)
    path = LOCALES / "zh_TW" / "LC_MESSAGES" / "bot.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    target.save(str(path))
    print(f"wrote {path} ({len(target)} messages)")


if __name__ == "__main__":
    main()
