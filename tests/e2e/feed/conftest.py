"""The feed's real-process tests share one two-instance cluster, started once for this folder."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

from devtools.postgres import create_postgres_database, drop_postgres_database, postgres_available
from rencontre import migrate
from tests.e2e import nginx
from tests.e2e.feed.support import Cluster, Site, start_cluster
from tests.support import make_settings, require_or_skip


@pytest.fixture(scope="package")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_or_skip(postgres_available(), "PostgreSQL on 127.0.0.1:5432")
    name = f"rencontre_feed_e2e_{os.getpid()}"
    url = create_postgres_database(name)
    migrate.upgrade(make_settings(tmp_path_factory.mktemp("migrate")), url)
    yield url
    drop_postgres_database(name)


@pytest.fixture(scope="package")
def cluster(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two instances, A and B, on two ports, against one PostgreSQL database."""
    started = start_cluster(postgres_url, tmp_path_factory.mktemp("cluster"))
    yield started
    started.stop()


@pytest.fixture
async def sites() -> AsyncIterator[list[Site]]:
    opened: list[Site] = []
    yield opened
    for site in opened:
        await site.close()


@pytest.fixture(scope="package")
def nginx_binary() -> str:
    return nginx.nginx_binary()
