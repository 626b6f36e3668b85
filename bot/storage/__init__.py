"""Everything that speaks SQL: the connection, migrations and one repository per table."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.attendance import AttendanceRepository
from bot.storage.communities import CommunityRepository
from bot.storage.conversation_state import ConversationStateRepository
from bot.storage.db import Database
from bot.storage.groups import GroupRepository
from bot.storage.job_runs import JobRunRepository
from bot.storage.ledger import LedgerRepository
from bot.storage.members import MemberRepository
from bot.storage.objections import ObjectionRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.questions import QuestionRepository
from bot.storage.reports import ReportRepository
from bot.storage.roster import RosterRepository
from bot.storage.secretaries import SecretaryRepository
from bot.storage.shop import ShopRepository
from bot.storage.signups import SignupRepository
from bot.storage.tasks import TaskRepository
from bot.storage.units import UnitRepository
from bot.storage.updates import ProcessedUpdateRepository
from bot.storage.wishes import WishRepository


@dataclass(frozen=True)
class Storage:
    """The database and its repositories, opened once per process."""

    db: Database
    communities: CommunityRepository
    members: MemberRepository
    roster: RosterRepository
    secretaries: SecretaryRepository
    groups: GroupRepository
    updates: ProcessedUpdateRepository
    tasks: TaskRepository
    signups: SignupRepository
    ledger: LedgerRepository
    reports: ReportRepository
    outbox: OutboxRepository
    job_runs: JobRunRepository
    conversation_state: ConversationStateRepository
    shop: ShopRepository
    objections: ObjectionRepository
    wishes: WishRepository
    units: UnitRepository
    attendance: AttendanceRepository
    questions: QuestionRepository

    @classmethod
    def of(cls, db: Database) -> Storage:
        return cls(
            db=db,
            communities=CommunityRepository(db),
            members=MemberRepository(db),
            roster=RosterRepository(db),
            secretaries=SecretaryRepository(db),
            groups=GroupRepository(db),
            updates=ProcessedUpdateRepository(db),
            tasks=TaskRepository(db),
            signups=SignupRepository(db),
            ledger=LedgerRepository(db),
            reports=ReportRepository(db),
            outbox=OutboxRepository(db),
            job_runs=JobRunRepository(db),
            conversation_state=ConversationStateRepository(db),
            shop=ShopRepository(db),
            objections=ObjectionRepository(db),
            wishes=WishRepository(db),
            units=UnitRepository(db),
            attendance=AttendanceRepository(db),
            questions=QuestionRepository(db),
        )

    async def close(self) -> None:
        await self.db.close()


async def open_storage(path: str) -> Storage:
    """Open the database at ``path``, migrated to the newest version."""
    return Storage.of(await Database.open(path))
