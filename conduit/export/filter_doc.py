"""The export filter as a JSON-ready document (times as ISO 8601 UTC), as written in the JSON export and the
manifest, so a reader of either knows exactly which events were selected.

Imports the standard library, `conduit.core.moments` and `conduit.store.export_rows` only.
"""

from __future__ import annotations

from typing import Any

from conduit.core.moments import iso_ms
from conduit.store.export_rows import ExportFilter


def filter_document(export_filter: ExportFilter) -> dict[str, Any]:
    """The filter's fields by name: `since` (inclusive) and `until` (exclusive) as ISO text, the rest as given;
    null (or an empty `status` list) where nothing was restricted."""
    since, until = export_filter.since_ms, export_filter.until_ms
    return {
        "since": None if since is None else iso_ms(since),
        "until": None if until is None else iso_ms(until),
        "key": export_filter.key,
        "team": export_filter.team,
        "model": export_filter.model,
        "status": [status.value for status in export_filter.statuses],
    }
