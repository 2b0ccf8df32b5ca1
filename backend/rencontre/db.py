"""Engine, session factory and the per-request session.

One ``AsyncSession`` per request: committed when the endpoint returns, rolled back
when it raises. Services only ``flush()``. Callbacks registered with
:func:`after_commit` (feed notifications) run once the commit succeeded and are
dropped on rollback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, Engine, ExceptionContext, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from rencontre.config import Settings
from rencontre.kit.private import private_dir, private_sqlite_database

logger = logging.getLogger(__name__)

AfterCommit = Callable[[], Awaitable[None]]
BUSY_TIMEOUT_MS = 30_000
# A truncating checkpoint holds new writers back while it waits for the current ones: the
# scan path must never wait long behind an account deletion.
CHECKPOINT_WAIT_MS = 250
_AFTER_COMMIT_KEY = "rencontre_after_commit"
_SQLITE_BEGIN = "rencontre_sqlite_begin"
_DIALECT_KEY = "rencontre_dialect"


# Every engine hides statement parameters from its errors and logs: they hold notes. The
# SQLite driver logs each statement with its parameters at DEBUG: never, whatever the log level.
logging.getLogger("aiosqlite").setLevel(logging.INFO)


def create_engine(settings: Settings, url: str | None = None) -> AsyncEngine:
    url = url or settings.resolved_database_url
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            db_path = Path(database)
            if db_path.resolve().parent == settings.data_dir.resolve():
                private_dir(settings.data_dir)
            private_sqlite_database(db_path)
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        _install_sqlite_pragmas(engine.sync_engine)
        return engine
    engine = create_async_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
        hide_parameters=True,
        connect_args={"timeout": settings.db_connect_timeout, "command_timeout": 30},
    )
    _install_disconnect_detection(engine.sync_engine)
    return engine


# SQLSTATE classes that mean "the server is going away or cannot take us now":
# connection exception, too many connections, operator intervention (admin or crash
# shutdown, "the database system is starting up").
_UNREACHABLE_SQLSTATES = ("08", "53300", "57P")


def _install_disconnect_detection(engine: Engine) -> None:
    """Count a database that refuses us as a disconnect, as one that hung up on us already is.

    asyncpg reports "database is not accepting connections", "starting up" and "too many
    connections" as plain errors; marked as disconnects they invalidate the pool (no dead
    connection is handed out after a restart) and the error handler answers 503.
    """

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        if context.is_disconnect:
            return
        sqlstate = getattr(context.original_exception, "sqlstate", None)
        connecting = context.connection is None
        if connecting or (isinstance(sqlstate, str) and sqlstate.startswith(_UNREACHABLE_SQLSTATES)):
            context.is_disconnect = True


def create_sqlite_writer_engine(url: URL) -> Engine:
    """A synchronous engine on the SQLite file at ``url``, with the same pragmas, for one thread."""
    engine = sa_create_engine(
        url.set(drivername="sqlite"),
        connect_args={"timeout": 30},
        pool_size=1,
        max_overflow=0,
        hide_parameters=True,
    )
    _install_sqlite_pragmas(engine)
    return engine


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # WAL + FULL: an acknowledged write survives kill -9 and power loss;
        # foreign keys are off by default in SQLite.
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin,
        # so that SAVEPOINTs and transactional DDL behave.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Deleted text (an erased account's notes) is overwritten with zeros, not left
        # in free pages for anyone who reads the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get(_SQLITE_BEGIN, "BEGIN"))


async def database_ok(engine: AsyncEngine) -> bool:
    """Whether the database answers a trivial query now (the health check's probe)."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        logger.warning("health check: database unreachable", exc_info=True)
        return False
    return True


@dataclass(frozen=True, slots=True)
class Dialect:
    """What the queries do differently on each database, chosen once for an engine.

    Repositories read it from the session (:func:`dialect_of`) rather than asking the
    session's bind on every call: the scan path asks several times per group.
    """

    name: Literal["sqlite", "postgresql"]
    # SQLite's writers hold the whole database (``BEGIN IMMEDIATE``): row locks add nothing.
    locks_rows: bool
    # A list bound as one array parameter and unnested: one statement, planned once, for any count.
    binds_arrays: bool


SQLITE = Dialect("sqlite", locks_rows=False, binds_arrays=False)
POSTGRESQL = Dialect("postgresql", locks_rows=True, binds_arrays=True)


def dialect_for(bind: AsyncEngine | AsyncConnection | Engine | Connection) -> Dialect:
    return SQLITE if bind.dialect.name == "sqlite" else POSTGRESQL


def session_info(bind: AsyncEngine | AsyncConnection | Engine | Connection) -> dict[str, Any]:
    """The ``info`` every session on ``bind`` starts with: its :class:`Dialect`."""
    return {_DIALECT_KEY: dialect_for(bind)}


def dialect_of(session: AsyncSession) -> Dialect:
    """The dialect a session was made for (by :func:`create_session_factory` or :func:`session_info`)."""
    dialect: Dialect | None = session.info.get(_DIALECT_KEY)
    if dialect is None:
        # A session made without either (a one-off script's): decided once, kept for its life.
        dialect = session.info[_DIALECT_KEY] = dialect_for(session.get_bind())
    return dialect


def create_session_factory(
    bind: AsyncEngine | AsyncConnection, **options: Any
) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        bind,
        info=session_info(bind),
        **({"expire_on_commit": False, "autoflush": False} | options),
    )


async def begin_write(session: AsyncSession) -> None:
    """Open the session's transaction as a writer, before anything reads.

    On SQLite a deferred transaction that has read cannot write once another
    connection has committed since ("database is locked", at once, whatever the busy
    timeout); ``BEGIN IMMEDIATE`` takes the write lock up front and waits its turn.
    Other databases ignore this.
    """
    if not session.in_transaction():
        await session.connection(execution_options={_SQLITE_BEGIN: "BEGIN IMMEDIATE"})


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run ``callback`` after this session's transaction commits; never on rollback."""
    session.info.setdefault(_AFTER_COMMIT_KEY, []).append(callback)


def checkpoint_after_commit(session: AsyncSession) -> None:
    """On SQLite, once this transaction commits, copy the write-ahead log into the database
    and empty it: the log still holds the pages as they were before a deletion.

    Best effort, after the deletion is committed and whatever happens here: a busy database
    makes the checkpoint partial and the next erasure's checkpoint completes it (SQLite's own
    checkpoints copy the pages but leave old ones in the log file until they are written
    over). A session bound to a connection (a test's outer transaction) has nothing
    committed to fold in.
    """
    bind = session.bind
    if not isinstance(bind, AsyncEngine) or bind.dialect.name != "sqlite":
        return
    engine = bind

    async def checkpoint() -> None:
        try:
            async with engine.connect() as connection:
                await connection.exec_driver_sql(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
                try:
                    result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    busy = result.one()[0]
                finally:
                    await connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except SQLAlchemyError:
            logger.warning("WAL checkpoint after an erasure failed", exc_info=True)
            return
        if busy:
            logger.info("WAL checkpoint after an erasure was partial (database busy)")

    after_commit(session, checkpoint)


async def run_after_commit(session: AsyncSession) -> None:
    callbacks: list[AfterCommit] = session.info.pop(_AFTER_COMMIT_KEY, [])
    for callback in callbacks:
        await callback()


@asynccontextmanager
async def session_scope(
    factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """Yield a session; commit on success, roll back on error, then fire after-commit hooks."""
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            session.info.pop(_AFTER_COMMIT_KEY, None)
            await session.rollback()
            raise
        await run_after_commit(session)
