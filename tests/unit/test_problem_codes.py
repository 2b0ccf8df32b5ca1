"""Every expected failure has a stable machine code the apps can translate."""

from __future__ import annotations

import re

import rencontre.app  # noqa: F401  (imports every domain, so every error class exists)
from rencontre.errors import AppError


def _all_error_classes() -> list[type[AppError]]:
    found: list[type[AppError]] = []
    pending: list[type[AppError]] = [AppError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


class TestProblemCodes:
    def test_each_error_class_has_a_snake_case_code(self) -> None:
        for cls in _all_error_classes():
            assert re.fullmatch(r"[a-z][a-z0-9_]*", cls.code), cls

    def test_codes_are_unique_across_error_classes(self) -> None:
        classes = [
            cls for cls in _all_error_classes() if cls is not AppError and "<locals>" not in cls.__qualname__
        ]
        by_code: dict[str, list[str]] = {}
        for cls in classes:
            by_code.setdefault(cls.code, []).append(cls.__qualname__)
        assert {code: names for code, names in by_code.items() if len(names) > 1} == {}

    def test_a_class_without_its_own_code_is_named_after_itself(self) -> None:
        class BadgeFromAnotherPlanet(AppError):
            pass

        class Explicit(AppError):
            code = "kept_as_written"

        assert BadgeFromAnotherPlanet.code == "badge_from_another_planet"
        assert Explicit.code == "kept_as_written"
