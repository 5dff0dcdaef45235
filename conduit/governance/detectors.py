"""The catalogue of secret detectors, gathered from one module per family, and the choice of those that serve a
set of categories. Pure: imports only the detector modules and `categories`.
"""

from __future__ import annotations

from collections.abc import Iterable

from conduit.governance import (
    detectors_ai,
    detectors_assignment,
    detectors_cloud,
    detectors_code,
    detectors_formats,
    detectors_saas,
)
from conduit.governance.categories import SECRET_CATEGORIES
from conduit.governance.detector import Detector

_SPECIFIC = (detectors_cloud.DETECTORS + detectors_code.DETECTORS + detectors_saas.DETECTORS
             + detectors_ai.DETECTORS + detectors_formats.DETECTORS)

DETECTORS: tuple[Detector, ...] = _SPECIFIC + detectors_assignment.generic_detectors(
    tuple(sorted({p for d in _SPECIFIC if not d.caseless for p in d.prefixes}))
)
"""Every detector, each reporting one of SECRET_CATEGORIES."""


def detectors_for(categories: Iterable[str] | None = None) -> tuple[Detector, ...]:
    """The detectors reporting any of `categories` (all of them for None); unknown names raise ValueError."""
    if categories is None:
        return DETECTORS
    wanted = set(categories)
    unknown = sorted(wanted - set(SECRET_CATEGORIES))
    if unknown:
        raise ValueError(f"unknown secret categories: {', '.join(unknown)}")
    return tuple(d for d in DETECTORS if d.category in wanted)
