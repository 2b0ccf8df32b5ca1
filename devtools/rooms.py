"""Made-up directories for the suggestion tests and the bench: people who offer and seek.

Phrases come from small French and English pools, with accents and inflections, so the
text matching meets what real rooms hold; a seeded generator makes the same room twice.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

OFFERS = (
    "intros à des acheteurs retail",
    "intros to retail buyers",
    "mentorat Rust",
    "Rust mentoring",
    "conseils en levée de fonds",
    "fundraising advice",
    "accès à des investisseurs",
    "design produit",
    "product design reviews",
    "expertise logistique",
    "logistics know-how",
    "recrutement de développeurs",
    "emballage durable",
    "données de santé",
    "cloud infrastructure",
    "juridique pour startups",
    "marketing B2B",
    "partenariats industriels",
)
SEEKS = (
    "clients pilotes en logistique",
    "pilot customers in logistics",
    "un CTO cofondateur",
    "a CTO co-founder",
    "investisseurs seed",
    "seed investors",
    "acheteurs retail",
    "retail buyers",
    "mentor Rust",
    "a Rust mentor",
    "designers produit",
    "sustainable packaging suppliers",
    "partenaires santé",
    "B2B marketing help",
    "legal advice",
    "développeurs backend",
)
INTERESTS = (
    "emballage durable",
    "sustainable packaging",
    "IA",
    "AI",
    "logistique",
    "logistics",
    "santé",
    "health",
    "énergie",
    "climat",
    "climate",
    "open source",
    "retail",
    "fintech",
    "design",
    "éducation",
)
OBJECTIVES = ("partnership", "inspiration", "visibility", "hiring", "learning", "clients")
FIRMS = tuple(f"Firm {i}" for i in range(400))
FIRST = ("Zoé", "Léa", "Hugo", "Inès", "Jules", "Chloé", "Noah", "Emma", "Louis", "Jade", "Adam", "Anaïs")
LAST = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Simon")


@dataclass(frozen=True)
class MadeUp:
    id: uuid.UUID
    name: str
    company: str
    objectives: tuple[str, ...]
    interests: tuple[str, ...]
    offers: tuple[str, ...]
    seeks: tuple[str, ...]
    open_to_chat: bool


def made_up_room(size: int, seed: int = 18, *, big_firm_share: float = 0.05) -> list[MadeUp]:
    """``size`` people; ``big_firm_share`` of them work for the same company ("Big Corp")."""
    rng = random.Random(seed)
    people = []
    for i in range(size):
        company = "Big Corp" if rng.random() < big_firm_share else rng.choice(FIRMS)
        people.append(
            MadeUp(
                id=uuid.UUID(int=rng.getrandbits(128)),
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                company=company,
                objectives=tuple(rng.sample(OBJECTIVES, rng.randint(1, 2))),
                interests=tuple(rng.sample(INTERESTS, rng.randint(0, 4))),
                offers=tuple(rng.sample(OFFERS, rng.randint(0, 3))),
                seeks=tuple(rng.sample(SEEKS, rng.randint(0, 3))),
                open_to_chat=rng.random() < 0.2,
            )
        )
    return people
