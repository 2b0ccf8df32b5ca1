from __future__ import annotations

import pytest

from rencontre.kit.ratelimit import address_key


class TestAddressesCountedByPerAddressLimits:
    def test_an_ipv4_client_is_counted_alone(self) -> None:
        assert address_key("203.0.113.7") == "203.0.113.7"
        assert address_key("203.0.113.7") != address_key("203.0.113.8")

    def test_an_ipv6_client_is_counted_by_its_64(self) -> None:
        one, other = address_key("2001:db8:1:2::1"), address_key("2001:db8:1:2:ffff::9")
        assert one == other == "2001:db8:1:2::/64"
        assert address_key("2001:db8:1:3::1") != one

    def test_an_ipv4_mapped_address_is_its_ipv4(self) -> None:
        assert address_key("::ffff:203.0.113.7") == "203.0.113.7"

    @pytest.mark.parametrize("host", ["", "testclient", "unix:/run/app.sock"])
    def test_anything_else_is_counted_as_given(self, host: str) -> None:
        assert address_key(host) == (host or "unknown")
