"""``python -m bench``: Rencontre's benchmarks (scan ingest, offline sync, live feed, badges)."""
