"""Schemathesis against the OpenAPI document, on a real server, as an organiser and as
an attendee: no 500, every answer as documented (status, content type, headers,
body schema), schema-breaking input refused, schema-valid input accepted unless a
rule the schema cannot express forbids it, and nothing that works without its
credentials.

Bounded and repeatable: a fixed seed, derandomised generation, a bounded number of
examples per operation. Path parameters are drawn, half of the time, from ids that
exist (the caller's event, people, contacts and badges, and another organiser's
event), so that the fuzzer reaches past the 404s.

The schema is the application's own document, built at collection time (the tests
are made from it then); ``test_the_served_document_is_the_one_fuzzed`` checks that
the server serves exactly it.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from rencontre.app import create_app
from tests.faults.live import Stage
from tests.fuzz.plan import PLAN, plan_settings

pytestmark = pytest.mark.slow

SEED = 20240611
EXAMPLES_PER_OPERATION = 20
# Every operation of the document is fuzzed; the websocket is not an HTTP operation.
MIN_OPERATIONS = 40
# Every operation is called; on average, each is called this many times at least.
MIN_CASES_PER_OPERATION = 1
MIN_MEAN_CASES = 10

DOCUMENT: dict[str, Any] = create_app(plan_settings()).openapi()


# Schemathesis's defaults: what valid input may get, and what refusing invalid input looks like.
POSITIVE = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "415", "422", "428", "429", "5xx"]
# Schema-valid requests that a rule the schema cannot express refuses, operation by operation:
# positive data may get these answers too (each is documented on the operation).
BEYOND_THE_SCHEMA: dict[str, tuple[list[str], str]] = {
    "POST /api/auth/login": (["422"], "an e-mail address on a real domain (not .test, .invalid…)"),
    "POST /api/events": (["422"], "a known IANA time zone; ends after it starts"),
    "PATCH /api/events/{event_id}": (["422"], "a known IANA time zone; ends after it starts"),
    "GET /api/events/{event_id}/attendees": (["400"], "a cursor comes from the previous page"),
    "POST /api/events/{event_id}/attendees": (["422"], "an e-mail address on a deliverable domain"),
    "PATCH /api/events/{event_id}/attendees/{attendee_id}": (["422"], "an e-mail address on a real domain"),
    "POST /api/events/{event_id}/attendees/import": (["400", "413", "422"], "a CSV file with the columns"),
    "PATCH /api/me": (["422"], "a phone number, a web address, a LinkedIn profile"),
    "GET /api/badges/{token}": (["410", "422"], "a badge this server signed, not re-issued since"),
    "POST /api/scans": (["410", "422"], "a badge this server signed, of someone else, not re-issued"),
    "POST /api/events/{event_id}/check-in": (
        ["410", "422"],
        "a badge this server signed, of this event, not re-issued; an attendee not removed",
    ),
    "POST /api/events/{event_id}/attendees/{attendee_id}/introduced": (["410"], "an attendee not removed"),
    "GET /api/contacts": (["400"], "a cursor comes from the previous page"),
    "POST /api/passkeys/registration/verify": (
        ["400", "409"],
        "a real authenticator's answer to a challenge this server gave, for a credential not yet registered",
    ),
    "POST /api/passkeys/authentication/verify": (
        ["400"],
        "a real authenticator's answer, signed by a passkey of the caller's, to a challenge this server gave",
    ),
    "PATCH /api/contacts/{contact_id}": (
        ["400", "412", "422"],
        "a tag has a visible character; If-Match is the contact's current ETag, in double quotes",
    ),
    # Formats (issue 20): strict numbers (15, never 15.0), bounds in order, distinct names.
    "POST /api/events/{event_id}/sessions": (
        ["422"],
        "whole numbers written as integers; walk & talk group bounds in order; table names distinct",
    ),
    "POST /api/events/{event_id}/sessions/{session_id}/extend": (["422"], "seconds written as an integer"),
    # Profile photos (issue 16).
    "PUT /api/me/photo": (
        ["413", "415", "422"],
        "a picture that decodes, at least 128 px a side, not more pixels than a phone takes",
    ),
    # Next steps (issue 19)
    "POST /api/contacts/{contact_id}/next-step": (["422"], "a moment in the future, within the horizon"),
    "POST /api/contacts/{contact_id}/next-step/counter": (
        ["422"],
        "a moment in the future, within the horizon",
    ),
    # Reminders by Web Push (issue 19)
    "POST /api/push/subscriptions": (
        ["422"],
        "the browser's own subscription: a push service's https:// address and the P-256 key it made",
    ),
    # Short badge codes.
    "POST /api/short-codes/resolve": (["422"], "six letters and digits of the badge alphabet, as printed"),
}


# Where only the other role is let in, every request ends in the same 403: a few suffice.
OTHER_ROLES_PATHS = {
    "organiser": r"^/api/(me|contacts|scans|badges|directory|passkeys|next-steps|short-codes)(/|$)",
    "attendee": r"^/api/(events|auth/organiser)(/|$)",
}
ACROSS_THE_ROLE_LINE = 5


def fuzz_config(token: str, role: str) -> schemathesis.Config:
    dictionaries = {
        "events": [str(PLAN.event.id), str(PLAN.other_event.id)],
        "attendees": [str(person.id) for person in PLAN.guests],
        "contacts": [str(contact_id) for contact_id in PLAN.contact_ids],
        "badges": PLAN.badge_tokens(),
    }
    known = {"event_id": "events", "attendee_id": "attendees", "contact_id": "contacts", "token": "badges"}
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": f"Bearer {token}"},
            "request-timeout": 30,
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "database": "none",
                # A NUL in any text is refused by every operation (422, unstorable_text), a rule
                # no JSON schema says: tests/api/test_unstorable_input.py and test_hostile_text.py
                # send it everywhere instead.
                "allow-x00": False,
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
            },
            "checks": {
                "enabled": True,
                # An oversized body or batch is refused as such.
                "negative_data_rejection": {"expected-statuses": [*REFUSALS, "413"]},
            },
            "operations": [
                *(
                    {
                        "include-name": name,
                        "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE, *statuses]}},
                    }
                    for name, (statuses, _why) in BEYOND_THE_SCHEMA.items()
                ),
                # A batch answers each scan on its own (200, and a 422 for the bad item alone): an
                # invalid item is not a refused request. The envelope is tested in tests/api.
                {
                    "include-name": "POST /api/scans/batch",
                    "checks": {"negative_data_rejection": {"enabled": False}},
                },
                {
                    "include-path-regex": OTHER_ROLES_PATHS[role],
                    "generation": {"max-examples": ACROSS_THE_ROLE_LINE},
                    "phases": {"coverage": {"enabled": False}},
                },
            ],
            "dictionaries": {name: {"values": values} for name, values in dictionaries.items()},
            "parameters": {
                f"path.{name}": {"dictionary": dictionary, "probability": 0.5}
                for name, dictionary in known.items()
            },
        }
    )


as_organiser = schemathesis.openapi.from_dict(
    DOCUMENT, config=fuzz_config(PLAN.organiser_token(), "organiser")
)
as_attendee = schemathesis.openapi.from_dict(
    DOCUMENT, config=fuzz_config(PLAN.attendee.person(PLAN.settings).token, "attendee")
)


class Tally:
    """What one operation's run exercised: a run that tests nothing is a failure, not a pass."""

    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()

    def verify(self) -> None:
        cases = sum(self.statuses.values())
        assert cases >= MIN_CASES_PER_OPERATION, f"only {cases} cases were sent"


@pytest.fixture(scope="module")
def tallies() -> Iterator[dict[str, Tally]]:
    counted: dict[str, Tally] = {}
    yield counted
    cases = sum(sum(tally.statuses.values()) for tally in counted.values())
    assert cases >= MIN_MEAN_CASES * len(counted), f"{cases} cases for {len(counted)} operations"


@pytest.fixture
def tally(request: pytest.FixtureRequest, tallies: dict[str, Tally]) -> Iterator[Tally]:
    counted = tallies.setdefault(request.node.nodeid, Tally())
    yield counted
    counted.verify()


@pytest.fixture(scope="session")
def spare_headers() -> Callable[[], dict[str, str]]:
    """DELETE /api/me deletes whoever calls it: each such call is made by another spare account."""
    spares = itertools.cycle(PLAN.spares)
    return lambda: next(spares).person(PLAN.settings).headers


def _call(case: schemathesis.Case, stage: Stage, tally: Tally, headers: dict[str, str] | None = None) -> None:
    response = case.call_and_validate(base_url=stage.url, headers=headers)
    tally.statuses[response.status_code] += 1


# ``tally`` counts across a test's examples on purpose: it is not meant to be reset between them.
ACROSS_EXAMPLES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


# Signing out revokes every token of the one who calls it: the fuzzing organiser signs out
# the other organiser, whose token nothing else uses, and keeps its own session.
SIGNS_OUT = "POST /api/auth/logout"


@as_organiser.parametrize()
@ACROSS_EXAMPLES
def test_as_organiser(case: schemathesis.Case, fuzz_stage: Stage, tally: Tally) -> None:
    headers = (
        {"Authorization": f"Bearer {PLAN.other_organiser_token()}"}
        if case.operation.label == SIGNS_OUT
        else None
    )
    _call(case, fuzz_stage, tally, headers)


@as_attendee.parametrize()
@ACROSS_EXAMPLES
def test_as_attendee(
    case: schemathesis.Case,
    fuzz_stage: Stage,
    tally: Tally,
    spare_headers: Callable[[], dict[str, str]],
) -> None:
    headers = spare_headers() if case.operation.label == "DELETE /api/me" else None
    _call(case, fuzz_stage, tally, headers)


class TestTheFuzzerItself:
    def test_every_operation_is_fuzzed(self) -> None:
        for schema in (as_organiser, as_attendee):
            operations = [result.ok() for result in schema.get_all_operations()]
            documented = sum(
                method in {"get", "post", "put", "patch", "delete"}
                for path in DOCUMENT["paths"].values()
                for method in path
            )
            assert len(operations) == documented >= MIN_OPERATIONS

    def test_the_served_document_is_the_one_fuzzed(self, fuzz_stage: Stage) -> None:
        served = httpx.get(f"{fuzz_stage.url}/api/openapi.json", timeout=30).json()
        assert served["paths"] == DOCUMENT["paths"]
        assert served["components"] == DOCUMENT["components"]
