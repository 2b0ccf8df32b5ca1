"""The push scenario: follow-up reminders due for the whole room, computed and sent.

Every attendee of the main event gets a phone subscribed to a local push service (in its
own process, answering 201 like a real one) and two contacts met 24 hours ago, still to
do. One reminder round (``rencontre.push.reminders.run_round``, what the app's schedule
and ``rencontre reminders`` run) then claims, encrypts, signs and sends one notification
per attendee. Reported: the round's seconds, notifications per second, the push
service's count, and a few messages decrypted with their phone's keys.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, insert, select

from bench.procs import Child
from bench.report import Row, rounded
from bench.scenarios import Context
from devtools.push import FakeBrowser, serve_sink
from rencontre.config import Settings
from rencontre.db import create_engine, create_session_factory
from rencontre.kit.time import utcnow
from rencontre.models import Encounter, PushSubscription
from rencontre.push import reminders

CONTACTS_EACH = 2
SAMPLES = 5
PUSH_KEY = "/api/push/key"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _prepare(settings: Settings, ctx: Context, browsers: list[FakeBrowser]) -> None:
    """Subscriptions and contacts met a day ago, written straight into the database."""
    people = ctx.world.event.people
    met = utcnow() - timedelta(hours=24, minutes=1)
    engine = create_engine(settings)
    try:
        async with engine.begin() as connection:
            taken = {
                (a, b)
                for a, b in (
                    await connection.execute(
                        select(Encounter.scanner_id, Encounter.scanned_id).where(
                            Encounter.event_id == ctx.world.event.id
                        )
                    )
                ).all()
            }
            seq = int(
                await connection.scalar(
                    select(func.coalesce(func.max(Encounter.seq), 0)).where(
                        Encounter.event_id == ctx.world.event.id
                    )
                )
                or 0
            )
            subscriptions, encounters = [], []
            for index, (person, browser) in enumerate(zip(people, browsers, strict=True)):
                keys = browser.subscription()["keys"]
                subscriptions.append(
                    {
                        "id": uuid.uuid4(),
                        "attendee_id": person.id,
                        "endpoint": browser.endpoint,
                        "p256dh": keys["p256dh"],
                        "auth": keys["auth"],
                        "language": "",
                        "created_at": met,
                    }
                )
                made = 0
                for step in range(1, len(people)):
                    other = people[(index + step) % len(people)]
                    if made == CONTACTS_EACH:
                        break
                    if (person.id, other.id) in taken:
                        continue
                    made += 1
                    seq += 1
                    encounters.append(
                        {
                            "id": uuid.uuid4(),
                            "event_id": ctx.world.event.id,
                            "scanner_id": person.id,
                            "scanned_id": other.id,
                            "seq": seq,
                            "client_id": uuid.uuid4(),
                            "note": "",
                            "tags": [],
                            "met_at": met,
                            "last_scanned_at": met,
                            "updated_at": met,
                        }
                    )
            for start in range(0, len(subscriptions), 1000):
                await connection.execute(insert(PushSubscription), subscriptions[start : start + 1000])
            for start in range(0, len(encounters), 1000):
                await connection.execute(insert(Encounter), encounters[start : start + 1000])
    finally:
        await engine.dispose()


async def _round(settings: Settings) -> reminders.RoundReport:
    engine = create_engine(settings)
    try:
        return await reminders.run_round(settings, create_session_factory(engine))
    finally:
        await engine.dispose()


def push(ctx: Context, settings: Settings) -> Row:
    people = ctx.world.event.people
    params = {"attendees": len(people)}
    if not ctx.serves(PUSH_KEY):
        return Row("push", ctx.db, ctx.workers, params, status="skipped", note="reminders not served yet")
    # Whatever the hour the bench runs at, it is daytime for the reminders; the push service
    # is a process on this machine, as in the tests.
    settings = settings.model_copy(
        update={
            "reminder_quiet_start_hour": 0,
            "reminder_quiet_end_hour": 0,
            "push_allow_loopback_http": True,
        }
    )
    port = _free_port()
    browsers = [FakeBrowser(f"http://127.0.0.1:{port}/push/{index}") for index in range(len(people))]
    asyncio.run(_prepare(settings, ctx, browsers))
    sink = Child(serve_sink, port, len(people), ctx.plan.process_timeout, SAMPLES)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    started = time.monotonic()
    report = asyncio.run(_round(settings))
    seconds = time.monotonic() - started
    with contextlib.suppress(httpx.HTTPError):
        httpx.post(f"http://127.0.0.1:{port}/stop", timeout=5)
    received: dict[str, Any] = sink.result(timeout=ctx.plan.process_timeout + 30)
    decrypted = 0
    for path, body in received["samples"]:
        message = browsers[int(path.rsplit("/", 1)[1])].decrypt(body)
        decrypted += message.get("kind") == "follow_up"
    errors = report.failed + (len(people) - received["count"]) + (len(received["samples"]) - decrypted)
    metrics = {
        "errors": errors,
        "seconds": rounded(seconds, 2),
        "reminded": report.reminded,
        "messages": report.messages,
        "received": received["count"],
        "messages_per_s": rounded(report.messages / seconds, 1) if seconds else None,
        "ms_per_attendee": rounded(1000 * seconds / max(1, report.reminded), 2),
        "kib_sent": rounded(received["bytes"] / 1024, 1),
        "decrypted_samples": decrypted,
    }
    return Row("push", ctx.db, ctx.workers, params, metrics=metrics)
