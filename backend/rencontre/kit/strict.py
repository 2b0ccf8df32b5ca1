"""Request field types that take JSON as it is typed: no number for a date, no text for a number.

Pydantic's lax mode would read ``0`` as 1970-01-01 and ``"5"`` as 5; a client sending
that has a bug worth a 422, not a silently different value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, StrictBool, StrictInt


def _date_time_text(value: Any) -> Any:
    if isinstance(value, str | datetime):
        return value
    raise ValueError("must be a date and time written as text, e.g. 2025-06-12T09:30:00+02:00")


JsonDatetime = Annotated[AwareDatetime, BeforeValidator(_date_time_text)]

__all__ = ["JsonDatetime", "StrictBool", "StrictInt"]
