"""The per-database choices of the queries are made once, when sessions are made for an engine."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from rencontre.db import POSTGRESQL, SQLITE, create_session_factory, dialect_of


class TestSessionsCarryTheirDialect:
    async def test_a_session_of_the_factory_knows_its_dialect_before_any_query(
        self, engine: AsyncEngine, backend: str
    ) -> None:
        async with create_session_factory(engine)() as session:
            assert dialect_of(session) is (SQLITE if backend == "sqlite" else POSTGRESQL)
            assert not session.in_transaction()  # nothing was asked of the database

    async def test_a_test_session_on_a_connection_knows_it_too(
        self, session: AsyncSession, backend: str
    ) -> None:
        assert dialect_of(session).name == backend

    async def test_a_session_made_elsewhere_learns_its_dialect_from_its_engine_once(
        self, engine: AsyncEngine, backend: str
    ) -> None:
        async with AsyncSession(engine) as session:
            first = dialect_of(session)
            assert first.name == backend
            assert dialect_of(session) is first


class TestEachDatabaseChoosesItsQueries:
    def test_sqlite_takes_no_row_locks_and_binds_no_arrays(self) -> None:
        assert not SQLITE.locks_rows
        assert not SQLITE.binds_arrays

    def test_postgresql_locks_rows_and_unnests_arrays(self) -> None:
        assert POSTGRESQL.locks_rows
        assert POSTGRESQL.binds_arrays
