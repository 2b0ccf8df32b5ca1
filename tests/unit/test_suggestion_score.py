"""The scorer: complementarity above sameness, matching across languages and accents."""

from __future__ import annotations

import uuid

import numpy as np

from rencontre.suggestions.glossary import bridge
from rencontre.suggestions.score import WEIGHTS, Profile, Room, best_match
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
