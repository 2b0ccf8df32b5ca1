"""The live channel to attendees' phones: what the server pushes to one phone, as it happens.

Protocol (JSON text frames over ``WS /api/me/live``):

1. ``POST /api/me/live/ticket`` (the attendee's bearer token) → ``{ticket, expires_at}``;
   a ticket opens one socket, once, within ``ws_ticket_seconds``: no credential in a URL.
2. The phone opens the socket (its ``Origin`` must be the app's) and sends first
   ``{"type": "auth", "ticket": …, "versions": {"<session id>": <version>, …}}`` —
   the versions it already shows, empty on a first connection.
3. The server sends ``{"type": "session", "session": <MySession>}`` for every open
   session of the event whose version differs from the phone's, then again whenever one
   changes (a round starts, a pause, time added, the end). A frame is the whole state of
   that session for that phone, so resuming after a cut is just steps 1–2 again with the
   versions held: nothing to replay.
4. ``{"type": "ping", "sent_at": <phone ms>}`` → ``{"type": "pong", "sent_at": …,
   "server_now": …}``: the phone sets its clock offset from the round trip, so every
   countdown agrees with the server's clock and with each other.

A phone whose access ends while it is connected (re-issued to another phone, removed
from the event, account deleted) is closed with 4401; the new ticket it asks for is
refused with the reason, which the app shows.

A frame carries only that attendee's view: their seat, the others at their table as
they share themselves (``profile.cards``) with one or two conversation openers drawn from
those cards alone (``formats.views.openers``). Changes cross instances through the same
broker as the dashboards' feed (PostgreSQL LISTEN/NOTIFY, channel ``rencontre_live``).
"""
