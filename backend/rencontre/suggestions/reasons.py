"""Why a person is suggested, in words, in the reader's language.

Built from two :class:`~rencontre.suggestions.score.Profile`: the reader's own and the
other person's *as the reader may see it* (made from their public card), so a reason can
only quote what the reader could read on the card itself. The most telling reason comes
first: their seek meets your offer, then your seek meets their offer, a shared interest,
a shared objective, and "open to chat now".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from rencontre.profile.schemas import Language
from rencontre.suggestions.score import WEIGHTS, Profile, Weights, best_match


class ReasonKind(enum.StrEnum):
    they_seek_you_offer = "they_seek_you_offer"
    they_offer_you_seek = "they_offer_you_seek"
    shared_interest = "shared_interest"
    same_objective = "same_objective"
    open_to_chat = "open_to_chat"
    new_circle = "new_circle"


_TEXTS: Final[dict[Language, dict[ReasonKind, str]]] = {
    "fr": {
        ReasonKind.they_seek_you_offer: "{name} cherche {o}{theirs}{c} — vous proposez {o}{yours}{c}",
        ReasonKind.they_offer_you_seek: "{name} propose {o}{theirs}{c} — vous cherchez {o}{yours}{c}",
        ReasonKind.shared_interest: "Vous vous intéressez tous deux à {o}{theirs}{c}",
        ReasonKind.same_objective: "Vous venez tous deux pour\u00a0: {theirs}",
        ReasonKind.open_to_chat: "{name} est disponible pour discuter maintenant",
        ReasonKind.new_circle: "Une rencontre hors de vos cercles habituels",
    },
    "en": {
        ReasonKind.they_seek_you_offer: "{name} seeks {o}{theirs}{c} — you offer {o}{yours}{c}",
        ReasonKind.they_offer_you_seek: "{name} offers {o}{theirs}{c} — you seek {o}{yours}{c}",
        ReasonKind.shared_interest: "You both care about {o}{theirs}{c}",
        ReasonKind.same_objective: "You are both here for: {theirs}",
        ReasonKind.open_to_chat: "{name} is open to chat now",
        ReasonKind.new_circle: "Someone outside your usual circles",
    },
}

# Quotation marks around what a person wrote: French ones hold their text with no-break spaces.
_QUOTES: Final[dict[Language, tuple[str, str]]] = {"fr": ("«\u00a0", "\u00a0»"), "en": ("“", "”")}

OBJECTIVE_LABELS: Final[dict[Language, dict[str, str]]] = {
    "fr": {
        "partnership": "des partenariats",
        "inspiration": "l'inspiration",
        "visibility": "la visibilité",
        "hiring": "recruter",
        "learning": "apprendre",
        "clients": "trouver des clients",
        "other": "autre chose",
    },
    "en": {
        "partnership": "partnerships",
        "inspiration": "inspiration",
        "visibility": "visibility",
        "hiring": "hiring",
        "learning": "learning",
        "clients": "finding clients",
        "other": "something else",
    },
}


@dataclass(frozen=True, slots=True)
class Reason:
    kind: ReasonKind
    text: str
    theirs: str = ""
    yours: str = ""


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def reasons_for(
    reader: Profile,
    seen: Profile,
    seen_name: str,
    language: Language,
    *,
    most: int = 3,
    weights: Weights = WEIGHTS,
) -> list[Reason]:
    """Up to ``most`` reasons, best first; never empty (a new circle, at the least)."""
    texts = _TEXTS[language]
    opening, closing = _QUOTES[language]
    name = first_name(seen_name)
    found: list[Reason] = []

    def add(kind: ReasonKind, theirs: str = "", yours: str = "") -> None:
        said = texts[kind].format(name=name, theirs=theirs, yours=yours, o=opening, c=closing)
        found.append(Reason(kind, said, theirs=theirs, yours=yours))

    if match := best_match(seen.seeks, reader.offers, weights):
        add(ReasonKind.they_seek_you_offer, match.theirs, match.yours)
    if match := best_match(seen.offers, reader.seeks, weights):
        add(ReasonKind.they_offer_you_seek, match.theirs, match.yours)
    if match := best_match(seen.interests, reader.interests, weights):
        add(ReasonKind.shared_interest, match.theirs, match.yours)
    shared = [o for o in seen.objectives if o and o in reader.objectives]
    if shared:
        add(ReasonKind.same_objective, OBJECTIVE_LABELS[language].get(shared[0], shared[0]))
    if seen.open_to_chat:
        add(ReasonKind.open_to_chat)
    if not found:
        add(ReasonKind.new_circle)
    return found[:most]
