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


class TestSigningKeysAreLongEnough:
    @pytest.mark.parametrize("field", ["jwt_secret", "badge_secret"])
    def test_a_key_shorter_than_32_bytes_is_refused_with_its_name(self, tmp_path: Path, field: str) -> None:
        expected = rf"RENCONTRE_{field.upper()} is 31 bytes long.*at least 32"
        with pytest.raises(ValidationError, match=expected):
            Settings(data_dir=tmp_path, **{field: "k" * 31})

    def test_a_short_retired_key_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(ValidationError, match=r"RENCONTRE_JWT_RETIRED_KEYS\['old'\] is 8 bytes"):
            Settings(data_dir=tmp_path, jwt_secret="s" * 40, jwt_retired_keys={"old": "password"})

    def test_length_is_counted_in_bytes(self, tmp_path: Path) -> None:
        # 16 accented letters are 32 bytes in UTF-8: long enough.
        assert Settings(data_dir=tmp_path, jwt_secret="é" * 16).jwt_keyring().signing_key == "é".encode() * 16

    def test_a_short_key_from_the_environment_stops_the_start(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("RENCONTRE_BADGE_SECRET", "changeme")
        with pytest.raises(ValidationError, match="token_urlsafe"):
            Settings(data_dir=tmp_path)

    def test_generated_keys_are_long_enough(self, tmp_path: Path) -> None:
        settings = Settings(data_dir=tmp_path)
        assert len(settings.jwt_keyring().signing_key) >= 32
        assert len(settings.badge_key()) >= 32


class TestLimitsAndProxies:
    def test_a_rate_that_does_not_parse_is_refused_at_start(self) -> None:
        with pytest.raises(ValidationError, match="is not a rate"):
            Settings(join_rate_limit="often")

    @pytest.mark.parametrize("value", ["", "*", "127.0.0.1", "10.0.0.5, 10.1.0.0/16", "::1,fd00::/8"])
    def test_proxy_addresses_and_networks_are_accepted(self, value: str) -> None:
        assert Settings(forwarded_allow_ips=value).forwarded_allow_ips == value

    def test_a_proxy_that_is_not_an_address_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="'nginx' is neither an IP address nor a network"):
            Settings(forwarded_allow_ips="127.0.0.1,nginx")
