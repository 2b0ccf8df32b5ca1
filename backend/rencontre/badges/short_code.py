"""Short human badge codes: six characters printed on each badge, typed when the camera cannot help.

The alphabet is Crockford's base32 without ``U``: no ``O``, ``I``, ``L`` or ``U`` is ever
printed, and reading one back maps it to the character it is mistaken for (``O`` → ``0``,
``I``/``L`` → ``1``, ``U`` → ``V``). Typing is forgiving: any case, spaces, dashes and dots
are ignored. Six characters of 32 give 2^30 codes; a code is unique within its event only,
and re-issuing a badge draws a new one, so the old code stops working with the old QR code.
"""

from __future__ import annotations

import secrets

from rencontre.errors import Unprocessable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_IGNORED = str.maketrans("", "", " \t-._·–—")  # with the dashes a phone keyboard offers
_MAX_TYPED = 32


class InvalidShortCode(Unprocessable):
    """What was typed cannot be a badge code (wrong length or characters)."""

    title = "Invalid badge code"


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """The code as stored, from what a person typed; :class:`InvalidShortCode` if it cannot be one."""
    if len(typed) > _MAX_TYPED:
        raise InvalidShortCode(f"A badge code has {LENGTH} characters; this text is far longer.")
    code = typed.strip().upper().translate(_IGNORED).translate(_LOOK_ALIKES)
    if not code:
        raise InvalidShortCode(f"Type the {LENGTH}-character code printed under the QR code of the badge.")
    wrong = sorted({char for char in code if char not in ALPHABET})
    if wrong:
        raise InvalidShortCode(
            f"A badge code has only letters and digits; {''.join(wrong)!r} cannot be part of one."
        )
    if len(code) != LENGTH:
        raise InvalidShortCode(
            f"A badge code has {LENGTH} characters (letters and digits); {len(code)} were typed."
        )
    return code


def printed(code: str) -> str:
    """As printed and shown: two groups of three, easier to read across a room and to type."""
    return f"{code[:3]} {code[3:]}"
