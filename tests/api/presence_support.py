"""Helpers for the presence tests: an attendee's arrival and introduction as stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee


async def arrival(session: AsyncSession, attendee: Attendee) -> datetime | None:
    return await session.scalar(
        select(Attendee.arrived_at)
        .where(Attendee.id == attendee.id)
        .execution_options(populate_existing=True)
    )


async def introduction(session: AsyncSession, attendee: Attendee) -> datetime | None:
    return await session.scalar(
        select(Attendee.introduced_at)
        .where(Attendee.id == attendee.id)
        .execution_options(populate_existing=True)
    )
