"""The scorer: complementarity above sameness, matching across languages and accents."""

from __future__ import annotations

import uuid
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from rencontre.suggestions import text
from rencontre.suggestions.glossary import bridge
from rencontre.suggestions.score import WEIGHTS, Profile, Room, _replace_rows, best_match
from rencontre.suggestions.text import prepare


def person(n: int, **fields: object) -> Profile:
    return Profile(id=uuid.UUID(int=n), **fields)  # type: ignore[arg-type]


class TestTextMatching:
    def test_french_and_english_inflections_meet(self) -> None:
        match = best_match(["clients pilotes en logistique"], ["intros to logistics customers"])
        assert match is not None
        assert match.similarity >= WEIGHTS.phrase_match

    def test_accents_and_case_do_not_matter(self) -> None:
        match = best_match(["Énergie"], ["energie"])
        assert match is not None
        assert match.similarity > 0.99

    def test_glossary_bridges_words_without_letters_in_common(self) -> None:
        assert "fundraising" in bridge(prepare("Levée de fonds"))
        assert best_match(["sustainable packaging"], ["emballage durable"]) is not None

    def test_unrelated_phrases_do_not_match(self) -> None:
        assert best_match(["Rust mentoring"], ["accès à des investisseurs"]) is None

    def test_best_pair_is_cited(self) -> None:
        match = best_match(["a CTO co-founder", "pilot customers in logistics"], ["design", "logistique"])
        assert match is not None
        assert (match.theirs, match.yours) == ("pilot customers in logistics", "logistique")


class TestWeights:
    def test_complementarity_outranks_shared_interests(self) -> None:
        reader = person(1, seeks=("pilot customers in logistics",), interests=("climat",))
        offers_it = person(2, offers=("intros to logistics customers",))
        shares_interest = person(3, interests=("climat",))
        scores = Room([reader, offers_it, shares_interest]).scores([0])[0]
        assert scores[1] > scores[2] > 0

    def test_same_objective_and_open_to_chat_are_small_boosts(self) -> None:
        reader = person(1, objectives=("hiring",))
        same = person(2, objectives=("hiring",))
        open_ = person(3, open_to_chat=True)
        nothing = person(4)
        scores = Room([reader, same, open_, nothing]).scores([0])[0]
        assert scores[1] == np.float32(WEIGHTS.same_objective)
        assert scores[2] == np.float32(WEIGHTS.open_to_chat)
        assert scores[3] == 0

    def test_own_cell_is_never_a_candidate(self) -> None:
        scores = Room([person(1), person(2)]).scores([0, 1])
        assert scores[0, 0] == -np.inf
        assert scores[1, 1] == -np.inf

    def test_empty_room(self) -> None:
        assert Room([]).scores([]).shape == (0, 0)


class TestScoredOnlyFromTheCard:
    def test_directory_profile_is_the_cards_profile(self) -> None:
        from rencontre.suggestions.profiles import directory_profile, visible_profile
        from rencontre.suggestions.repository import CardRow

        row = CardRow(
            id=uuid.UUID(int=7),
            badge_code="abc",
            deleted_at=None,
            name="Zoé",
            company="Atelier",
            job_title="CEO",
            pitch="Emballages consignés",
            objectives=["partnership"],
            objective_other="",
            interests=["emballage"],
            shared_fields=[],
            email="zoe@example.org",
            phone="+33 6 00 00 00 00",
            website="",
            linkedin="",
            offers=["intros"],
            seeks=["clients pilotes"],
            open_to_chat=True,
            photo_key=None,
        )
        assert directory_profile(row) == visible_profile(row)


def made_up(count: int) -> list[Profile]:
    """A made-up room in the directory's order (by id), as the engine reads it."""
    from devtools.rooms import made_up_room
    from rencontre.suggestions.profiles import directory_profile

    return sorted((directory_profile(p) for p in made_up_room(count, seed=count)), key=lambda p: p.id)


class TestUpdatedRoom:
    """A kept room takes one profile's change without being built again."""

    def test_nothing_changed_is_the_same_room(self) -> None:
        people = made_up(40)
        room = Room(people)
        assert room.updated(list(people)) is room

    def test_someone_joining_or_leaving_builds_it_again(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(text, "COMPACT_UP_TO", 0)
        people = made_up(300)
        room = Room(people)
        fewer = room.updated(people[1:])
        assert len(fewer) == 299
        assert fewer.index == Room(people[1:]).index
        assert np.array_equal(fewer.scores([0, 5]), Room(people[1:]).scores([0, 5]))

    def test_a_changed_profile_is_scored_as_a_new_build_would(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Large rooms are not compacted: the kept matrices take the new rows in place.
        monkeypatch.setattr(text, "COMPACT_UP_TO", 0)
        people = made_up(300)
        room = Room(people)
        after = list(people)
        after[7] = replace(after[7], offers=("mentorat Rust",), company="Nouvelle SAS", open_to_chat=True)
        updated = room.updated(after)
        fresh = Room(after)
        assert updated is not room
        assert updated.profiles == after
        assert updated.open[7]
        assert updated.firm_ids[7] not in np.delete(updated.firm_ids, 7)
        everyone = list(range(len(after)))
        # Between people who did not change, nothing moves at all ...
        others = np.delete(np.delete(updated.scores(everyone), 7, axis=0), 7, axis=1)
        assert np.array_equal(others, np.delete(np.delete(room.scores(everyone), 7, axis=0), 7, axis=1))
        # ... and the changed row and column are those of a new build, up to the rarity
        # weights kept from the last build (one profile moves them very little).
        for block in ([7], everyone):  # a few readers, then a block: both ways of scoring
            got, expected = updated.scores(block), fresh.scores(block)
            finite = np.isfinite(expected)
            assert np.array_equal(np.isfinite(got), finite)
            assert np.allclose(got[finite], expected[finite], atol=0.02)
        rust_seekers = [i for i, p in enumerate(after) if any("rust" in s.lower() for s in p.seeks)]
        assert rust_seekers
        assert all(updated.scores([i])[0, 7] >= WEIGHTS.complementarity * 0.5 for i in rust_seekers)

    def test_a_small_room_is_built_again_exactly(self) -> None:
        people = made_up(30)
        after = [*people[:3], replace(people[3], interests=("logistique",)), *people[4:]]
        updated = Room(people).updated(after)
        assert np.array_equal(updated.scores(list(range(30))), Room(after).scores(list(range(30))))

    def test_many_changes_fit_the_rarity_weights_again(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(text, "COMPACT_UP_TO", 0)
        people = made_up(100)
        after = [replace(p, interests=("design produit",)) if i < 10 else p for i, p in enumerate(people)]
        updated = Room(people).updated(after)  # 10 % of the room: above REFIT_AFTER_SHARE
        assert np.array_equal(updated.scores(list(range(100))), Room(after).scores(list(range(100))))


def test_rows_replaced_in_place_match_a_stacked_rebuild() -> None:
    rng = np.random.default_rng(3)
    matrix = sp.random(50, 40, density=0.2, format="csr", dtype=np.float32, random_state=rng)
    rows = [0, 17, 49]
    new = sp.random(3, 40, density=0.3, format="csr", dtype=np.float32, random_state=rng)
    expected = matrix.toarray()
    expected[rows] = new.toarray()
    assert np.array_equal(_replace_rows(matrix, rows, new).toarray(), expected)
