"""Push endpoints come from attendees' phones: reminders must never become requests to the
deployment's own machine or network, whatever the address looks like or resolves to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rencontre.push.webpush import Outcome, PublicAddressesOnly, Target, WebPushSender, not_public
from tests.push_server import FakeBrowser, FakePushService, push_service
from tests.support import make_settings


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LOCALHOST.",
        "printer.localhost",
        "127.0.0.1",
        "10.0.0.3",
        "192.168.1.1",
        "100.64.0.1",  # carrier-grade NAT: not private, not public either
        "169.254.169.254",  # a cloud's metadata service
        "::1",
        "::ffff:127.0.0.1",
        "fd00::1",
        "0.0.0.0",
    ],
)
def test_names_and_addresses_off_the_internet(host: str) -> None:
    assert not_public(host)


@pytest.mark.parametrize("host", ["fcm.googleapis.com", "web.push.apple.com", "8.8.8.8", "2001:4860::1"])
def test_push_services_are_public(host: str) -> None:
    assert not not_public(host)


async def test_a_name_resolving_to_this_machine_is_not_connected_to() -> None:
    resolver = PublicAddressesOnly()
    try:
        with pytest.raises(OSError, match="no address on the public internet"):
            await resolver.resolve("localhost", 443)
    finally:
        await resolver.close()


@pytest.fixture
def pushes() -> Iterator[FakePushService]:
    with push_service() as service:
        yield service


async def _send(tmp_path: Path, endpoint: str, *, allow_local: bool) -> Outcome:
    keys = FakeBrowser(endpoint).subscription()["keys"]
    settings = make_settings(tmp_path, push_allow_loopback_http=allow_local)
    async with WebPushSender(settings) as sender:
        return await sender.send(Target(endpoint, keys["p256dh"], keys["auth"]), {"n": 1}, ttl=60)


async def test_a_stored_endpoint_on_this_network_is_dropped_without_a_request(
    tmp_path: Path, pushes: FakePushService
) -> None:
    browser = pushes.browser()
    assert await _send(tmp_path, browser.endpoint, allow_local=False) is Outcome.gone
    assert pushes.all_received() == []


async def test_a_push_service_cannot_redirect_the_message(tmp_path: Path, pushes: FakePushService) -> None:
    first, elsewhere = pushes.browser(), pushes.browser()
    pushes.redirects[first.endpoint.removeprefix(pushes.base)] = elsewhere.endpoint
    assert await _send(tmp_path, first.endpoint, allow_local=True) is Outcome.failed
    assert [r.path for r in pushes.all_received()] == [first.endpoint.removeprefix(pushes.base)]
