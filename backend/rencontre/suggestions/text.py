"""Short phrases as vectors: what "logistique" and "logistics" have in common.

Offers, seeks and interests are a few words each, in any language. They are compared
through character n-grams (3 to 5 letters inside word boundaries, scikit-learn's
``char_wb`` analyzer) of their accent- and case-folded text, so inflections, accents and
the many words French and English share ("logistique" ~ "logistics", "mentorat Rust" ~
"Rust mentoring") land close. A small glossary (:mod:`rencontre.suggestions.glossary`)
bridges the common event words whose two languages share no letters.

The n-grams are *hashed* (``HashingVectorizer``): no vocabulary is fitted, so a phrase has
the same vector in every process and at any time, each phrase is vectorised once per
process (:class:`PhraseCache`), and a profile change never needs the whole room re-read.
Rarity weights (IDF) are then computed from the room itself (:func:`idf_weights`), which
is a cheap count over the room's phrases.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from rencontre.kit.text import fold
from rencontre.suggestions.glossary import bridge

N_FEATURES: Final = 2**18


def prepare(phrase: str) -> str:
    """The text the n-grams are taken from: folded, with the glossary's bridge words."""
    folded = " ".join(fold(phrase).replace("-", " ").replace("'", " ").split())
    extra = bridge(folded)
    return f"{folded} {extra}" if extra else folded


_VECTORIZER: Final = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(3, 5),
    n_features=N_FEATURES,
    alternate_sign=False,
    norm=None,
    lowercase=False,
    preprocessor=prepare,
    dtype=np.float32,
)


_Row = tuple[np.ndarray, np.ndarray]  # n-gram indices, sublinear counts


def _vectorise(phrases: Sequence[str]) -> list[_Row]:
    counts = sp.csr_matrix(_VECTORIZER.transform(phrases))
    # sublinear term frequency, as TfidfTransformer(sublinear_tf=True) would
    data = (1.0 + np.log(counts.data)).astype(np.float32)
    bounds = counts.indptr
    return [
        (counts.indices[bounds[i] : bounds[i + 1]].copy(), data[bounds[i] : bounds[i + 1]].copy())
        for i in range(len(phrases))
    ]


class PhraseCache:
    """Hashed n-gram counts per phrase, kept for the process's life (bounded, least recent out).

    Phrases repeat across a room (interests above all) and across recomputes, so a
    recompute vectorises only the phrases it has never seen.
    """

    def __init__(self, capacity: int = 200_000) -> None:
        self._capacity = capacity
        self._rows: OrderedDict[str, _Row] = OrderedDict()
        self._lock = threading.Lock()

    def rows(self, phrases: Sequence[str]) -> list[_Row]:
        with self._lock:
            known = {p: self._rows[p] for p in dict.fromkeys(phrases) if p in self._rows}
        missing = [p for p in dict.fromkeys(phrases) if p not in known]
        if missing:
            known.update(zip(missing, _vectorise(missing), strict=True))
        with self._lock:
            for phrase, row in known.items():
                self._rows[phrase] = row
                self._rows.move_to_end(phrase)
            while len(self._rows) > self._capacity:
                self._rows.popitem(last=False)
        return [known[p] for p in phrases]


PHRASES: Final = PhraseCache()


def phrase_matrix(phrases: Sequence[str], cache: PhraseCache = PHRASES) -> sp.csr_matrix:
    """One row of raw (sublinear) n-gram counts per phrase."""
    rows = cache.rows(phrases)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(indices) for indices, _ in rows], out=indptr[1:])
    indices = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=np.int32)
    data = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0, dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), N_FEATURES), dtype=np.float32)


def idf_weights(phrase_counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency over the room's phrases (scikit-learn's formula)."""
    documents = phrase_counts.shape[0]
    frequency: np.ndarray = np.bincount(phrase_counts.indices, minlength=N_FEATURES)
    weights: np.ndarray = np.log((1.0 + documents) / (1.0 + frequency.astype(np.float32))) + 1.0
    return weights.astype(np.float32)


def weigh(phrase_counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """TF-IDF rows, each of unit length (a phrase's cosine with another is their dot product).

    Computed on the stored values directly: a product with a diagonal matrix as wide as the
    hashing space costs more than the room's own values.
    """
    counts = sp.csr_matrix(phrase_counts)
    weighted = (counts.data * idf[counts.indices]).astype(np.float32)
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    lengths = np.sqrt(np.bincount(rows, weights=weighted.astype(np.float64) ** 2, minlength=counts.shape[0]))
    lengths[lengths == 0] = 1.0
    unit = (weighted / lengths[rows]).astype(np.float32)
    return sp.csr_matrix((unit, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape)


COMPACT_UP_TO: Final = 50_000


def compact(rows: sp.csr_matrix) -> sp.csr_matrix:
    """The same rows over only the n-grams they use: smaller transposes, same dot products.

    Worth it for a small room (scored many times over, the tests' random rooms above all);
    in a large one the sort costs more than the transposes it saves.
    """
    if rows.nnz > COMPACT_UP_TO:
        return rows
    used, remapped = np.unique(rows.indices, return_inverse=True)
    return sp.csr_matrix(
        (rows.data, remapped.astype(np.int64), rows.indptr), shape=(rows.shape[0], max(len(used), 1))
    )


def group_sum(unit_rows: sp.csr_matrix, owners: Iterable[int], groups: int) -> sp.csr_matrix:
    """Sum phrase rows per owner: a person's offers as one vector.

    The dot product of two such sums is the sum of their phrases' pairwise cosines, so
    one strong match is not diluted by a person's other items.
    """
    owner_index = np.fromiter(owners, dtype=np.int64)
    pick = sp.csr_matrix(
        (np.ones(len(owner_index), dtype=np.float32), (owner_index, np.arange(len(owner_index)))),
        shape=(groups, unit_rows.shape[0]),
    )
    return sp.csr_matrix(pick @ unit_rows)


def cosines(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """Cosine of every phrase of ``left`` with every phrase of ``right`` (no room weights).

    For a handful of phrases (a reason's two short lists), plain dictionaries of n-grams
    are far cheaper than sparse products this small. Every GET of suggestions compares the
    reader's phrases with those of each person listed, and the same pairs come back read
    after read: each pair's cosine is kept (bounded, least recent out).
    """
    found = np.zeros((len(left), len(right)), dtype=np.float32)
    for i, mine in enumerate(left):
        for j, theirs in enumerate(right):
            found[i, j] = _cosine(mine, theirs)
    return found


@functools.lru_cache(maxsize=65_536)
def _cosine(left: str, right: str) -> float:
    mine, theirs = _unit(left), _unit(right)
    if len(theirs) < len(mine):
        mine, theirs = theirs, mine
    return sum(weight * theirs.get(k, 0.0) for k, weight in mine.items())


@functools.lru_cache(maxsize=4096)
def _unit(phrase: str) -> dict[int, float]:
    """A phrase's n-grams, sublinear counts scaled to unit length."""
    ((indices, data),) = PHRASES.rows([phrase])
    length = float(np.sqrt(np.dot(data, data))) or 1.0
    return dict(zip(indices.tolist(), (data / length).tolist(), strict=True))
