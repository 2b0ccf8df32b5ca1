"""Every refusal an attendee's phone can meet is said in French and English by the PWA,
not in the server's English sentence."""

from __future__ import annotations

import re

import pytest

from tests.support import REPO

CATALOGUES = REPO / "frontend" / "src" / "attendee" / "i18n"

# What the attendee's app can be answered: joining, scanning, contacts, passkeys, limits,
# and the failures every request may meet.
ATTENDEE_PROBLEMS = (
    "unauthorized",
    "invalid_join_link",
    "join_link_used",
    "access_reissued",
    "too_many_joins",
    "too_many_renewals",
    "badge_revoked",
    "badge_of_other_event",
    "badge_holder_gone",
    "invalid_badge_token",
    "self_scan",
    "client_id_reused",
    "batch_too_large",
    "scans_not_saved",
    "busy_retry",
    "contact_not_found",
    "contact_changed",
    "note_too_long",
    "notes_locked",
    "unstorable_text",
    "too_many_requests",
    "database_unavailable",
    "service_unavailable",
    "internal_error",
    # Profile photos and objectives (issue 16).
    "photo_too_large",
    "not_an_image",
    "photo_too_small",
    "photo_too_many_pixels",
    "photo_not_found",
    "objective_other_without_other",
    # Next steps (issue 19)
    "next_step_needs_mutual",
    "next_step_already_open",
    "no_next_step",
    "next_step_already_answered",
    "next_step_changed",
    "not_your_turn",
    "next_step_not_yours",
    "next_step_in_the_past",
    "next_step_too_far",
    "too_many_next_step_proposals",
    "next_step_has_no_calendar",
    # Reminders by Web Push and retention (issue 19)
    "push_endpoint_refused",
    "push_subscription_not_found",
    "reminders_after_purge",
    "event_data_purged",
    # Who-to-meet
    "directory_closed",
    "not_in_directory",
    "person_not_in_directory",
    "meet_request_to_self",
    "meet_request_cap_reached",
    "meet_requests_too_fast",
    "meet_request_not_found",
    "prompts_not_allowed",
    "self_block",
)


def _keys(language: str) -> set[str]:
    """The problem texts of the language's catalogue, all its parts (``en.ts``, ``en-*.ts``)."""
    files = [CATALOGUES / f"{language}.ts", *CATALOGUES.glob(f"{language}-*.ts")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in files)
    return set(re.findall(r'^\s*"(problem\.[a-z_]+)":', text, flags=re.MULTILINE))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_refusal_an_attendee_meets_has_a_text(language: str) -> None:
    missing = {f"problem.{code}" for code in ATTENDEE_PROBLEMS} - _keys(language)
    assert missing == set()


def test_the_codes_named_here_exist() -> None:
    import rencontre.app  # noqa: F401  (every domain's errors)
    from rencontre.errors import AppError

    codes: set[str] = set()
    pending: list[type[AppError]] = [AppError]
    while pending:
        cls = pending.pop()
        codes.add(cls.code)
        pending.extend(cls.__subclasses__())
    # Problems rendered outside an AppError class (errors.py's handlers).
    codes |= {"database_unavailable", "internal_error"}
    assert set(ATTENDEE_PROBLEMS) - codes == set()
