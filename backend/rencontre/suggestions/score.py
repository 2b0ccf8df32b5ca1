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

import copy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
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


# Up to this many readers, a block is scored against the people's rows as they are
# (people · readersᵀ): no transposed copy of the room is needed, which an updated room
# (one profile changed) would otherwise rebuild for a single row.
FEW_READERS: Final = 32
# An updated room keeps the rarity weights (IDF) of its last full build; after this share
# of the room has changed since, the next update builds it whole again.
REFIT_AFTER_SHARE: Final = 0.05
_FIELDS: Final = ("offers", "seeks", "interests")


class _Field:
    """One of offers, seeks, interests: a row per person, the sum of their phrases' unit vectors."""

    def __init__(self, people: sp.csr_matrix) -> None:
        self.people = people
        self._people_t: sp.csr_matrix | None = None

    @property
    def people_t(self) -> sp.csr_matrix:
        if self._people_t is None:
            self._people_t = sp.csr_matrix(self.people.T)
        return self._people_t

    def against(self, rows: sp.csr_matrix) -> np.ndarray:
        """Dot products of ``rows`` (readers' vectors of another field) with every person."""
        if rows.shape[0] <= FEW_READERS:
            return _dense(self.people @ sp.csr_matrix(rows.T)).T.copy()
        return _dense(rows @ self.people_t)


class Room:
    """A directory's profiles as matrices, scored in blocks of readers.

    A room is immutable once built; :meth:`updated` makes the room after some profiles
    changed, reusing this one's matrices and rarity weights for everyone else.
    """

    def __init__(self, profiles: Sequence[Profile], weights: Weights = WEIGHTS) -> None:
        self.profiles = list(profiles)
        self.weights = weights
        self.index = {p.id: i for i, p in enumerate(self.profiles)}
        size = len(self.profiles)
        phrases: list[str] = []
        owners: dict[str, list[int]] = {name: [] for name in _FIELDS}
        rows: dict[str, list[int]] = {name: [] for name in _FIELDS}
        for i, person in enumerate(self.profiles):
            for name in _FIELDS:
                for phrase in getattr(person, name):
                    rows[name].append(len(phrases))
                    owners[name].append(i)
                    phrases.append(phrase)
        counts = text.phrase_matrix(phrases)
        self._idf = text.idf_weights(counts)
        unit = text.compact(text.weigh(counts, self._idf))
        # Compacted (a small room): its columns are the n-grams it uses, so it cannot take in
        # a new phrase's n-grams; :meth:`updated` builds it again (it is small).
        self._compacted = unit.shape[1] != text.N_FEATURES
        self._fields = {
            name: _Field(text.group_sum(unit[rows[name]], owners[name], size)) for name in _FIELDS
        }
        self._changed_since_fit = 0
        self._firms: dict[str, int] = {}
        self.firm_ids = _firm_ids([p.firm for p in self.profiles], self._firms)
        self._set_flags()

    def _set_flags(self) -> None:
        """What is cheap to build from the profiles: shared objectives, open to chat."""
        size = len(self.profiles)
        objective_names = sorted({o for p in self.profiles for o in p.objectives if o})
        column = {o: j for j, o in enumerate(objective_names)}
        pairs = [(i, column[o]) for i, p in enumerate(self.profiles) for o in set(p.objectives) if o]
        self._objectives = sp.csr_matrix(
            (np.ones(len(pairs), dtype=np.float32), ([i for i, _ in pairs], [j for _, j in pairs])),
            shape=(size, max(len(objective_names), 1)),
        )
        self._objectives_t = sp.csr_matrix(self._objectives.T)
        self.open = np.array([p.open_to_chat for p in self.profiles], dtype=bool)

    def updated(self, profiles: Sequence[Profile]) -> Room:
        """The room of ``profiles``: this one if nothing changed; else, when the same people
        are here in the same order, this one with the changed people's rows replaced
        (scored with this room's rarity weights); else a new build."""
        profiles = list(profiles)
        if len(profiles) != len(self.profiles) or any(
            a.id != b.id for a, b in zip(profiles, self.profiles, strict=True)
        ):
            return Room(profiles, self.weights)
        changed = [i for i, (a, b) in enumerate(zip(profiles, self.profiles, strict=True)) if a != b]
        if not changed:
            return self
        if self._compacted or self._changed_since_fit + len(changed) > REFIT_AFTER_SHARE * len(profiles):
            return Room(profiles, self.weights)
        room = copy.copy(self)
        room.profiles = profiles
        room._changed_since_fit = self._changed_since_fit + len(changed)
        room._fields = {
            name: _Field(
                _replace_rows(field.people, changed, self._rows_of(name, [profiles[i] for i in changed]))
            )
            for name, field in self._fields.items()
        }
        room._firms = dict(self._firms)
        room.firm_ids = self.firm_ids.copy()
        for i in changed:
            firm = profiles[i].firm
            room.firm_ids[i] = room._firms.setdefault(firm, len(room._firms)) if firm else -1 - i
        room._set_flags()
        return room

    def _rows_of(self, name: str, people: Sequence[Profile]) -> sp.csr_matrix:
        """``people``'s vectors for one field, weighed with this room's rarity weights."""
        phrases: list[str] = []
        owners: list[int] = []
        for i, person in enumerate(people):
            for phrase in getattr(person, name):
                owners.append(i)
                phrases.append(phrase)
        unit = text.weigh(text.phrase_matrix(phrases), self._idf)
        return text.group_sum(unit, owners, len(people))

    def __len__(self) -> int:
        return len(self.profiles)

    def scores(self, readers: Sequence[int] | np.ndarray) -> np.ndarray:
        """Scores of every person (columns) for each reader (rows); a reader's own cell is -inf."""
        readers = np.asarray(readers, dtype=np.int64)
        w = self.weights
        offers, seeks, interests = (self._fields[n] for n in ("offers", "seeks", "interests"))
        complementarity = offers.against(seeks.people[readers]) + seeks.against(offers.people[readers])
        same_interests = interests.against(interests.people[readers])
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


def _replace_rows(matrix: sp.csr_matrix, rows: Sequence[int], new: sp.csr_matrix) -> sp.csr_matrix:
    """``matrix`` with its ``rows`` (ascending) replaced by the rows of ``new``, in order.

    Spliced in the stored arrays: a copy of the values, no re-indexing of the whole matrix.
    """
    data: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    lengths = np.diff(matrix.indptr)
    after = 0  # first row not yet copied
    for k, row in enumerate(rows):
        start, end = matrix.indptr[after], matrix.indptr[row]
        data += [matrix.data[start:end], new.data[new.indptr[k] : new.indptr[k + 1]]]
        indices += [matrix.indices[start:end], new.indices[new.indptr[k] : new.indptr[k + 1]]]
        lengths[row] = new.indptr[k + 1] - new.indptr[k]
        after = row + 1
    data.append(matrix.data[matrix.indptr[after] :])
    indices.append(matrix.indices[matrix.indptr[after] :])
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return sp.csr_matrix(
        (np.concatenate(data).astype(np.float32), np.concatenate(indices), indptr), shape=matrix.shape
    )


def _firm_ids(firms: Sequence[str], known: dict[str, int]) -> np.ndarray:
    """A number per company; each person without one is a company of their own (-1 - i)."""
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
