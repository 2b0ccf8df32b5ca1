"""The ``rencontre`` command, run as a newcomer would, on a fresh data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "RENCONTRE_DATA_DIR": str(tmp_path),
        "RENCONTRE_DATABASE_URL": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "rencontre", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


class TestCommandLine:
    def test_migrate_demo_and_organiser(self, tmp_path: Path) -> None:
        migrated = _run(tmp_path, "migrate")
        assert migrated.returncode == 0, migrated.stderr
        assert (tmp_path / "rencontre.db").exists()

        demo = _run(tmp_path, "demo")
        assert demo.returncode == 0, demo.stderr
        assert "organiser@rencontre.demo" in demo.stdout
        assert demo.stdout.count("/join#") == 4

        again = _run(tmp_path, "demo")
        assert "already has data" in again.stdout

        created = _run(
            tmp_path,
            "organiser",
            "create",
            "--email",
            "lea@example.org",
            "--name",
            "Léa",
            RENCONTRE_ORGANISER_PASSWORD="a long passphrase",
        )
        assert created.returncode == 0, created.stderr
        duplicate = _run(
            tmp_path,
            "organiser",
            "create",
            "--email",
            "LEA@example.org",
            "--name",
            "Léa",
            RENCONTRE_ORGANISER_PASSWORD="a long passphrase",
        )
        assert duplicate.returncode == 1
        assert "already exists" in duplicate.stderr

    def test_short_password_is_refused(self, tmp_path: Path) -> None:
        assert _run(tmp_path, "migrate").returncode == 0
        result = _run(
            tmp_path,
            "organiser",
            "create",
            "--email",
            "a@example.org",
            "--name",
            "A",
            RENCONTRE_ORGANISER_PASSWORD="short",
        )
        assert result.returncode != 0
        assert "8 characters" in result.stderr

    def test_keys_are_generated_into_the_data_directory(self, tmp_path: Path) -> None:
        assert _run(tmp_path, "migrate").returncode == 0
        assert _run(tmp_path, "demo").returncode == 0
        assert (tmp_path / "secrets.json").stat().st_mode & 0o077 == 0


class TestSettingsRefusedAtStart:
    def test_a_short_signing_key_stops_serve_with_one_clear_line(self, tmp_path: Path) -> None:
        result = _run(tmp_path, "serve", "--no-migrate", RENCONTRE_JWT_SECRET="changeme")
        assert result.returncode == 2
        assert result.stderr.startswith("Error: RENCONTRE_JWT_SECRET is 8 bytes long")
        assert "Traceback" not in result.stderr
        assert "token_urlsafe" in result.stderr

    def test_a_proxy_list_that_does_not_parse_names_its_setting(self, tmp_path: Path) -> None:
        result = _run(tmp_path, "migrate", RENCONTRE_FORWARDED_ALLOW_IPS="nginx")
        assert result.returncode == 2
        assert "RENCONTRE_FORWARDED_ALLOW_IPS: 'nginx' is neither an IP address" in result.stderr


class TestCronCommands:
    """Reminders by Web Push and retention (issue 19): one round each, for deployments using cron."""

    def test_reminders_and_purge_run_once_and_say_what_they_did(self, tmp_path: Path) -> None:
        assert _run(tmp_path, "migrate").returncode == 0
        reminders = _run(tmp_path, "reminders")
        assert reminders.returncode == 0, reminders.stderr
        assert reminders.stdout.startswith("Reminders: 0 attendees reminded (0 messages sent)")
        purge = _run(tmp_path, "purge")
        assert purge.returncode == 0, purge.stderr
        assert purge.stdout.startswith("Retention: 0 attendees warned; 0 events purged")

    def test_a_wrong_setting_stops_before_anything_runs(self, tmp_path: Path) -> None:
        refused = _run(
            tmp_path, "reminders", RENCONTRE_REMINDER_FIRST_HOURS="40", RENCONTRE_REMINDER_SECOND_HOURS="24"
        )
        assert refused.returncode == 2
        assert "reminder_second_hours (24) must be after reminder_first_hours (40)" in refused.stderr


class TestServeRefusesBadCombinations:
    """Each refused before anything is served or migrated, with the option and the reason."""

    POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"

    def test_feed_only_with_sqlite(self, tmp_path: Path) -> None:
        result = _run(tmp_path, "serve", "--feed-only")
        assert result.returncode == 2
        assert "--feed-only" in result.stderr
        assert "needs PostgreSQL" in result.stderr
        assert not (tmp_path / "rencontre.db").exists()

    def test_feed_only_asked_to_migrate(self, tmp_path: Path) -> None:
        result = _run(tmp_path, "serve", "--feed-only", "--migrate", RENCONTRE_DATABASE_URL=self.POSTGRES)
        assert result.returncode == 2
        assert "never migrates" in result.stderr

    def test_several_workers_with_sqlite(self, tmp_path: Path) -> None:
        result = _run(tmp_path, "serve", "--workers", "2")
        assert result.returncode == 2
        assert "several workers need PostgreSQL" in result.stderr
        assert "one writer per database file" in result.stderr
        assert not (tmp_path / "rencontre.db").exists()

    def test_no_worker_at_all(self, tmp_path: Path) -> None:
        result = _run(tmp_path, "serve", "--workers", "0")
        assert result.returncode == 2
        assert "at least one worker" in result.stderr
