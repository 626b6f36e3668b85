"""What /help says: the commands someone may use, grouped under headings by task (17 Polish).

The commands themselves come from the menus (bot/views/menus.py), so /help and the menu list
the same ones; the layouts here only say under which heading each goes."""

from __future__ import annotations

from bot.i18n import N_, Translator

# (heading key, commands in the order shown); a secretary's day, then their own things
SECRETARY_LAYOUT: list[tuple[str, list[str]]] = [
    (
        N_("help.section.community"),
        ["community", "poster", "bindgroup", "notice", "secretary", "lang"],
    ),
    (N_("help.section.tasks"), ["newtask", "category", "tasks", "mytasks"]),
    (N_("help.section.review"), ["review", "grant", "objections", "points", "rank", "object"]),
    (N_("help.section.report"), ["report", "unreported", "remind"]),
    (N_("help.section.roster"), ["members", "link", "unlink", "units", "unitreport"]),
    (N_("help.section.export"), ["export", "stats", "summary", "record"]),
    (N_("help.section.shop"), ["rewards", "reward", "redemptions"]),
    (N_("help.section.wishes"), ["wish", "mywishes", "wishes"]),
    (N_("help.section.me"), ["start", "enroll", "ask", "mydata", "privacy", "forgetme", "help"]),
]
# a member's, a visitor's and a unit liaison's (each sees only what they may use)
MEMBER_LAYOUT: list[tuple[str, list[str]]] = [
    (N_("help.section.report"), ["report"]),
    (N_("help.section.member_tasks"), ["tasks", "mytasks"]),
    (N_("help.section.points"), ["points", "rank", "record", "object", "rewards"]),
    (N_("help.section.wishes"), ["wish", "mywishes"]),
    (N_("help.section.unit"), ["unitreport"]),
    (
        N_("help.section.me"),
        ["start", "enroll", "ask", "mydata", "lang", "privacy", "forgetme", "help"],
    ),
]


def help_text(
    tr: Translator, entries: list[tuple[str, str]], layout: list[tuple[str, list[str]]] | None
) -> str:
    """The header, then ``entries`` (command, description key) under ``layout``'s headings
    (a heading with none of them is left out); without a layout, one list (a group's few)."""
    described = dict(entries)
    if layout is None:
        return tr("help.header") + "\n\n" + "\n".join(_lines(tr, described, list(described)))
    placed = {name for _, names in layout for name in names}
    sections = [(heading, [n for n in names if n in described]) for heading, names in layout]
    rest = [name for name in described if name not in placed]  # none, as tests hold
    sections.append((N_("help.section.other"), rest))
    blocks = [
        f"<b>{tr(heading)}</b>\n" + "\n".join(_lines(tr, described, names))
        for heading, names in sections
        if names
    ]
    return tr("help.header") + "\n\n" + "\n\n".join(blocks)


def _lines(tr: Translator, described: dict[str, str], names: list[str]) -> list[str]:
    return [f"/{name} — {tr(described[name])}" for name in names]
