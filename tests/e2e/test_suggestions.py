"""On Zoé's phone (360×740): joining the directory brings "people for you", each with its
reason in words; "not now" and "hide" take people out of the list; the list reads offline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.pwa import access_token, run_axe, serve_axe, wait_for_service_worker
from tests.e2e.server import Backend, LiveServer, Person

TEXTS = {
    "fr": {
        "title": "Les bonnes personnes pour vous",
        "join": "Rejoindre l'annuaire",
        "reason": "Marc cherche «\u00a0acheteurs retail\u00a0» — "
        "vous proposez «\u00a0intros à des acheteurs retail\u00a0»",
        "not_now": "Plus tard",
        "hide": "Masquer",
        "offline": "Hors ligne",
    },
    "en": {
        "title": "People for you",
        "join": "Join the directory",
        "reason": "Marc seeks “acheteurs retail” — you offer “intros à des acheteurs retail”",
        "not_now": "Not now",
        "hide": "Hide",
        "offline": "Offline",
    },
}


def _profile(backend: Backend, person: Person, **fields: Any) -> None:
    response = backend.http.patch("/api/me", headers=backend.auth(person.token), json=fields)
    response.raise_for_status()


def _room(backend: Backend) -> tuple[Person, str]:
    event_id = backend.create_event("Rencontres Retail")
    opened = backend.http.patch(
        f"/api/events/{event_id}",
        headers=backend.organiser_headers,
        json={"directory_opens_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()},
    )
    opened.raise_for_status()
    zoe = backend.add_attendee(event_id, "Zoé Lefèvre", "Atelier Vrac", "Fondatrice")
    others = {
        "Marc Petit": {"seeks": ["acheteurs retail"], "open_to_chat": True},
        "Léa Moreau": {"interests": ["emballage durable"], "pitch": "Je conçois des emballages consignés."},
        "Hugo Martin": {"offers": ["logistique du dernier kilomètre"], "seeks": ["clients pilotes"]},
    }
    for name, fields in others.items():
        person = backend.join(backend.add_attendee(event_id, name, f"{name.split()[1]} SAS"))
        _profile(backend, person, directory_opt_in=True, **fields)
    return zoe, event_id


def _open(page: Any, base_url: str, lang: str) -> None:
    page.evaluate("(lang) => localStorage.setItem('rencontre.lang', lang)", lang)
    page.goto(base_url + "/for-you")
    expect(page.locator("page-suggestions h1")).to_have_text(TEXTS[lang]["title"])


def test_join_then_suggestions_with_reasons_then_not_now_and_hide(
    live_server: LiveServer, backend: Backend, phone: Any, artifacts: Path
) -> None:
    zoe, _ = _room(backend)
    context = phone()
    serve_axe(context)
    page = context.new_page()
    page.goto(zoe.join_link)
    page.wait_for_function("() => location.pathname !== '/join'", timeout=15_000)
    fr = TEXTS["fr"]
    _open(page, live_server.base_url, "fr")
    join = page.get_by_role("link", name=fr["join"])
    expect(join).to_be_visible()
    page.screenshot(path=str(artifacts / "suggestions-join-fr.png"), scale="css")

    # Joining the directory (the profile's switch, owned by the directory screen) and saying
    # what she offers: the lists follow the change.
    zoe.token = access_token(page)
    _profile(
        backend, zoe, directory_opt_in=True, offers=["intros à des acheteurs retail"], interests=["emballage"]
    )
    for lang in ("fr", "en"):
        texts = TEXTS[lang]
        _open(page, live_server.base_url, lang)
        cards = page.locator(".suggestion")
        expect(cards).to_have_count(3)
        expect(cards.first.locator(".person-name")).to_have_text("Marc Petit")
        expect(cards.first.locator(".reason")).to_have_text(texts["reason"])
        page.wait_for_timeout(200)
        page.screenshot(path=str(artifacts / f"suggestions-{lang}.png"), scale="css", full_page=True)
    serious = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert serious == []

    _open(page, live_server.base_url, "fr")
    marc = page.locator(".suggestion", has_text="Marc Petit")
    marc.get_by_role("button", name=fr["not_now"]).click()
    expect(page.locator("page-suggestions .notice.success")).to_contain_text("Marc Petit reviendra")
    expect(page.locator(".suggestion", has_text="Marc Petit")).to_have_count(0)
    page.locator(".suggestion", has_text="Hugo Martin").get_by_role("button", name=fr["hide"]).click()
    expect(page.locator("page-suggestions .notice.success")).to_contain_text(
        "Hugo Martin ne vous sera plus suggéré"
    )
    page.screenshot(path=str(artifacts / "suggestions-after-hide-fr.png"), scale="css", full_page=True)
    page.reload()
    expect(page.locator(".suggestion")).to_have_count(1)
    expect(page.locator(".suggestion .person-name")).to_have_text("Léa Moreau")

    # Offline, the phone's copy of the list is read, and says when it was saved.
    assert wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()
    expect(page.locator(".notice.pending")).to_contain_text(fr["offline"])
    expect(page.locator(".suggestion .person-name")).to_have_text("Léa Moreau")
    page.screenshot(path=str(artifacts / "suggestions-offline-fr.png"), scale="css")
    context.set_offline(False)
