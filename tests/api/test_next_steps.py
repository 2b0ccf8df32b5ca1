"""Next steps on a mutual connection: propose, counter, accept, decline, cancel, refusals."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from rencontre.config import Settings
from rencontre.models import Organiser
from tests.api.next_step_support import answer, coffee, moment, mutual_pair, propose
from tests.support import Factory


async def _slot(client: httpx.AsyncClient, side: Any) -> dict[str, Any]:
    response = await client.get(side.step_url, headers=side.headers)
    assert response.status_code == 200, response.text
    slot: dict[str, Any] = response.json()
    return slot


async def _follow_up(client: httpx.AsyncClient, side: Any) -> str:
    response = await client.get(f"/api/contacts/{side.contact.id}", headers=side.headers)
    state: str = response.json()["follow_up"]
    return state


class TestProposal:
    async def test_a_coffee_proposal_waits_for_the_other_side(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        at = moment(days=3)
        step = await propose(client, pair.alex, coffee(at))
        assert step["state"] == "proposed"
        assert (step["version"], step["proposed_by_me"], step["awaiting_me"]) == (1, True, False)
        assert step["current"]["kind"] == "coffee"
        assert step["current"]["duration_minutes"] == 30
        assert step["current"]["place"] == "Café de la Gare, Lyon"
        assert step["person"]["name"] == "Bruno Keller"
        assert step["contact_id"] == str(pair.alex.contact.id)

        seen = await _slot(client, pair.bruno)
        assert (seen["mutual"], seen["can_propose"]) == (True, False)
        assert seen["step"]["id"] == step["id"]
        assert seen["step"]["awaiting_me"] is True
        assert seen["step"]["contact_id"] == str(pair.bruno.contact.id)
        assert seen["step"]["person"]["name"] == "Alex Martin"
        assert seen["step"]["current"]["starts_at_local"].endswith(("+01:00", "+02:00"))

    async def test_the_list_puts_what_awaits_me_first(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        await propose(client, pair.alex)
        inbox = (await client.get("/api/next-steps", headers=pair.bruno.headers)).json()["items"]
        assert [(item["awaiting_me"], item["person"]["name"]) for item in inbox] == [(True, "Alex Martin")]
        sent = (await client.get("/api/next-steps", headers=pair.alex.headers)).json()["items"]
        assert [item["awaiting_me"] for item in sent] == [False]

    async def test_a_call_carries_its_link_and_a_resource_its_words(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        call = await propose(
            client,
            pair.alex,
            {
                "kind": "call",
                "starts_at": moment().isoformat(),
                "link": "meet.example.org/abc",
                "duration_minutes": 45,
            },
        )
        assert (call["current"]["link"], call["current"]["duration_minutes"]) == (
            "https://meet.example.org/abc",
            45,
        )
        await answer(client, pair.alex, "cancel", call["version"])
        resource = await propose(
            client, pair.bruno, {"kind": "resource", "message": "The slides of your talk"}
        )
        assert resource["current"]["starts_at"] is None
        assert resource["current"]["message"] == "The slides of your talk"

    async def test_no_second_step_while_one_is_open(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        await propose(client, pair.alex)
        response = await client.post(pair.bruno.step_url, json=coffee(), headers=pair.bruno.headers)
        assert response.status_code == 409
        assert response.json()["code"] == "next_step_already_open"


def _shift(at_days: float) -> dict[str, Any]:
    return coffee(moment(days=at_days))


class TestProposalRefusals:
    @pytest.mark.parametrize(
        ("body", "code"),
        [
            (coffee(moment(days=-1)), "next_step_in_the_past"),
            (coffee(moment(days=400)), "next_step_too_far"),
            ({**coffee(), "starts_at": "2031-05-01T10:00:00"}, "invalid_request"),
            ({**coffee(), "starts_at": 1893456000}, "invalid_request"),
            ({"kind": "coffee", "place": "Lyon"}, "invalid_request"),
            ({**coffee(), "link": "javascript:alert(1)"}, "invalid_request"),
            ({**coffee(), "link": "ftp://files.example.org/x"}, "invalid_request"),
            ({**coffee(), "place": "x" * 201}, "invalid_request"),
            ({**coffee(), "message": "x" * 501}, "invalid_request"),
            ({**coffee(), "duration_minutes": 5}, "invalid_request"),
            ({**coffee(), "note": "sneaky"}, "invalid_request"),
            ({"kind": "resource"}, "invalid_request"),
            ({"kind": "resource", "message": "slides", "starts_at": moment().isoformat()}, "invalid_request"),
            ({"kind": "lunch", "starts_at": moment().isoformat()}, "invalid_request"),
        ],
        ids=[
            "past",
            "too-far",
            "naive",
            "number",
            "no-date",
            "javascript-link",
            "ftp-link",
            "long-place",
            "long-message",
            "short",
            "unknown-field",
            "resource-without-words",
            "resource-with-date",
            "kind",
        ],
    )
    async def test_bad_terms_are_refused_and_change_nothing(
        self, client: httpx.AsyncClient, factory: Factory, body: dict[str, Any], code: str
    ) -> None:
        pair = await mutual_pair(factory)
        response = await client.post(pair.alex.step_url, json=body, headers=pair.alex.headers)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == code
        assert response.json()["detail"]
        assert (await _slot(client, pair.alex))["step"] is None

    async def test_a_connection_that_is_not_mutual_is_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory, mutual=False)
        slot = await _slot(client, pair.alex)
        assert (slot["mutual"], slot["can_propose"]) == (False, False)
        response = await client.post(pair.alex.step_url, json=coffee(), headers=pair.alex.headers)
        assert response.status_code == 409
        assert response.json()["code"] == "next_step_needs_mutual"
        assert (await _slot(client, pair.alex))["step"] is None

    async def test_a_stranger_reaches_nothing_through_my_contact(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        chloe = await factory.attendee(pair.event, name="Chloé Durand")
        headers = factory.attendee_headers(chloe)
        for url in (pair.alex.step_url, pair.bruno.step_url):
            assert (await client.get(url, headers=headers)).json()["code"] == "contact_not_found"
            refused = await client.post(f"{url}/accept", json={"version": step["version"]}, headers=headers)
            assert (refused.status_code, refused.json()["code"]) == (404, "contact_not_found")
            assert (await client.post(url, json=coffee(), headers=headers)).status_code == 404
            assert (await client.get(f"{url}.ics", headers=headers)).status_code == 404
        assert (await client.get("/api/next-steps", headers=headers)).json()["items"] == []
        assert (await _slot(client, pair.bruno))["step"]["state"] == "proposed"

    async def test_an_organiser_has_no_way_in(self, client: httpx.AsyncClient, factory: Factory) -> None:
        pair = await mutual_pair(factory)
        await propose(client, pair.alex)
        organiser = await factory.organiser()
        headers = factory.organiser_headers(organiser)
        assert (await client.get("/api/next-steps", headers=headers)).status_code == 403
        assert (await client.get(pair.alex.step_url, headers=headers)).status_code == 403

    async def test_proposals_to_one_contact_are_rate_limited(
        self, client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
    ) -> None:
        app.state.settings = settings.model_copy(update={"next_step_rate_limit": "2/hour"})
        pair = await mutual_pair(factory)
        first = await propose(client, pair.alex)
        await answer(client, pair.alex, "cancel", first["version"])
        second = await propose(client, pair.alex)
        await answer(client, pair.alex, "cancel", second["version"])
        refused = await client.post(pair.alex.step_url, json=coffee(), headers=pair.alex.headers)
        assert refused.status_code == 429
        assert refused.json()["code"] == "too_many_next_step_proposals"
        assert int(refused.headers["Retry-After"]) > 0
        assert (await _slot(client, pair.alex))["can_propose"] is True
        # The other side's budget is their own.
        assert (
            await client.post(pair.bruno.step_url, json=coffee(), headers=pair.bruno.headers)
        ).status_code == 201


class TestCounterProposal:
    async def test_the_roles_swap_and_the_history_is_kept(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        first = await propose(client, pair.alex, coffee(moment(days=2)))
        later = moment(days=4, hour=14)
        response = await client.post(
            f"{pair.bruno.step_url}/counter",
            json={**coffee(later, place="Online instead", message=""), "version": first["version"]},
            headers=pair.bruno.headers,
        )
        assert response.status_code == 200, response.text
        countered = response.json()
        assert (countered["version"], countered["proposed_by_me"], countered["awaiting_me"]) == (
            2,
            True,
            False,
        )
        assert [p["number"] for p in countered["history"]] == [1, 2]
        assert [p["by_me"] for p in countered["history"]] == [False, True]
        assert countered["current"]["place"] == "Online instead"

        alex_view = (await _slot(client, pair.alex))["step"]
        assert (alex_view["awaiting_me"], alex_view["current"]["number"]) == (True, 2)
        assert alex_view["history"][0]["place"] == "Café de la Gare, Lyon"
        accepted = await answer(client, pair.alex, "accept", alex_view["version"])
        assert accepted.status_code == 200
        assert accepted.json()["state"] == "agreed"
        assert accepted.json()["current"]["starts_at"].startswith(later.strftime("%Y-%m-%dT%H:%M"))

    async def test_one_does_not_counter_ones_own_proposal(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        response = await client.post(
            f"{pair.alex.step_url}/counter",
            json={**coffee(), "version": step["version"]},
            headers=pair.alex.headers,
        )
        assert (response.status_code, response.json()["code"]) == (403, "not_your_turn")

    async def test_a_counter_proposal_is_validated_like_a_proposal(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        response = await client.post(
            f"{pair.bruno.step_url}/counter",
            json={**coffee(moment(days=-2)), "version": step["version"]},
            headers=pair.bruno.headers,
        )
        assert (response.status_code, response.json()["code"]) == (422, "next_step_in_the_past")
        missing_version = await client.post(
            f"{pair.bruno.step_url}/counter", json=coffee(), headers=pair.bruno.headers
        )
        assert missing_version.status_code == 422
        assert (await _slot(client, pair.bruno))["step"]["version"] == 1


class TestSupersededProposal:
    async def test_answering_a_replaced_proposal_is_refused_with_the_current_one(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        first = await propose(client, pair.alex)
        second = await client.post(
            f"{pair.bruno.step_url}/counter", json={**_shift(3), "version": 1}, headers=pair.bruno.headers
        )
        third = await client.post(
            f"{pair.alex.step_url}/counter", json={**_shift(5), "version": 2}, headers=pair.alex.headers
        )
        assert (second.status_code, third.status_code) == (200, 200)
        stale = await answer(client, pair.bruno, "accept", first["version"])
        assert stale.status_code == 409
        assert stale.json()["code"] == "next_step_changed"
        assert stale.json()["step"]["version"] == 3
        assert stale.json()["step"]["current"]["number"] == 3
        assert (await _slot(client, pair.bruno))["step"]["state"] == "proposed"
        assert (await answer(client, pair.bruno, "accept", 3)).status_code == 200


class TestAccept:
    async def test_agreeing_follows_up_both_contacts(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        assert (await _follow_up(client, pair.alex), await _follow_up(client, pair.bruno)) == ("todo", "todo")
        response = await answer(client, pair.bruno, "accept", step["version"])
        assert response.status_code == 200
        agreed = response.json()
        assert (agreed["state"], agreed["version"], agreed["has_calendar"]) == ("agreed", 2, True)
        assert agreed["agreed_at"] is not None
        assert (await _follow_up(client, pair.alex), await _follow_up(client, pair.bruno)) == ("done", "done")
        todo = await client.get("/api/contacts", params={"follow_up": "todo"}, headers=pair.alex.headers)
        assert todo.json()["items"] == []
        alex_view = (await _slot(client, pair.alex))["step"]
        assert (alex_view["state"], alex_view["awaiting_me"]) == ("agreed", False)

    async def test_only_the_other_side_accepts(self, client: httpx.AsyncClient, factory: Factory) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        for action in ("accept", "decline"):
            response = await answer(client, pair.alex, action, step["version"])
            assert (response.status_code, response.json()["code"]) == (403, "not_your_turn")
        assert (await _slot(client, pair.alex))["step"]["state"] == "proposed"

    async def test_a_second_answer_is_refused(self, client: httpx.AsyncClient, factory: Factory) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        assert (await answer(client, pair.bruno, "accept", step["version"])).status_code == 200
        for action, version in (("accept", step["version"]), ("accept", 2), ("decline", 2)):
            again = await answer(client, pair.bruno, action, version)
            assert (again.status_code, again.json()["code"]) == (409, "next_step_already_answered")
        assert (await _slot(client, pair.bruno))["step"]["version"] == 2

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"version": "1"},
            {"version": 0},
            {"version": 1.5},
            {"version": True},
            {"version": 1, "extra": True},
        ],
    )
    async def test_an_answer_without_a_valid_version_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, body: dict[str, Any]
    ) -> None:
        pair = await mutual_pair(factory)
        await propose(client, pair.alex)
        response = await client.post(f"{pair.bruno.step_url}/accept", json=body, headers=pair.bruno.headers)
        assert (response.status_code, response.json()["code"]) == (422, "invalid_request")

    async def test_nothing_to_answer(self, client: httpx.AsyncClient, factory: Factory) -> None:
        pair = await mutual_pair(factory)
        response = await answer(client, pair.bruno, "accept", 1)
        assert (response.status_code, response.json()["code"]) == (404, "no_next_step")


class TestDecline:
    async def test_a_declined_proposal_closes_and_a_new_one_may_follow(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        declined = (await answer(client, pair.bruno, "decline", step["version"])).json()
        assert (declined["state"], declined["closed_by_me"]) == ("declined", True)
        assert await _follow_up(client, pair.alex) == "todo"
        alex_slot = await _slot(client, pair.alex)
        assert (alex_slot["can_propose"], alex_slot["step"]["state"]) == (True, "declined")
        assert alex_slot["step"]["closed_by_me"] is False
        assert (await client.get("/api/next-steps", headers=pair.alex.headers)).json()["items"] == []
        again = await propose(client, pair.alex, _shift(6))
        assert again["id"] != step["id"]
        assert (await _slot(client, pair.bruno))["step"]["id"] == again["id"]


class TestCancel:
    @pytest.mark.parametrize("who", ["alex", "bruno"])
    async def test_either_side_cancels_an_agreed_step(
        self, client: httpx.AsyncClient, factory: Factory, who: str
    ) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        await answer(client, pair.bruno, "accept", step["version"])
        side = pair.alex if who == "alex" else pair.bruno
        cancelled = (await answer(client, side, "cancel", 2)).json()
        assert (cancelled["state"], cancelled["version"], cancelled["closed_by_me"]) == ("cancelled", 3, True)
        other = pair.bruno if who == "alex" else pair.alex
        seen = (await _slot(client, other))["step"]
        assert (seen["state"], seen["closed_by_me"], seen["has_calendar"]) == ("cancelled", False, True)
        # Following up happened: cancelling does not undo it.
        assert await _follow_up(client, other) == "done"
        again = await answer(client, other, "cancel", 3)
        assert (again.status_code, again.json()["code"]) == (409, "next_step_already_answered")

    async def test_the_author_withdraws_a_proposal_the_other_declines_it(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        refused = await answer(client, pair.bruno, "cancel", step["version"])
        assert (refused.status_code, refused.json()["code"]) == (403, "next_step_not_yours")
        withdrawn = await answer(client, pair.alex, "cancel", step["version"])
        assert withdrawn.json()["state"] == "cancelled"
        assert withdrawn.json()["has_calendar"] is False


class TestAccountDeletion:
    async def test_a_deleted_account_takes_its_steps_away(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        await answer(client, pair.bruno, "accept", step["version"])
        assert (await client.delete("/api/me", headers=pair.bruno.headers)).status_code == 204
        slot = await _slot(client, pair.alex)
        assert (slot["mutual"], slot["can_propose"], slot["step"]) == (False, False, None)
        assert (await client.get("/api/next-steps", headers=pair.alex.headers)).json()["items"] == []


class TestWhatFollowsAnAgreement:
    async def test_the_export_shows_the_contact_followed_up(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        step = await propose(client, pair.alex)
        await answer(client, pair.bruno, "accept", step["version"])
        exported = await client.get(
            "/api/contacts/export.csv", params={"lang": "fr"}, headers=pair.alex.headers
        )
        rows = exported.content.decode("utf-8-sig").splitlines()
        assert len(rows) == 2
        assert ";Faite;" in rows[1]

    async def test_the_report_counts_agreed_steps_and_says_nothing_of_whom(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        pair = await mutual_pair(factory)
        organiser = await factory.session.get(Organiser, pair.event.organiser_id)
        assert organiser is not None
        headers = factory.organiser_headers(organiser)
        report_url = f"/api/events/{pair.event.id}/report"
        assert (await client.get(report_url, headers=headers)).json()["follow_up"]["next_steps_agreed"] == 0
        step = await propose(client, pair.alex)
        assert (await client.get(report_url, headers=headers)).json()["follow_up"]["next_steps_agreed"] == 0
        await answer(client, pair.bruno, "accept", step["version"])
        await answer(client, pair.alex, "cancel", 2)
        report = await client.get(report_url, headers=headers)
        assert report.json()["follow_up"]["next_steps_agreed"] == 1
        assert "Café de la Gare" not in report.text
        assert "partnership" not in report.text
        csv = await client.get(f"{report_url}.csv", headers=headers)
        assert "next_steps_agreed,1" in csv.content.decode("utf-8-sig")
