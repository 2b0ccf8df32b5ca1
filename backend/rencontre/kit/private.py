"""Owner-only files: the data directory holds every note and every password hash.

``mkdir``'s and ``open``'s modes are masked by the umask and ignored for what already
exists, so each path is also tightened with ``chmod``: an install made before this
rule (0755 and 0644) is fixed at the next start.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
# SQLite creates these beside the database with the database file's own mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> None:
    """Create ``path`` (and its parents) and make it owner-only."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    _tighten(path, DIRECTORY_MODE)


def private_file(path: Path) -> None:
    """Create ``path`` empty if absent, and make it owner-only."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    _tighten(path, FILE_MODE)


def private_sqlite_database(path: Path) -> None:
    """The database file, created owner-only before SQLite opens it, and its companions."""
    if not path.parent.exists():
        private_dir(path.parent)
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _tighten(companion, FILE_MODE)


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except PermissionError:
        # A directory handed to us by someone else (a mounted volume): theirs to set.
        logger.warning("cannot make %s owner-only (mode %o); its owner should", path, mode)
