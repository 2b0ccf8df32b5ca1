"""Conversation prompts ("posez des questions"): two or three questions drawn from a card.

Built from a :class:`PublicCard` only, the card the reader may already see, so a prompt
can never carry anything its subject did not share.
"""

from __future__ import annotations

from rencontre.profile.schemas import Language, PublicCard

MAX_PROMPTS = 3

_SEEK = {
    "fr": "Vous cherchez « {} » : à quoi ressemblerait la bonne personne ?",
    "en": "You are looking for “{}”: what would the right person look like?",
}
_OFFER = {
    "fr": "Vous proposez « {} » : à qui est-ce le plus utile ?",
    "en": "You offer “{}”: who does it help most?",
}
_OBJECTIVE = {
    "partnership": {
        "fr": "Quel partenariat aimeriez-vous nouer ici ?",
        "en": "What partnership would you like to start here?",
    },
    "inspiration": {
        "fr": "Qu'est-ce qui vous a inspiré·e dernièrement ?",
        "en": "What has inspired you lately?",
    },
    "visibility": {
        "fr": "Que voudriez-vous que l'on retienne de votre projet ?",
        "en": "What would you like people to remember about your project?",
    },
    "hiring": {
        "fr": "Quel profil cherchez-vous à recruter ?",
        "en": "Who are you hoping to hire?",
    },
    "learning": {
        "fr": "Qu'aimeriez-vous apprendre ici ?",
        "en": "What would you like to learn here?",
    },
    "clients": {
        "fr": "Quel serait votre client idéal ?",
        "en": "Who would your ideal customer be?",
    },
}
_PITCH = {
    "fr": "Comment votre projet est-il né ?",
    "en": "How did your project start?",
}
_INTEREST = {
    "fr": "Qu'est-ce qui vous passionne dans « {} » ?",
    "en": "What draws you to “{}”?",
}


def prompts(card: PublicCard, language: Language) -> list[str]:
    """Up to three questions for ``card``'s person, in ``language``; none for a deleted account."""
    if card.deleted:
        return []
    found: list[str] = []
    if card.seeks:
        found.append(_SEEK[language].format(card.seeks[0]))
    if card.offers:
        found.append(_OFFER[language].format(card.offers[0]))
    objective = next((o for o in card.objectives if o in _OBJECTIVE), None)
    if objective is not None:
        found.append(_OBJECTIVE[objective][language])
    if card.pitch:
        found.append(_PITCH[language])
    if card.interests:
        found.append(_INTEREST[language].format(card.interests[0]))
    return found[:MAX_PROMPTS]
