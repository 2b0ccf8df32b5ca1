"""Encounters: recording scans, one contact per pair, idempotent and offline-safe."""
