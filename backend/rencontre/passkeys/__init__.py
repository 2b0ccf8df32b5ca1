"""Passkeys (WebAuthn) that lock an attendee's notes.

Once an attendee has registered a passkey, a session that has not presented one (a
re-issued access, a new device) still sees and scans contacts, but every note, tag and
rating is withheld until a passkey is presented. Presenting one gives the phone a fresh
access token carrying the ``pk`` claim: signed like any token, so any instance accepts
it without shared memory, and it lasts as long as that session. Re-issuing the access
revokes it with every other token.
"""
