"""Writing output files: only when their bytes change."""

from __future__ import annotations

import json
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; true if written."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def json_bytes(data: object) -> bytes:
    """``data`` as the site writes its small JSON files (previews): UTF-8, keys
    sorted, so the same data gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8") + b"\n"
