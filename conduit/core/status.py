"""The stable names of request outcomes, used in the database, dashboard, export and error bodies."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """How a request ended; see DESIGN.md for the HTTP status that goes with each."""

    SUCCESS = "success"
    UPSTREAM_ERROR = "upstream_error"
    AUTH_FAILED = "auth_failed"
    RATE_LIMITED = "rate_limited"
    MODEL_BLOCKED = "model_blocked"
    BUDGET_EXCEEDED = "budget_exceeded"
    GOVERNANCE_BLOCKED = "governance_blocked"
    CLIENT_ABORTED = "client_aborted"
    PROXY_ERROR = "proxy_error"
