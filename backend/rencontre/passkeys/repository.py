from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Passkey, PasskeyChallenge


async def passkeys_of(session: AsyncSession, attendee_id: uuid.UUID) -> list[Passkey]:
    result = await session.scalars(
        select(Passkey).where(Passkey.attendee_id == attendee_id).order_by(Passkey.created_at, Passkey.id)
    )
    return list(result)


async def count_of(session: AsyncSession, attendee_id: uuid.UUID) -> int:
    count = await session.scalar(select(func.count(Passkey.id)).where(Passkey.attendee_id == attendee_id))
    return int(count or 0)


async def by_credential(session: AsyncSession, credential_id: str) -> Passkey | None:
    return await session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))


async def own_by_credential(
    session: AsyncSession, attendee_id: uuid.UUID, credential_id: str
) -> Passkey | None:
    """Locked until commit: the sign counter is compared, then moved forward."""
    return await session.scalar(
        select(Passkey)
        .where(Passkey.attendee_id == attendee_id, Passkey.credential_id == credential_id)
        .with_for_update()
    )


async def own(session: AsyncSession, attendee_id: uuid.UUID, passkey_id: uuid.UUID) -> Passkey | None:
    return await session.scalar(
        select(Passkey).where(Passkey.attendee_id == attendee_id, Passkey.id == passkey_id)
    )


async def add(session: AsyncSession, passkey: Passkey) -> None:
    session.add(passkey)
    await session.flush()


async def remove(session: AsyncSession, passkey: Passkey) -> None:
    await session.delete(passkey)
    await session.flush()


async def add_challenge(
    session: AsyncSession, attendee_id: uuid.UUID, purpose: str, challenge: str, expires_at: datetime
) -> None:
    session.add(
        PasskeyChallenge(attendee_id=attendee_id, purpose=purpose, challenge=challenge, expires_at=expires_at)
    )
    await session.flush()


async def forget_stale_challenges(
    session: AsyncSession, attendee_id: uuid.UUID, purpose: str, now: datetime
) -> None:
    """The expired challenges, and the pending one of the same purpose: one at a time each, so
    asking for options again and again keeps no more than two rows per attendee."""
    await session.execute(
        delete(PasskeyChallenge).where(
            PasskeyChallenge.attendee_id == attendee_id,
            (PasskeyChallenge.expires_at <= now) | (PasskeyChallenge.purpose == purpose),
        )
    )


async def forget_all(session: AsyncSession, attendee_id: uuid.UUID) -> None:
    await session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.attendee_id == attendee_id))
    await session.execute(delete(Passkey).where(Passkey.attendee_id == attendee_id))


async def take_challenge(
    session: AsyncSession, attendee_id: uuid.UUID, purpose: str, challenge: str
) -> datetime | None:
    """Delete the challenge and say until when it was valid; None if it was not (or no longer) there.

    One statement, so two answers to the same challenge at once cannot both take it.
    """
    result = await session.execute(
        delete(PasskeyChallenge)
        .where(
            PasskeyChallenge.attendee_id == attendee_id,
            PasskeyChallenge.purpose == purpose,
            PasskeyChallenge.challenge == challenge,
        )
        .returning(PasskeyChallenge.expires_at)
    )
    return result.scalar_one_or_none()
