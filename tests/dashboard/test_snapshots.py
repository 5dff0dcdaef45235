"""SVG snapshots of every tab on the seeded database with a frozen clock and a fixed terminal size (the Activity
feed filtered so it fits on screen), plus the 80×24 layout, the light theme, the empty state and the event detail.
Update with `--snapshot-update` after a deliberate change, and look at the SVGs before committing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from conduit.dashboard.app import VIEWS
from conduit.store.migrations import migrate
from tests.dashboard.conftest import fresh, make_app, settle

Compare = Callable[..., bool]


SETTLE_S = 0.3


def showing(tab: str, *keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await fresh(pilot, tab)
        # Scrolling (the feed follows its newest row) is applied after Textual's next screen refresh, which runs
        # on a timer: give it a moment so the picture holds the settled scroll position and scrollbar.
        await pilot.pause(SETTLE_S)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
            await pilot.pause(SETTLE_S)

    return run_before


def denials_feed(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """The Activity feed filtered to the denials and the abort (`ed` matches only those statuses here), which
    fit on one screen, so the picture does not depend on when the feed's scroll lands; then `keys`."""

    async def run_before(pilot: Pilot[None]) -> None:
        await fresh(pilot, "activity")
        await pilot.press("slash", "e", "d", "enter")
        await fresh(pilot, "activity")
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        await pilot.pause(SETTLE_S)

    return run_before


@pytest.mark.parametrize("tab", [tab for tab, _ in VIEWS if tab != "activity"])
def test_tab(tab: str, seeded_db: Path, snap_compare: Compare) -> None:
    assert snap_compare(make_app(seeded_db), terminal_size=(120, 36), run_before=showing(tab))


def test_activity_filtered(seeded_db: Path, snap_compare: Compare) -> None:
    assert snap_compare(make_app(seeded_db), terminal_size=(120, 36), run_before=denials_feed())


def test_overview_at_80x24(seeded_db: Path, snap_compare: Compare) -> None:
    assert snap_compare(make_app(seeded_db), terminal_size=(80, 24), run_before=showing("overview"))


def test_overview_light_theme(seeded_db: Path, snap_compare: Compare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await fresh(pilot, "overview")

    assert snap_compare(make_app(seeded_db), terminal_size=(120, 36), run_before=run_before)


def test_event_detail(seeded_db: Path, snap_compare: Compare) -> None:
    assert snap_compare(make_app(seeded_db), terminal_size=(120, 36), run_before=denials_feed("up", "enter"))


def test_empty_database(tmp_path: Path, snap_compare: Compare) -> None:
    db = tmp_path / "conduit.db"
    migrate(db)
    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=showing("overview"))
