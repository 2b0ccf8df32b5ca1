"""The ``rencontre`` command."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from rencontre.config import Settings, get_settings

app = typer.Typer(help="Rencontre: badge scanning for networking events.", no_args_is_help=True)
organiser_app = typer.Typer(help="Manage organiser accounts.", no_args_is_help=True)
app.add_typer(organiser_app, name="organiser")


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    from rencontre import migrate as migrations

    settings = _settings()
    migrations.upgrade(settings)
    typer.echo(f"Database schema is up to date ({_safe_url(settings.resolved_database_url)}).")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (PostgreSQL only).")] = 1,
    migrate_first: Annotated[
        bool | None,
        typer.Option("--migrate/--no-migrate", help="Migrate first (default: yes, except --feed-only)."),
    ] = None,
    feed_only: Annotated[
        bool,
        typer.Option(
            "--feed-only",
            help="Serve only the organisers' live feed (websocket) and the health check, beside the"
            " main instances (PostgreSQL only; see the README's deployment section).",
        ),
    ] = False,
) -> None:
    """Serve the API, the PWA and the console (or, with --feed-only, the dashboards' live feed)."""
    import uvicorn

    if workers < 1:
        raise typer.BadParameter("at least one worker", param_hint="--workers")
    settings = _settings()
    if feed_only and settings.is_sqlite:
        raise typer.BadParameter(
            "a feed-only process needs PostgreSQL (RENCONTRE_DATABASE_URL): with SQLite one process"
            " serves everything, dashboards included",
            param_hint="--feed-only",
        )
    if feed_only and migrate_first:
        raise typer.BadParameter(
            "a feed-only process never migrates: migrate with the main instance (rencontre migrate)",
            param_hint="--migrate",
        )
    if workers > 1 and settings.is_sqlite:
        raise typer.BadParameter(
            "several workers need PostgreSQL (RENCONTRE_DATABASE_URL): SQLite has one writer per"
            " database file, and one process already writes every scan of a group in one commit",
            param_hint="--workers",
        )
    if migrate_first is None:
        migrate_first = not feed_only
    if migrate_first:
        migrate()
    if not feed_only:
        settings.jwt_keyring()  # generate the keys once, before workers race for them
    uvicorn.run(
        "rencontre.feed.app:create_feed_app" if feed_only else "rencontre.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # Behind nginx the connecting address is the proxy's: believe its X-Forwarded-For only
        # when it comes from one of these, so rate limits count the real client (README, proxies).
        proxy_headers=bool(settings.forwarded_allow_ips.strip()),
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level=settings.log_level,
        timeout_graceful_shutdown=10,
        # The feed refuses client frames over 4 KiB; don't buffer 16 MiB first.
        ws_max_size=64 * 1024,
        # Feed frames are a few KiB, sent alike to every dashboard: compressing them again for
        # each connection would cost more CPU than every scan of the event (bench/README.md).
        ws_per_message_deflate=False,
    )


@organiser_app.command("create")
def create_organiser(
    email: Annotated[str, typer.Option(prompt=True, help="Sign-in e-mail.")],
    name: Annotated[str, typer.Option(prompt=True, help="Display name.")],
) -> None:
    """Create an organiser account (password from RENCONTRE_ORGANISER_PASSWORD or a prompt)."""
    from rencontre.auth.passwords import MIN_PASSWORD_LENGTH
    from rencontre.demo import create_organiser_account

    password = os.environ.get("RENCONTRE_ORGANISER_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise typer.BadParameter(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    try:
        asyncio.run(create_organiser_account(_settings(), email, name, password))
    except ValueError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Organiser {email} created.")


@app.command()
def demo() -> None:
    """Fill an empty database with a demo event, and print how to sign in."""
    from rencontre.demo import seed_demo

    lines = asyncio.run(seed_demo(_settings()))
    for line in lines:
        typer.echo(line)


@app.command()
def watch(
    event_id: Annotated[str, typer.Argument(help="The event's id (see the console's address bar).")],
    email: Annotated[str, typer.Option(prompt=True, help="Organiser sign-in e-mail.")],
    url: Annotated[str, typer.Option(help="The server's address.")] = "http://127.0.0.1:8000",
    as_json: Annotated[bool, typer.Option("--json", help="Print every frame as JSON.")] = False,
) -> None:
    """Print an event's live counts (password from RENCONTRE_ORGANISER_PASSWORD or a prompt)."""
    import uuid

    from rencontre.feed.watch import WatchError
    from rencontre.feed.watch import watch as watch_feed

    try:
        event = uuid.UUID(event_id)
    except ValueError:
        raise typer.BadParameter(f"{event_id!r} is not an event id") from None
    password = os.environ.get("RENCONTRE_ORGANISER_PASSWORD") or typer.prompt("Password", hide_input=True)

    def out(line: str) -> None:
        typer.echo(line)
        sys.stdout.flush()

    try:
        asyncio.run(watch_feed(url, event, email, password, out=out, as_json=as_json))
    except WatchError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from exc
    except KeyboardInterrupt:
        pass


# Reminders by Web Push and retention (issue 19): one round each, for deployments using cron.
@app.command()
def reminders() -> None:
    """Send the follow-up reminders due now (once, even if the app sends them too)."""
    from rencontre.push.schedule import run_reminders_once

    report = asyncio.run(run_reminders_once(_settings()))
    typer.echo(
        f"Reminders: {report.reminded} attendees reminded ({report.messages} messages sent),"
        f" {report.quiet} waiting for morning, {report.held} held by their daily limit,"
        f" {report.removed} expired subscriptions removed, {report.failed} failed."
    )


@app.command()
def purge() -> None:
    """Warn of, then erase, the events whose data retention has run out (idempotent)."""
    from rencontre.push.schedule import run_purge_once

    warned, report = asyncio.run(run_purge_once(_settings()))
    typer.echo(
        f"Retention: {warned} attendees warned; {report.events} events purged,"
        f" {report.contacts_removed} contacts removed, {report.contacts_kept} kept,"
        f" {report.accounts_erased} accounts erased."
    )


def _settings() -> Settings:
    """The settings, or a short message per wrong one and exit status 2: a deployment with a
    short key or a malformed limit stops before it serves anything."""
    try:
        return get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            name = "RENCONTRE_" + "__".join(str(part) for part in error["loc"]).upper()
            message = str(error["msg"]).removeprefix("Value error, ")
            typer.echo(f"Error: {message if message.startswith(name) else f'{name}: {message}'}", err=True)
        raise typer.Exit(2) from None


def _safe_url(url: str) -> str:
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


def main() -> None:
    app()


if __name__ == "__main__":
    main()
