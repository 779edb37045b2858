"""Dates from mail headers, as ISO 8601 text (the form JSON, CSV and filters use)."""

from __future__ import annotations

MAX_DATE = 200


def iso_date(value: str | None) -> str | None:
    """An RFC 5322 date (``Thu, 5 Mar 2026 14:30:00 +0100``) as ISO 8601 with its UTC
    offset (``2026-03-05T14:30:00+01:00``); None when missing or unreadable. A date
    without a zone is taken as UTC (RFC 5322's ``-0000``: the zone is unknown)."""
    if not value or len(value) > MAX_DATE:
        return None
    from datetime import timezone
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()
