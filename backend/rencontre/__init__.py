"""Rencontre: offline-first badge scanning for networking events."""

__version__ = "0.1.0"
