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
import gzip
import json
import random
import secrets
import time
import uuid
from dataclasses import dataclass

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges import repository, sealed, token
from rencontre.badges.schemas import CardLock, SealedCard, SealedDirectory
from rencontre.config import Settings
from rencontre.db import begin_write
from rencontre.profile import cards as profile_cards

# An incomplete cache is built again soon, so that the remaining codes get their keys.
_INCOMPLETE_SECONDS = 5.0


@dataclass
class _Built:
    at: float
    body: bytes
    complete: bool
    # Sealed cards hardly compress, but their base64 and JSON do (about 30 %); done once per build.
    gzipped: bytes


_built: dict[uuid.UUID, _Built] = {}
_locks: dict[uuid.UUID, asyncio.Lock] = {}


def forget(event_id: uuid.UUID) -> None:
    _built.pop(event_id, None)


async def sealed_directory(
    session: AsyncSession, settings: Settings, event_id: uuid.UUID, *, gzipped: bool = False
) -> bytes:
    """The event's sealed directory as JSON bytes (gzipped if asked), from memory when fresh enough."""
    lock = _locks.setdefault(event_id, asyncio.Lock())
    async with lock:
        kept = _built.get(event_id)
        ttl = settings.sealed_cache_seconds if kept and kept.complete else _INCOMPLETE_SECONDS
        if kept is None or time.monotonic() - kept.at >= ttl:
            directory = await _build(session, settings, event_id)
            body = directory.model_dump_json().encode("utf-8")
            packed = await anyio.to_thread.run_sync(gzip.compress, body, 6)
            kept = _built[event_id] = _Built(
                at=time.monotonic(), body=body, complete=directory.complete, gzipped=packed
            )
        return kept.gzipped if gzipped else kept.body


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
    if missing:
        # The derivation takes up to seconds: no transaction stays open across it, and the
        # keys are then written in a write transaction of their own (on SQLite a read
        # transaction cannot become a writer once another connection has committed).
        await session.commit()
    derived = await _derive(missing, salt, iterations, settings.short_code_kdf_seconds)
    if derived:
        await begin_write(session)
        await repository.store_code_keys(
            session, {attendee_id: stamp + secret.hex() for attendee_id, secret in derived.items()}
        )
    # In a random order: the position of a card says nothing of its name or of when it was added.
    rows = secrets.SystemRandom().sample(rows, len(rows))
    cards: list[SealedCard] = []
    locks: list[CardLock] = []
    complete = True
    for index, row in enumerate(rows):
        ref = token.BadgeRef(event_code=event_code, attendee_code=row.badge_code, version=row.badge_version)
        signed = token.issue(badge_key, ref)
        card_key, box = sealed.seal(_content(row, signed))
        cards.append(SealedCard(iv=box.nonce, box=box.box))
        locks.append(_lock(card_key, sealed.badge_opener(signed, salt), index))
        secret = derived.get(row.id)
        if secret is None and (row.short_code_key or "").startswith(stamp):
            secret = bytes.fromhex(row.short_code_key.removeprefix(stamp))  # type: ignore[union-attr]
        if secret is None:
            complete = False
            continue
        locks.append(_lock(card_key, sealed.opener(secret, salt), index))
    locks.sort(key=lambda found: found.id)
    return SealedDirectory(
        format=sealed.FORMAT,
        salt=sealed.b64(salt),
        iterations=iterations,
        complete=complete,
        cards=cards,
        locks=locks,
    )


def _content(row: repository.SealingRow, signed: str) -> bytes:
    """The card as a scanner sees it offline: no contact detail, no empty field, and the token."""
    card = profile_cards.public_card(row).model_dump(
        mode="json", exclude={"attendee_id", "badge_code", "deleted"}, exclude_none=True
    )
    kept = {name: value for name, value in card.items() if value or name == "name"}
    return json.dumps({**kept, "token": signed}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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


def _lock(card_key: bytes, opening: sealed.Opener, index: int) -> CardLock:
    found = sealed.lock(card_key, opening)
    return CardLock(id=found.card_id, iv=found.nonce, key=found.key, card=index)
