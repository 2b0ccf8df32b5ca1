"""How often organiser sign-ins and attendee joins may be tried, and from where.

Sign-in: three counts, so that neither password spraying nor someone else's wrong
guesses lock the real organiser out.

- Every attempt from one address, whatever the e-mail (``login_address_rate_limit``):
  one address trying many e-mails (spraying) is refused, and a burst cannot run more
  password hashes than this.
- Failures of one e-mail from one address (``login_rate_limit``): guessing one
  organiser's password from one place is slow.
- Failures of one e-mail from every address (``login_email_rate_limit``): guessing it
  from many places is slow too. Past this cap only the addresses that have themselves
  failed for this e-mail within the cap's window are refused; an address with no
  failure still gets its attempts, so the organiser at the door signs in while someone
  else exhausts the budget. The price is one try per fresh address, which the
  per-address count bounds.

Renewals of a phone's session (and the device token asked once by phones that joined before
device tokens) are counted per attendee (``session_renewal_rate_limit``): a phone renews
when its access token nears its end, never in a loop.

Joins: a venue's phones share one public address (NAT), so a join link is counted per
attendee (``join_rate_limit``) and an address only by a valve far above the largest
queue at the door (``join_address_rate_limit``).

Failures are counted after the password check, so concurrent wrong guesses from one
address can overshoot the per-e-mail counts by the burst; the per-address count of
attempts, taken before the check, bounds that burst.
"""

from __future__ import annotations

import uuid

from rencontre.config import Settings
from rencontre.errors import TooManyRequests
from rencontre.kit import ratelimit


class TooManySignIns(TooManyRequests):
    pass


class TooManyJoins(TooManyRequests):
    pass


class TooManyJoinsFromAddress(TooManyRequests):
    pass


class TooManyRenewals(TooManyRequests):
    pass


_ADDRESS = "sign-in-address"
_PAIR = "sign-in-failed-pair"
_PAIR_LONG = "sign-in-failed-pair-long"
_EMAIL = "sign-in-failed-email"

_SIGN_IN_WAIT = "Too many sign-in attempts; try again in {retry_after} s."


def _pair(email: str, address: str) -> str:
    return f"{email}\n{address}"


async def before_sign_in(settings: Settings, email: str, address: str) -> None:
    """Refuse (429) an attempt that one of the three counts no longer allows."""
    email = email.strip().lower()
    await ratelimit.consume(
        _ADDRESS, settings.login_address_rate_limit, address, refusal=TooManySignIns, detail=_SIGN_IN_WAIT
    )
    pair = _pair(email, address)
    if not await ratelimit.allows(_PAIR, settings.login_rate_limit, pair):
        await _refuse(_PAIR, settings.login_rate_limit, pair)
    email_cap = settings.login_email_rate_limit
    if not await ratelimit.allows(_EMAIL, email_cap, email) and await ratelimit.has_hits(
        _PAIR_LONG, email_cap, pair
    ):
        await _refuse(_EMAIL, settings.login_email_rate_limit, email)


async def sign_in_failed(settings: Settings, email: str, address: str) -> None:
    email = email.strip().lower()
    pair = _pair(email, address)
    await ratelimit.record(_PAIR, settings.login_rate_limit, pair)
    await ratelimit.record(_PAIR_LONG, settings.login_email_rate_limit, pair)
    await ratelimit.record(_EMAIL, settings.login_email_rate_limit, email)


async def _refuse(scope: str, rate: str, key: str) -> None:
    retry_after = await ratelimit.seconds_until_free(scope, rate, key)
    raise TooManySignIns(_SIGN_IN_WAIT.format(retry_after=retry_after), retry_after=retry_after)


async def before_join_from(settings: Settings, address: str) -> None:
    await ratelimit.consume(
        "join-address",
        settings.join_address_rate_limit,
        address,
        refusal=TooManyJoinsFromAddress,
        detail="Too many join attempts from this network; try again in {retry_after} s.",
    )


async def before_join_of(settings: Settings, attendee_id: uuid.UUID) -> None:
    await ratelimit.consume(
        "join-link",
        settings.join_rate_limit,
        str(attendee_id),
        refusal=TooManyJoins,
        detail="This join link was opened too many times in a row; try again in {retry_after} s.",
    )


async def before_renewal(settings: Settings, attendee_id: uuid.UUID) -> None:
    """Each renewal mints tokens and writes: counted per attendee (phones at a venue share addresses)."""
    await ratelimit.consume(
        "session-renewal",
        settings.session_renewal_rate_limit,
        str(attendee_id),
        refusal=TooManyRenewals,
        detail="This phone asked for a new session too often; try again in {retry_after} s.",
    )
