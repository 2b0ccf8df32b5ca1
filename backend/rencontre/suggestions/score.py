"""How well two people of a directory fit: the scorer, with its weights in one place.

A pair scores, from the reader's side:

    complementarity × (my seeks · your offers  +  your seeks · my offers)
  + shared_interests × (my interests · your interests)
  + same_objective   × (1 if we came for a same objective)
  + open_to_chat     × (1 if you are open to chat now)

where ``·`` sums the cosines of the two lists' phrases (:mod:`rencontre.suggestions.text`).
Complementarity, a seek met by an offer, weighs most; sameness less; "open to chat" only
breaks near-ties. Everything but the open-to-chat boost is symmetric: A fits B exactly as
B fits A.

The scorer reads :class:`Profile`, made from the public card only
(:func:`rencontre.suggestions.service.visible_profile`): a score never rests on anything
the reader could not see.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import scipy.sparse as sp

from rencontre.kit.text import fold
from rencontre.suggestions import text


@dataclass(frozen=True)
class Weights:
    complementarity: float = 1.0
    shared_interests: float = 0.4
    same_objective: float = 0.15
    open_to_chat: float = 0.05
    # Two phrases "match" (and a reason may cite them) from this cosine up.
    phrase_match: float = 0.2


WEIGHTS: Final = Weights()


@dataclass(frozen=True, slots=True)
class Profile:
    """What the scorer knows of a person: their public card's who-to-meet parts."""

    id: uuid.UUID
    company: str = ""
    objectives: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    seeks: tuple[str, ...] = ()
    open_to_chat: bool = False

    @property
    def firm(self) -> str:
        """The company as compared for spreading a list ("" when none is given)."""
        return " ".join(fold(self.company).split())


@dataclass
class _Field:
    people: sp.csr_matrix  # one row per person: the sum of their phrases' unit vectors
    people_t: sp.csr_matrix = field(init=False)

    def __post_init__(self) -> None:
        self.people_t = sp.csr_matrix(self.people.T)


class Room:
    """A directory's profiles as matrices, scored in blocks of readers."""

    def __init__(self, profiles: Sequence[Profile], weights: Weights = WEIGHTS) -> None:
        self.profiles = list(profiles)
        self.weights = weights
        self.index = {p.id: i for i, p in enumerate(self.profiles)}
        size = len(self.profiles)
        phrases: list[str] = []
        owners: dict[str, list[int]] = {"offers": [], "seeks": [], "interests": []}
        rows: dict[str, list[int]] = {"offers": [], "seeks": [], "interests": []}
        for i, person in enumerate(self.profiles):
            for name in owners:
                for phrase in getattr(person, name):
                    rows[name].append(len(phrases))
                    owners[name].append(i)
                    phrases.append(phrase)
        counts = text.phrase_matrix(phrases)
        unit = text.compact(text.weigh(counts, text.idf_weights(counts)))
        self._fields = {name: _Field(text.group_sum(unit[rows[name]], owners[name], size)) for name in owners}
        objective_names = sorted({o for p in self.profiles for o in p.objectives if o})
        column = {o: j for j, o in enumerate(objective_names)}
        pairs = [(i, column[o]) for i, p in enumerate(self.profiles) for o in set(p.objectives) if o]
        self._objectives = sp.csr_matrix(
            (np.ones(len(pairs), dtype=np.float32), ([i for i, _ in pairs], [j for _, j in pairs])),
            shape=(size, max(len(objective_names), 1)),
        )
        self._objectives_t = sp.csr_matrix(self._objectives.T)
        self.open = np.array([p.open_to_chat for p in self.profiles], dtype=bool)
        firms = [p.firm for p in self.profiles]
        self.firm_ids = _firm_ids(firms)

    def __len__(self) -> int:
        return len(self.profiles)

    def scores(self, readers: Sequence[int] | np.ndarray) -> np.ndarray:
        """Scores of every person (columns) for each reader (rows); a reader's own cell is -inf."""
        readers = np.asarray(readers, dtype=np.int64)
        w = self.weights
        offers, seeks, interests = (self._fields[n] for n in ("offers", "seeks", "interests"))
        complementarity = _dense(seeks.people[readers] @ offers.people_t) + _dense(
            offers.people[readers] @ seeks.people_t
        )
        same_interests = _dense(interests.people[readers] @ interests.people_t)
        same_objective = _dense(self._objectives[readers] @ self._objectives_t) > 0
        total: np.ndarray = (
            w.complementarity * complementarity
            + w.shared_interests * same_interests
            + w.same_objective * same_objective
            + w.open_to_chat * self.open[np.newaxis, :]
        ).astype(np.float32)
        total[np.arange(len(readers)), readers] = -np.inf
        return total


def _dense(product: sp.spmatrix) -> np.ndarray:
    return np.asarray(product.toarray(), dtype=np.float32)


def _firm_ids(firms: Sequence[str]) -> np.ndarray:
    """A number per company; each person without one is a company of their own (-1 - i)."""
    known: dict[str, int] = {}
    ids = np.empty(len(firms), dtype=np.int64)
    for i, firm in enumerate(firms):
        ids[i] = known.setdefault(firm, len(known)) if firm else -1 - i
    return ids


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase of theirs that meets one of the reader's."""

    theirs: str
    yours: str
    similarity: float


def best_match(theirs: Sequence[str], yours: Sequence[str], weights: Weights = WEIGHTS) -> Match | None:
    """The closest pair of phrases across two short lists, if close enough to be cited."""
    if not theirs or not yours:
        return None
    similarity = text.cosines(theirs, yours)
    i, j = (int(k) for k in np.unravel_index(int(np.argmax(similarity)), similarity.shape))
    best = float(similarity[i, j])
    if best < weights.phrase_match:
        return None
    return Match(theirs=theirs[i], yours=yours[j], similarity=best)
