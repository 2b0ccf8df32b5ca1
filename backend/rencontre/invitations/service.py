"""Invitation rules: who may be invited by e-mail, the queue, the progress and the preview."""

from __future__ import annotations

import base64
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.attendees import service as attendee_service
from rencontre.auth import service as auth_service
from rencontre.config import Settings
from rencontre.errors import Conflict, NotFound
from rencontre.invitations import mail, repository
from rencontre.invitations.schemas import (
    InvitationCounts,
    InvitationPreview,
    InvitationProgress,
    InvitationRequest,
    InvitationSelection,
    InvitationsQueued,
)
from rencontre.kit.time import utcnow
from rencontre.models import Event


class MailNotConfigured(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "No mail server is configured (RENCONTRE_SMTP_HOST), so invitations cannot be sent by "
            "e-mail; download the join links as CSV for a mail-merge instead."
        )


class UnknownAttendees(NotFound):
    def __init__(self, ids: list[uuid.UUID]) -> None:
        super().__init__(
            f"{len(ids)} of the attendees given are not in this event (removed, or never added); "
            "nothing was queued.",
            attendee_ids=[str(i) for i in ids],
        )


class AttendeesAlreadyJoined(Conflict):
    def __init__(self, names: list[str], ids: list[uuid.UUID]) -> None:
        shown = ", ".join(names[:5]) + ("…" if len(names) > 5 else "")
        super().__init__(
            f"{len(names)} of the attendees given have already joined ({shown}): a join link works "
            "once, so they get no invitation. Nothing was queued.",
            attendee_ids=[str(i) for i in ids],
        )


async def progress(session: AsyncSession, settings: Settings, event: Event) -> InvitationProgress:
    counts = InvitationCounts(**await repository.counts(session, event.id))
    return InvitationProgress(mail_configured=settings.mail_configured, counts=counts)


async def invite(
    session: AsyncSession, settings: Settings, event: Event, request: InvitationRequest
) -> InvitationsQueued:
    if not settings.mail_configured:
        raise MailNotConfigured()
    if isinstance(request, InvitationSelection):
        wanted = list(dict.fromkeys(request.attendee_ids))
        found = await repository.live_of(session, event.id, wanted)
        known = {a.id for a in found}
        missing = [i for i in wanted if i not in known]
        if missing:
            raise UnknownAttendees(missing)
        joined = [a for a in found if a.join_link_used]
        if joined:
            raise AttendeesAlreadyJoined([a.name for a in joined], [a.id for a in joined])
        ids = wanted
    else:
        ids = await repository.not_yet_invited(session, event.id)
    queued_now = await repository.enqueue(session, event.id, ids, language=request.language, now=utcnow())
    current = await progress(session, settings, event)
    return InvitationsQueued(queued_now=queued_now, **current.model_dump())


async def preview(
    session: AsyncSession, settings: Settings, event: Event, attendee_id: uuid.UUID, language: str | None
) -> InvitationPreview:
    """The mail as it would leave now; the link in it is a real one, so this is for organisers only."""
    attendee = await attendee_service.invitable_attendee(session, event, attendee_id)
    link = auth_service.invite_link(settings, attendee)
    rendered = mail.render(event, attendee, link, mail.mail_language(attendee, language or ""))
    return InvitationPreview(
        language=rendered.language,
        to=attendee.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        qr_png_base64=base64.b64encode(mail.qr_png(link)).decode("ascii"),
    )
