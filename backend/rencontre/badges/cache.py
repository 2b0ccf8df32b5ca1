"""The event's sealed offline card cache (see ``badges.sealed`` for the cryptography).

The same answer serves every attendee of an event, so it is built once and kept in memory
for ``sealed_cache_seconds``; a change to a card or a badge in this process drops it at once
(``badges.service``). The slow derivation of each short code is made once per code and
stored on the attendee (``short_code_key``); a request spends at most
``short_code_kdf_seconds`` on the codes still missing (after a large import), answers
``complete: false`` meanwhile, and the phone fetches again later.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges import repository, sealed, token
from rencontre.badges.schemas import DirectoryCard, SealedCard, SealedDirectory
from rencontre.config import Settings

# An incomplete cache is built again soon, so that the remaining codes get their keys.
_INCOMPLETE_SECONDS = 5.0


@dataclass
class _Built:
    at: float
    body: bytes
    complete: bool


_built: dict[uuid.UUID, _Built] = {}
_locks: dict[uuid.UUID, asyncio.Lock] = {}


def forget(event_id: uuid.UUID) -> None:
    _built.pop(event_id, None)


async def sealed_directory(session: AsyncSession, settings: Settings, event_id: uuid.UUID) -> bytes:
    """The event's sealed directory as JSON bytes, from memory when fresh enough."""
    lock = _locks.setdefault(event_id, asyncio.Lock())
    async with lock:
        kept = _built.get(event_id)
        ttl = settings.sealed_cache_seconds if kept and kept.complete else _INCOMPLETE_SECONDS
        if kept is not None and time.monotonic() - kept.at < ttl:
            return kept.body
        directory = await _build(session, settings, event_id)
        body = directory.model_dump_json().encode("utf-8")
        _built[event_id] = _Built(at=time.monotonic(), body=body, complete=directory.complete)
        return body


async def _build(session: AsyncSession, settings: Settings, event_id: uuid.UUID) -> SealedDirectory:
    event_code = await repository.event_code(session, event_id)
    assert event_code is not None
    badge_key = settings.badge_key()
    salt = sealed.event_salt(badge_key, event_code)
    iterations = settings.short_code_kdf_iterations
    rows = await repository.sealing_rows(session, event_id)
    # Which derivation a stored key came from: other settings (or another badge key) derive anew.
    stamp = f"{iterations}:{salt.hex()[:6]}:"
    missing = [row for row in rows if not (row.short_code_key or "").startswith(stamp)]
    derived = await _derive(missing, salt, iterations, settings.short_code_kdf_seconds)
    if derived:
        await repository.store_code_keys(
            session, {attendee_id: stamp + secret.hex() for attendee_id, secret in derived.items()}
        )
    cards: list[SealedCard] = []
    complete = True
    for row in rows:
        ref = token.BadgeRef(event_code=event_code, attendee_code=row.badge_code, version=row.badge_version)
        signed = token.issue(badge_key, ref)
        content = (
            DirectoryCard(
                badge_code=row.badge_code,
                name=row.name,
                company=row.company,
                job_title=row.job_title,
                pitch=row.pitch,
                objective=row.objective,
                interests=list(row.interests or ()),
                token=signed,
            )
            .model_dump_json(exclude_defaults=True)
            .encode("utf-8")
        )
        cards.append(_out(sealed.seal(content, sealed.badge_opener(signed, salt))))
        secret = derived.get(row.id)
        if secret is None and (row.short_code_key or "").startswith(stamp):
            secret = bytes.fromhex(row.short_code_key.removeprefix(stamp))  # type: ignore[union-attr]
        if secret is None:
            complete = False
            continue
        cards.append(_out(sealed.seal(content, sealed.opener(secret, salt))))
    cards.sort(key=lambda card: card.id)
    return SealedDirectory(
        format=sealed.FORMAT, salt=sealed.b64(salt), iterations=iterations, complete=complete, cards=cards
    )


async def _derive(
    rows: list[repository.SealingRow], salt: bytes, iterations: int, budget: float
) -> dict[uuid.UUID, bytes]:
    """The slow keys of as many of ``rows`` as ``budget`` seconds allow, off the event loop."""
    if not rows:
        return {}
    # In a random order: two instances filling the same event in parallel share the work.
    rows = random.sample(rows, len(rows))

    def work() -> dict[uuid.UUID, bytes]:
        out: dict[uuid.UUID, bytes] = {}
        deadline = time.monotonic() + budget
        for row in rows:
            out[row.id] = sealed.code_secret(row.short_code, salt, iterations)
            if time.monotonic() >= deadline:
                break
        return out

    return await anyio.to_thread.run_sync(work)


def _out(box: sealed.Sealed) -> SealedCard:
    return SealedCard(id=box.card_id, iv=box.nonce, box=box.box)
