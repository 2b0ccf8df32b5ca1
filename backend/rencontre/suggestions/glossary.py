"""Bridge words between French and English for the event words that share no letters.

Character n-grams already match "logistique" and "logistics"; they cannot match
"levée de fonds" and "fundraising". Each pair below is folded French ↔ English; a phrase
holding one side gets the other side appended before its n-grams are taken, so both
languages meet. It is a short list of networking vocabulary, not a dictionary: adding a
pair is one line.
"""

from __future__ import annotations

import re
from typing import Final

_PAIRS: Final[tuple[tuple[str, str], ...]] = (
    ("levee de fonds", "fundraising"),
    ("lever des fonds", "fundraising"),
    ("investisseur", "investor"),
    ("financement", "funding"),
    ("emballage", "packaging"),
    ("durable", "sustainable"),
    ("developpement durable", "sustainability"),
    ("recrutement", "hiring"),
    ("recruter", "hiring"),
    ("embauche", "hiring"),
    ("cofondateur", "co founder"),
    ("associe", "co founder"),
    ("fournisseur", "supplier"),
    ("acheteur", "buyer"),
    ("achats", "purchasing"),
    ("client", "customer"),
    ("clients", "customers"),
    ("pilote", "pilot"),
    ("vente", "sales"),
    ("ventes", "sales"),
    ("commercial", "sales"),
    ("conseil", "advice"),
    ("conseils", "advice"),
    ("accompagnement", "mentoring"),
    ("mentorat", "mentoring"),
    ("apprentissage automatique", "machine learning"),
    ("intelligence artificielle", "artificial intelligence"),
    ("ia", "ai"),
    ("donnees", "data"),
    ("sante", "health"),
    ("energie", "energy"),
    ("agriculture", "farming"),
    ("alimentation", "food"),
    ("immobilier", "real estate"),
    ("assurance", "insurance"),
    ("banque", "banking"),
    ("juridique", "legal"),
    ("comptabilite", "accounting"),
    ("logiciel", "software"),
    ("cybersecurite", "cybersecurity"),
    ("chaine d approvisionnement", "supply chain"),
    ("entrepot", "warehouse"),
    ("transport", "shipping"),
    ("export", "export"),
    ("presentation", "introduction"),
    ("mise en relation", "introduction"),
    ("intros", "introduction"),
    ("partenariat", "partnership"),
    ("partenaire", "partner"),
    ("distribution", "distribution"),
    ("grande distribution", "retail"),
    ("commerce", "retail"),
    ("marque", "brand"),
    ("communication", "marketing"),
    ("design", "design"),
    ("produit", "product"),
    ("benevole", "volunteer"),
    ("association", "nonprofit"),
    ("emploi", "job"),
    ("stage", "internship"),
)


def _pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(words)}s?\b")


_LINKS: Final = tuple((_pattern(fr), en) for fr, en in _PAIRS) + tuple(
    (_pattern(en), fr) for fr, en in _PAIRS if fr != en
)


def bridge(folded: str) -> str:
    """The other language's words for what ``folded`` (already folded text) mentions."""
    extra = dict.fromkeys(other for pattern, other in _LINKS if pattern.search(folded))
    return " ".join(extra)
