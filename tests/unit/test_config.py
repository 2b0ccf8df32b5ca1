from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from rencontre.config import Settings, normalise_database_url


class TestGeneratedSecrets:
    def test_keys_are_generated_once_and_private(self, tmp_path: Path) -> None:
        first = Settings(data_dir=tmp_path)
        ring = first.jwt_keyring()
        badge = first.badge_key()
        path = tmp_path / "secrets.json"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        again = Settings(data_dir=tmp_path)
        assert again.jwt_keyring() == ring
        assert again.badge_key() == badge
        assert ring.signing_key != badge
        assert len(ring.signing_key) >= 32

    def test_given_keys_win(self, tmp_path: Path) -> None:
        settings = Settings(data_dir=tmp_path, jwt_secret="s" * 40, badge_secret="b" * 40)
        assert settings.jwt_keyring().signing_key == b"s" * 40
        assert settings.badge_key() == b"b" * 40
        assert not (tmp_path / "secrets.json").exists()


class TestDatabaseUrl:
    def test_default_is_embedded_sqlite(self, tmp_path: Path) -> None:
        settings = Settings(data_dir=tmp_path)
        assert settings.is_sqlite
        assert settings.resolved_database_url.endswith("/rencontre.db")

    @pytest.mark.parametrize(
        "url", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg2://u@h/db"]
    )
    def test_postgres_urls_use_asyncpg(self, url: str) -> None:
        assert normalise_database_url(url) == "postgresql+asyncpg://u@h/db"

    def test_public_base_url_must_be_absolute(self) -> None:
        with pytest.raises(ValidationError, match="absolute"):
            Settings(public_base_url="example.org")
