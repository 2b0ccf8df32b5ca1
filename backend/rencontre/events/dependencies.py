from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from rencontre.dependencies import CurrentOrganiser, SessionDep
from rencontre.events import service
from rencontre.models import Event


async def get_organiser_event(event_id: uuid.UUID, organiser: CurrentOrganiser, session: SessionDep) -> Event:
    """The event in the path, if the signed-in organiser owns it (404 otherwise)."""
    return await service.get_event(session, organiser, event_id)


OrganiserEvent = Annotated[Event, Depends(get_organiser_event)]
