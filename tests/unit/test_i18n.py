"""Messages the code uses exist in every catalog, with the same placeholders, as valid HTML."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from bot.config import SUPPORTED_LOCALES
from bot.i18n import Html, Translations, load_catalog, match_locale
from tests.fakes.html_check import parse_html

BOT = Path(__file__).resolve().parents[2] / "bot"
TRANSLATING_CALLS = {"tr", "N_", "admin_tr", "plural"}


def _keys_in(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys_in(node.body) + _keys_in(node.orelse)
    return []


def used_keys() -> dict[str, set[str]]:
    """Message keys in the code, with the keyword arguments each call passes."""
    found: dict[str, set[str]] = {}
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in TRANSLATING_CALLS and not str(name).endswith("_tr"):
                continue
            for key in _keys_in(node.args[0]):
                found.setdefault(key, set()).update(k.arg for k in node.keywords if k.arg)
                if name == "plural":
                    found[key].add("count")
    return found


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


CATALOGS = {locale: load_catalog(locale) for locale in SUPPORTED_LOCALES}


def test_code_uses_messages() -> None:
    assert len(used_keys()) > 50


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_used_key_is_translated(locale: str) -> None:
    missing = sorted(set(used_keys()) - set(CATALOGS[locale]))
    assert not missing, f"missing in {locale}: {missing}"


def test_catalogs_have_same_keys_and_placeholders() -> None:
    zh = CATALOGS["zh_CN"]
    for locale, other in CATALOGS.items():
        assert set(zh) == set(other), locale
        differing = [k for k in zh if placeholders(zh[k]) != placeholders(other[k])]
        assert not differing, (locale, differing)


def test_calls_pass_every_placeholder() -> None:
    for key, passed in used_keys().items():
        if not passed:  # keys rendered elsewhere with their parameters (N_ markers)
            continue
        needed = placeholders(CATALOGS["zh_CN"][key])
        assert needed <= passed, f"{key} needs {needed - passed}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_message_is_valid_telegram_html(locale: str) -> None:
    tr = Translations("zh_CN").get(locale)
    for key, template in CATALOGS[locale].items():
        params = {name: "<x> & y" for name in placeholders(template)}
        _, error = parse_html(tr(key, **params))
        assert error is None, f"{locale} {key}: {error}"


def test_parameters_are_escaped_unless_marked_html() -> None:
    tr = Translations("zh_CN").get("en")
    assert "&lt;b&gt;" in tr("start.welcome_back", name="<b>")
    assert "<b>" in tr("start.welcome_back", name=Html("<b>"))


def test_locale_resolution() -> None:
    translations = Translations("zh_CN")
    assert translations.resolve("en", "zh-hans").locale == "en"
    assert translations.resolve(None, "en-US").locale == "en"
    assert translations.resolve(None, "de").locale == "zh_CN"
    assert translations.resolve("xx", None).locale == "zh_CN"
    assert match_locale("zh-hant") == "zh_TW" and match_locale("zh-HK") == "zh_TW"
    assert match_locale("zh-tw") == "zh_TW" and match_locale("zh") == "zh_CN"
    assert match_locale("zh-hans") == "zh_CN" and match_locale("zh-Hans-CN") == "zh_CN"


def test_catalogs_pass_gnu_gettext_checks() -> None:
    """``msgfmt -c``, as translators' tools run it; without gettext installed, the catalogs
    still have to compile and declare their plural forms."""
    import shutil
    import subprocess

    import polib

    locales = BOT / "locales"
    for locale in SUPPORTED_LOCALES:
        path = locales / locale / "LC_MESSAGES" / "bot.po"
        po = polib.pofile(str(path))
        assert "Plural-Forms" in po.metadata and po.metadata["Language"] == locale
        assert po.to_binary()
        msgfmt = shutil.which("msgfmt")
        if msgfmt:
            checked = subprocess.run(
                [msgfmt, "-c", "-o", "/dev/null", str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert checked.returncode == 0, checked.stderr


PLURAL_MESSAGES = ["cli.import_nothing", "task.published", "objection.more", "close.sheet_caption"]


@pytest.mark.parametrize("key", PLURAL_MESSAGES)
def test_english_plurals_read_naturally(key: str) -> None:
    tr = Translations("zh_CN").get("en")
    params = {"title": "Patrol", "month": "Nov"}
    one, two = tr.plural(key, count=1, **params), tr.plural(key, count=2, **params)
    assert one != two and "(s)" not in one + two
    zh = Translations("zh_CN").get("zh_CN")
    assert zh.plural(key, count=1, **params).replace("1", "2") == zh.plural(key, count=2, **params)


def test_no_count_meets_a_noun_as_s_in_brackets() -> None:
    assert not [k for k, v in CATALOGS["en"].items() if "(s)" in v]


def test_a_tasks_time_reads_naturally_in_each_language() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.views.times import span_text

    tz = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 11, 28, 9, 0, tzinfo=tz)
    translations = Translations("zh_CN")
    zh, en = translations.get("zh_CN"), translations.get("en")
    assert span_text(zh, start, start.replace(hour=11), tz) == "2026年11月28日（周六）09:00–11:00"
    assert span_text(en, start, start.replace(hour=11), tz) == "Sat 28 Nov 2026, 09:00–11:00"
    overnight = span_text(en, start, start.replace(day=29, hour=8), tz)
    assert overnight == "28 Nov 2026 09:00 – 29 Nov 2026 08:00"
