"""What the OpenAPI document promises about PATCH bodies, the server keeps.

Schemathesis is told that some PATCH operations may refuse schema-valid input (a
phone number, a tag of visible characters: rules no schema states), which would
also hide a field documented as nullable that refuses ``null``, or an empty body
refused although the schema allows it. These two promises are checked exactly
here, for every PATCH operation of the document, on a real server.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.faults.live import Stage
from tests.fuzz.plan import PLAN
from tests.fuzz.test_openapi import DOCUMENT

pytestmark = pytest.mark.slow

ATTENDEE_PATHS = ("/api/me", "/api/contacts")


def _patch_operations() -> list[tuple[str, dict[str, Any]]]:
    schemas = DOCUMENT["components"]["schemas"]
    found = []
    for path, item in DOCUMENT["paths"].items():
        if "patch" in item:
            body = item["patch"]["requestBody"]["content"]["application/json"]["schema"]
            found.append((path, schemas[body["$ref"].rsplit("/", 1)[1]]))
    return found


PATCHES = _patch_operations()


def _call(stage: Stage, path: str, body: dict[str, Any]) -> httpx.Response:
    url = (
        path.replace("{event_id}", str(PLAN.event.id))
        .replace("{attendee_id}", str(PLAN.guests[-1].id))
        .replace("{contact_id}", str(PLAN.contact_ids[-1]))
    )
    if path.startswith(ATTENDEE_PATHS):
        headers = PLAN.attendee.person(PLAN.settings).headers
    else:
        headers = {"Authorization": f"Bearer {PLAN.organiser_token()}"}
    return httpx.patch(f"{stage.url}{url}", json=body, headers=headers, timeout=30)


def _nullable(schema: dict[str, Any]) -> bool:
    return any(branch.get("type") == "null" for branch in schema.get("anyOf", []))


class TestPatchBodies:
    def test_there_are_patch_operations(self) -> None:
        assert len(PATCHES) >= 4

    @pytest.mark.parametrize(("path", "schema"), PATCHES, ids=[path for path, _ in PATCHES])
    def test_a_field_documented_nullable_takes_null(
        self, fuzz_stage: Stage, path: str, schema: dict[str, Any]
    ) -> None:
        refused = {}
        for name, field in schema["properties"].items():
            if _nullable(field):
                response = _call(fuzz_stage, path, {name: None})
                if response.status_code == 422:
                    refused[name] = response.json()["detail"]
        assert not refused, f"documented as nullable, refused when null: {refused}"

    @pytest.mark.parametrize(("path", "schema"), PATCHES, ids=[path for path, _ in PATCHES])
    def test_an_empty_body_is_taken_unless_documented_otherwise(
        self, fuzz_stage: Stage, path: str, schema: dict[str, Any]
    ) -> None:
        response = _call(fuzz_stage, path, {})
        if schema.get("minProperties", 0) >= 1:
            assert response.status_code == 422
        else:
            assert response.status_code == 200, response.text
