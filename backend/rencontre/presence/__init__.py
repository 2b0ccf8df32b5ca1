"""Presence: who is at the venue (checked in at the door, or scanning during the event) and
which isolated attendees staff have introduced to someone."""
