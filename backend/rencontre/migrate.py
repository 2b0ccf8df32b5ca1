"""Running Alembic from the application: the only way the schema is made."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from rencontre.config import Settings


def alembic_config(settings: Settings, url: str | None = None) -> Config:
    root = Path(__file__).resolve().parents[2]
    ini = root / "alembic.ini"
    if not ini.exists():
        ini = Path.cwd() / "alembic.ini"
    config = Config(str(ini))
    config.attributes["database_url"] = url or settings.resolved_database_url
    return config


def upgrade(settings: Settings, url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(settings, url), revision)


def downgrade(settings: Settings, url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(settings, url), revision)
