"""An offline batch: its size checked, each item parsed on its own, each answered in the order sent.

A queued item that is not a valid scan fails alone, with its own problem; the others
are recorded (:func:`rencontre.encounters.service.record_scans`) and answered in place.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from rencontre.auth.tokens import TokenClaims
from rencontre.config import Settings
from rencontre.encounters.outcomes import Outcome, ScanRequest
from rencontre.encounters.schemas import ScanBatchItem, ScanIn
from rencontre.errors import AppError, PayloadTooLarge, Problem, Unauthorized, Unprocessable


class BatchTooLarge(PayloadTooLarge):
    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"A batch holds at most {limit} scans and this one has {count}; send the rest in another."
        )


def check_batch_size(settings: Settings, items: Sequence[Any]) -> None:
    if len(items) > settings.max_batch_items:
        raise BatchTooLarge(len(items), settings.max_batch_items)


def parse_batch(caller: TokenClaims, items: Sequence[Any]) -> list[ScanRequest | AppError]:
    """Each queued item on its own: one that is not a valid scan fails alone."""
    parsed: list[ScanRequest | AppError] = []
    for raw in items:
        try:
            parsed.append(ScanRequest(caller, ScanIn.model_validate(raw), with_card=False))
        except ValidationError as exc:
            parsed.append(_invalid(exc))
    return parsed


def batch_results(
    items: Sequence[Any], parsed: Sequence[ScanRequest | AppError], outcomes: Sequence[Outcome]
) -> list[ScanBatchItem]:
    """Each item's answer, in the order sent; ``outcomes`` answer the items that parsed, in order.

    A revoked session refuses the whole batch, as it would any request.
    """
    for outcome in outcomes:
        if isinstance(outcome, Unauthorized):
            raise outcome
    answers = iter(outcomes)
    results: list[ScanBatchItem] = []
    for index, (raw, item) in enumerate(zip(items, parsed, strict=True)):
        outcome = item if isinstance(item, AppError) else next(answers)
        if isinstance(outcome, AppError):
            client_id = item.scan.client_id if isinstance(item, ScanRequest) else _client_id_of(raw)
            results.append(_failure(index, client_id, outcome))
        else:
            results.append(outcome.item(index))
    return results


def _client_id_of(raw: Any) -> uuid.UUID | None:
    if isinstance(raw, dict):
        try:
            return uuid.UUID(str(raw.get("client_id")))
        except ValueError:
            return None
    return None


def _invalid(exc: ValidationError) -> Unprocessable:
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())) or "item",
            "message": error.get("msg", ""),
        }
        for error in exc.errors()
    ]
    summary = "; ".join(f"{error['field']}: {error['message']}" for error in errors[:5])
    return Unprocessable(f"The scan is not valid — {summary}", errors=errors)


def _failure(index: int, client_id: uuid.UUID | None, exc: AppError) -> ScanBatchItem:
    return ScanBatchItem(
        index=index,
        client_id=client_id,
        status="error",
        outcome="error",
        http_status=exc.status_code,
        detail=exc.detail,
        error=Problem(
            title=exc.title,
            status=exc.status_code,
            code=str(exc.extra.get("code", exc.code)),
            detail=exc.detail,
            errors=exc.extra.get("errors"),
        ),
    )
