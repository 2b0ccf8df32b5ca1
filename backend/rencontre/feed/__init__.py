"""The organiser's live feed: counts of the room, pushed over a websocket.

Protocol (``/api/events/{event_id}/feed``):

1. ``POST /api/events/{event_id}/feed/ticket`` (organiser) → ``{ticket, expires_at}``:
   single use, valid ``RENCONTRE_WS_TICKET_SECONDS`` (30 s), any instance accepts it.
2. Open the websocket (browsers: from the app's own origin) and send first, within
   10 s: ``{"type": "auth", "ticket": "…", "last_seq": null}`` — or the last ``seq``
   seen, when reconnecting.
3. The server sends a ``snapshot`` (or, resuming, a ``delta`` from ``last_seq`` when
   it still holds every connection since, else a snapshot), then ``delta`` frames,
   at most one per ``RENCONTRE_FEED_COALESCE_MS`` (250 ms) however fast scans come.
   Every frame carries ``seq``, the number of connections it brings the dashboard up
   to; a delta also carries ``from_seq``. Counts are absolute; ``timeline`` lists
   the 5-minute buckets that changed, with their totals. ``top`` and ``isolated``
   (and ``counts.isolated``) change only on the lists' periodic refresh
   (``RENCONTRE_FEED_LISTS_REFRESH_SECONDS``), as of the last multiple of
   ``RENCONTRE_FEED_LISTS_MIN_CONNECTIONS`` connections, in a delta of their own
   (``seq`` equal to ``from_seq``, no connection): never in the frame of a
   connection. They give per-person counts only while names are on.
   ``connections`` lists, in order, the new connections made after the event's
   ``feed_shows_names`` was turned on, with the two names; with names off it is
   empty, so nothing in the stream says who met whom.
4. A dashboard applies a delta whose ``from_seq`` is at most its own ``seq`` and
   skips listed connections it has seen; a larger ``from_seq`` means a gap: reconnect
   with ``last_seq`` (or send ``{"type": "resync"}``). A delta whose ``seq`` equals
   the dashboard's own must be applied too: it refreshes the figures that move with
   the clock or without a scan (present — arrived at the venue — and active scanners
   every 10 s when they change, never in the frame of the connection whose scan made
   someone arrive; the lists on their own refresh), and answers a resume that missed
   nothing.
5. Optional: ``{"type": "ping"}`` → ``{"type": "pong", "seq": …}``.

Close codes: 1001 server going away and 1012 restarting (reconnect), 1003 binary
frame, 1008 message flood or too many feeds open by one organiser (20 per
instance), 1009 message over 4 KiB, 1011 internal error, 1013 feed unavailable or
client too slow (reconnect later), 4400 first message not an ``auth``, 4401
unknown, used or expired ticket, 4403 another event's ticket, 4404 no such event,
4408 no ``auth`` in time. A refused Origin fails the handshake (HTTP 403).
Malformed JSON and unknown types are answered ``{"type": "error", "code", "detail"}``.
"""
