"""Command line: ``python -m bot run | run-job NAME | backup PATH | import-members FILE.csv``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import secrets
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.config import Settings, describe_settings_error
from bot.domain.roster_file import read_roster_file
from bot.domain.schedule import JobName
from bot.i18n import Translations, Translator, plain_text
from bot.storage import Storage, open_storage
from bot.storage.db import Database
from bot.views.roster_report import roster_errors

logger = logging.getLogger("bot")

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (polling, or webhook when WEBHOOK_URL is set)")
    job = commands.add_parser("run-job", help="run one scheduled job once, as if at --at")
    job.add_argument("name", choices=[j.value for j in JobName])
    job.add_argument(
        "--at",
        type=_moment,
        default=None,
        help="ISO 8601 time (default now; without an offset, in TIMEZONE)",
    )
    backup = commands.add_parser("backup", help="copy the live database to PATH")
    backup.add_argument("path", type=Path)
    members = commands.add_parser(
        "import-members", help="pre-register a roster from an .xlsx or CSV (UTF-8 or GBK) file"
    )
    members.add_argument("file", type=Path)
    members.add_argument("--community", help="community name (created if new)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``community-bot`` script and ``python -m bot``."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_settings_error(exc), file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    tr = Translations(settings.default_locale).get(None)
    if args.command == "run":
        return run(settings)
    if args.command == "run-job":
        at = args.at or datetime.now(settings.tz)
        if at.tzinfo is None:
            at = at.replace(tzinfo=settings.tz)
        return asyncio.run(run_job_once(settings, JobName(args.name), at))
    if args.command == "backup":
        return asyncio.run(backup(settings, args.path, tr))
    return asyncio.run(import_members(settings, args.file, args.community, tr))


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from exc


async def run_job_once(settings: Settings, name: JobName, at: datetime) -> int:
    """The scheduler's code path, once: the same application, services and job function."""
    from bot.app import build_application, close_services, open_services
    from bot.jobs.runner import run_job
    from bot.usecases.communities import prepare_first_run
    from bot.views.menus import clear_secretary_menu

    app = build_application(settings)
    try:
        async with app:
            services = await open_services(app)
            try:
                for former in await prepare_first_run(services):
                    if former.reached:  # back to the members' menu, as `run` would do
                        await clear_secretary_menu(
                            app.bot, services.translations, former.telegram_id
                        )
                print(await run_job(app, name, at))
            finally:
                await services.sender.stop()  # while the bot can still talk to Telegram
    finally:
        await close_services(app)  # after PTB's shutdown has written its persistence
    return 0


def run(settings: Settings) -> int:
    """Run until interrupted; wait (with backoff) until Telegram can be reached first."""
    from bot.app import ALLOWED_UPDATES, build_application

    try:
        refused = wait_for_telegram(settings)
    except KeyboardInterrupt:
        return 0
    if refused:
        print(TOKEN_REFUSED, file=sys.stderr)
        return EXIT_USAGE
    app = build_application(settings)
    try:
        if settings.webhook_url:
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=webhook_path(settings.webhook_url),
                webhook_url=settings.webhook_url,
                # Telegram sends it with every update: requests without it are refused
                secret_token=settings.webhook_secret or secrets.token_urlsafe(32),
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=-1,
            )
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1)
    except InvalidToken:
        print(TOKEN_REFUSED, file=sys.stderr)
        return EXIT_USAGE
    except NetworkError as exc:
        print(f"error: cannot reach {settings.telegram_base_url}: {exc}", file=sys.stderr)
        return 1
    return 0


def webhook_path(url: str) -> str:
    """The path the webhook server serves: the whole path of ``WEBHOOK_URL`` (a reverse
    proxy passes it on unchanged), as the pattern PTB's server matches it with."""
    return re.escape(urlsplit(url).path.strip("/"))


TOKEN_REFUSED = "error: BOT_TOKEN was refused by Telegram: check it with @BotFather"  # noqa: S105
RETRY_LONGEST = 60.0


def wait_for_telegram(settings: Settings, sleep: Callable[[float], None] = time.sleep) -> bool:
    """Ask Telegram who we are until it answers: one line per failed try, waiting 1, 2, 4 …
    up to 60 s in between. True when the token is refused (no point in trying again)."""
    delay = 1.0
    while True:
        problem = asyncio.run(_who_am_i(settings))
        if problem is None:
            return False
        if problem is TOKEN_REFUSED:
            return True
        print(
            f"error: cannot reach {settings.telegram_base_url} ({problem}); "
            f"trying again in {delay:.0f} s",
            file=sys.stderr,
        )
        sleep(delay)
        delay = min(delay * 2, RETRY_LONGEST)


async def _who_am_i(settings: Settings) -> str | None:
    """None when Telegram answers getMe; else why not, in a few words."""
    bot = Bot(
        settings.bot_token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
    )
    try:
        async with bot:
            return None
    except InvalidToken:
        return TOKEN_REFUSED
    except RetryAfter as exc:  # flood control at start-up: the next try waits anyway
        return f"Telegram asks to wait {exc.retry_after} s"
    except TelegramError as exc:  # network errors, and answers no Bot API would give
        return str(exc) or type(exc).__name__


async def backup(settings: Settings, target: Path, tr: Translator) -> int:
    """SQLite online backup of the live database."""
    if not settings.database_path.exists():
        print(tr("cli.no_database", path=str(settings.database_path)), file=sys.stderr)
        return 1
    db = await Database.open(settings.database_path, migrate=False)
    try:
        await db.backup_to(target)
    finally:
        await db.close()
    print(tr("cli.backup_done", path=str(target)))
    return 0


async def import_members(
    settings: Settings, file: Path, community_name: str | None, tr: Translator
) -> int:
    """Validate the whole file (.xlsx or CSV) first; import all rows in one transaction, or
    none."""
    try:
        data = await asyncio.to_thread(file.read_bytes)
    except OSError as exc:
        print(tr("cli.cannot_read", path=str(file), error=str(exc)), file=sys.stderr)
        return 1
    parsed = await asyncio.to_thread(read_roster_file, file.name, data)
    if parsed.errors:
        for line in roster_errors(tr, parsed):
            print(plain_text(line), file=sys.stderr)
        return 1
    storage = await open_storage(str(settings.database_path))
    try:
        community_id = await _community_for_import(storage, community_name, settings, tr)
        if community_id is None:
            return 1
        added, updated = await storage.roster.import_rows(community_id, parsed.rows)
    finally:
        await storage.close()
    print(tr("cli.import_done", added=added, updated=updated))
    return 0


async def _community_for_import(
    storage: Storage, name: str | None, settings: Settings, tr: Translator
) -> int | None:
    if name:
        found = await storage.communities.get_by_name(name.strip())
        return (found or await storage.communities.create(name.strip())).id
    communities = await storage.communities.list_all()
    if not communities:  # before the bot's first start: its default community
        return (await storage.communities.create(settings.community_name)).id
    if len(communities) == 1:
        return communities[0].id
    print(
        tr("cli.which_community", names=", ".join(c.name for c in communities) or "—"),
        file=sys.stderr,
    )
    return None


if __name__ == "__main__":
    sys.exit(main())
