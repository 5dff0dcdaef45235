"""The governance scan of one request: extract the text to look at, run the secret detectors and the entity
list over it, and decide per category whether to let it pass (`alert`) or stop it (`block`); `off`
categories are not reported at all. Pure: no I/O; never keeps or reports matched values, only offsets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from conduit.governance.engine import SecretScanner
from conduit.governance.entities import EntityMatcher
from conduit.governance.extract import Scannable, from_json, from_text
from conduit.governance.finding import ENTITY, Finding

ACTIONS = ("off", "alert", "block")


@dataclass(frozen=True, slots=True)
class Hit:
    """A finding with its action and where it sits in the request (a JSON path such as `messages[3].content`)."""

    category: str
    action: str
    where: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Inspection:
    """Everything one scan found, and the text it was found in (held in memory only)."""

    scannable: Scannable
    hits: tuple[Hit, ...]

    @property
    def blocking(self) -> tuple[Hit, ...]:
        """The hits whose category is set to block."""
        return tuple(hit for hit in self.hits if hit.action == "block")

    @property
    def categories(self) -> tuple[str, ...]:
        """The distinct categories found, sorted."""
        return tuple(sorted({hit.category for hit in self.hits}))

    def value(self, hit: Hit) -> str:
        """The matched text of `hit` (for the local scan command and in-memory tracking only)."""
        return self.scannable.text[hit.start:hit.end]


class Governor:
    """Scans requests with one compiled set of detectors and entities, applying each category's action."""

    __slots__ = ("_actions", "_default", "_secrets", "_entities")

    def __init__(self, default: str, actions: Mapping[str, str], entities: Iterable[str] = (),
                 engine: str = "auto") -> None:
        self._default = default
        self._actions = dict(actions)
        enabled = [name for name in _secret_categories() if self.action_for(name) != "off"]
        self._secrets = SecretScanner(enabled, engine=engine) if enabled else None
        terms = list(entities)
        self._entities = EntityMatcher(terms, engine=engine) if terms and self.action_for(ENTITY) != "off" else None

    def action_for(self, category: str) -> str:
        """`off`, `alert` or `block` for a category."""
        return self._actions.get(category, self._default)

    def inspect_json(self, doc: object) -> Inspection:
        """Scan the decoded string values of a JSON request body."""
        return self._inspect(from_json(doc))

    def inspect_text(self, body: bytes) -> Inspection:
        """Scan a request body that is not JSON, as text."""
        return self._inspect(from_text(body))

    def _inspect(self, scannable: Scannable) -> Inspection:
        text = scannable.text
        findings: list[Finding] = []
        if self._secrets is not None:
            findings.extend(self._secrets.scan(text))
        if self._entities is not None:
            findings.extend(self._entities.scan(text))
        findings.sort(key=lambda f: f.start)
        hits = tuple(
            Hit(f.category, self.action_for(f.category), scannable.where(f.start), f.start, f.end) for f in findings
        )
        return Inspection(scannable, hits)


def _secret_categories() -> tuple[str, ...]:
    from conduit.governance.categories import SECRET_CATEGORIES

    return SECRET_CATEGORIES
