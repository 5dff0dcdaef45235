"""Theme-aware colours for content drawn as Rich text (table cells, charts): one style per status and per role
(success, error, warning, accent, muted), resolved from the running Textual theme so dark and light both read.

Imports rich and textual only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style
from textual.color import Color

# status -> (foreground variable, background variable or "", bold)
STATUS_LOOK: Mapping[str, tuple[str, str, bool]] = {
    "success": ("text-success", "", False),
    "upstream_error": ("text-error", "", False),
    "auth_failed": ("text-warning", "", True),
    "rate_limited": ("text-warning", "warning-muted", False),
    "model_blocked": ("text-secondary", "", True),
    "budget_exceeded": ("text-primary", "primary-muted", True),
    "governance_blocked": ("foreground", "error", True),
    "client_aborted": ("foreground-muted", "", False),
    "proxy_error": ("text-error", "error-muted", True),
}
ROLES: Mapping[str, str] = {
    "success": "text-success",
    "error": "text-error",
    "warning": "text-warning",
    "accent": "text-accent",
    "primary": "text-primary",
    "muted": "foreground-muted",
    "bar": "primary",
    "bar-alt": "accent",
    "bar-bad": "error",
    "track": "surface-lighten-1",
}


@dataclass(frozen=True, slots=True)
class Palette:
    """Rich styles for statuses and roles under one theme."""

    statuses: Mapping[str, Style]
    roles: Mapping[str, Style]

    @classmethod
    def from_variables(cls, variables: Mapping[str, str]) -> Palette:
        """Resolve the theme's CSS variables (`App.theme_variables`) into styles."""
        background = _color(variables, "background", Color(0, 0, 0))
        statuses = {
            status: Style(
                color=_resolve(variables, fg, background),
                bgcolor=_resolve(variables, bg, background) if bg else None,
                bold=bold,
            )
            for status, (fg, bg, bold) in STATUS_LOOK.items()
        }
        roles = {role: Style(color=_resolve(variables, name, background)) for role, name in ROLES.items()}
        return cls(statuses, roles)

    def status(self, status: str) -> Style:
        """The style of a request status (an unknown status is drawn plain)."""
        return self.statuses.get(status, Style())

    def role(self, role: str) -> Style:
        """The style of a role such as `success`, `warning`, `error`, `muted` or `bar`."""
        return self.roles.get(role, Style())


def _color(variables: Mapping[str, str], name: str, fallback: Color) -> Color:
    try:
        return Color.parse(variables[name])
    except (KeyError, Exception):  # noqa: BLE001 - a theme without the variable falls back
        return fallback


def _resolve(variables: Mapping[str, str], name: str, background: Color) -> str:
    """The variable as an opaque hex colour (alpha blended onto the background)."""
    color = _color(variables, name, Color(128, 128, 128))
    return (background + color).hex6 if color.a < 1 else color.hex6
