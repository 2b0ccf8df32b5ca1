"""The tour fixture: one per test module that lists this module in ``pytest_plugins``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.camera import write_y4m
from tests.e2e.conftest import launch_phone
from tests.e2e.pwa import access_token, serve_axe, wait_for_service_worker
from tests.e2e.server import Backend, LiveServer
from tests.e2e.tour import HOSTILE_NAME, PEOPLE, Tour
from tests.photo_support import portrait


@pytest.fixture(scope="module")
def tour(
    playwright_instance: Any,
    chromium_path: Path,
    backend: Backend,
    live_server: LiveServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Tour]:
    root = tmp_path_factory.mktemp("tour")
    event = backend.create_event("Rencontres numériques de Nantes")
    zoe = backend.add_attendee(event, "Zoé Lefèvre", "Atelier Lumière", "Directrice artistique")
    people = [backend.join(backend.add_attendee(event, *person)) for person in PEOPLE]
    # Faces (issue 16): Amélie and Inès share a photo; the others are shown by their initials.
    for person, background in ((people[0], (120, 170, 200)), (people[3], (200, 160, 110))):
        backend.http.put(
            "/api/me/photo",
            content=portrait(background),
            headers={**backend.auth(person.token), "Content-Type": "image/jpeg"},
        ).raise_for_status()

    context = launch_phone(
        playwright_instance,
        chromium_path,
        root / "zoe",
        camera=write_y4m(root / "amelie.y4m", people[0].badge_url),
    )
    serve_axe(context)
    page = context.new_page()
    tour = Tour(live_server.base_url, context, page, "", people, {}, playwright_instance, chromium_path, root)
    page.on("dialog", lambda dialog: (tour.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(zoe.join_link)
    page.wait_for_url("**/profile?welcome")
    assert wait_for_service_worker(page)
    tour.token = access_token(page)
    backend.http.patch(
        "/api/me",
        headers=backend.auth(tour.token),
        json={
            "pitch": "Je raconte l'histoire des marques en images. Je cherche des studios partenaires.",
            "objectives": ["partnership", "inspiration"],
            "interests": ["photographie", "design", "culture"],
            "shared_fields": ["email", "website"],
            "website": "https://atelier-lumiere.example",
        },
    ).raise_for_status()

    notes = {
        "James O'Connor": ("Paiements pour associations — envoyer le deck 📎", ["follow_up", "partner"]),
        HOSTILE_NAME: ("<script>alert('note')</script> très bon échange", ["hot_lead"]),
        "Inès Benali": ("Programme d'incubation : candidater avant mars 🚀", ["follow_up"]),
    }
    for person in people[1:]:
        note, tags = notes[person.name]
        result = backend.scan(tour.token, person.badge_url, note=note, tags=tags)
        tour.contact_ids[person.name] = result["contact_id"]
    # Inès scanned Zoé too: a mutual connection.
    zoe_badge = backend.http.get("/api/me/badge", headers=backend.auth(tour.token)).json()["url"]
    backend.scan(people[3].token, zoe_badge)
    yield tour
    context.close()
    if tour.stranger_context is not None:
        tour.stranger_context.close()
