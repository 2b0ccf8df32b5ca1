"""Conversation prompts come from the card the reader may see, in the reader's language."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from rencontre.badges.repository import Person
from rencontre.people.prompts import MAX_PROMPTS, prompts
from rencontre.profile.cards import public_card
from rencontre.profile.schemas import PublicCard


def person(**fields: object) -> Person:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "event_id": uuid.uuid4(),
        "badge_code": "abc",
        "badge_version": 1,
        "deleted_at": None,
        "name": "Zoé",
        "company": "",
        "job_title": "",
        "pitch": "",
        "objectives": (),
        "objective_other": "",
        "interests": (),
        "shared_fields": (),
        "email": "",
        "phone": "",
        "website": "",
        "linkedin": "",
        "photo_key": None,
    }
    values.update(fields)
    return Person(**values)  # type: ignore[arg-type]


def _card(**fields: object) -> PublicCard:
    return PublicCard(attendee_id=uuid.uuid4(), badge_code="abc", name="Zoé", **fields)  # type: ignore[arg-type]


class TestPrompts:
    def test_seek_offer_objective_first_at_most_three(self) -> None:
        card = _card(
            seeks=["Un CTO associé"],
            offers=["Mentorat Rust"],
            objectives=["hiring"],
            pitch="x",
            interests=["IA"],
        )
        assert prompts(card, "fr") == [
            "Vous cherchez « Un CTO associé » : à quoi ressemblerait la bonne personne ?",
            "Vous proposez « Mentorat Rust » : à qui est-ce le plus utile ?",
            "Quel profil cherchez-vous à recruter ?",
        ]
        assert prompts(card, "en")[2] == "Who are you hoping to hire?"

    def test_nothing_shared_nothing_asked(self) -> None:
        assert prompts(_card(), "fr") == []
        assert prompts(_card(objectives=["other"]), "en") == []
        assert prompts(_card(deleted=True, seeks=["x"]), "en") == []

    def test_every_objective_has_both_languages(self) -> None:
        for objective in ("partnership", "inspiration", "visibility", "hiring", "learning", "clients"):
            fr = prompts(_card(objectives=[objective]), "fr")
            en = prompts(_card(objectives=[objective]), "en")
            assert len(fr) == len(en) == 1
            assert fr != en

    @given(
        secret=st.text(alphabet=st.characters(min_codepoint=65, max_codepoint=90), min_size=12, max_size=20),
        language=st.sampled_from(["fr", "en"]),
    )
    def test_a_detail_not_shared_never_reaches_a_prompt(self, secret: str, language: str) -> None:
        source = person(
            email=f"{secret}@example.org", phone=secret, website=secret, linkedin=secret, pitch="p"
        )
        card = public_card(source, language="fr")
        said = " ".join(prompts(card, language))  # type: ignore[arg-type]
        assert secret not in said
        assert len(prompts(card, language)) <= MAX_PROMPTS  # type: ignore[arg-type]
