"""The demo on a background thread (as under the dashboard): stopping it ends the traffic, flushes the proxy's
events, closes both servers and releases the database."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from conduit.demo.run import BackgroundDemo, DemoOptions
from conduit.demo.traffic import TrafficPlan
from conduit.store.lock import acquire_lock


def port_open(url: str) -> bool:
    parts = urlsplit(url)
    with socket.socket() as sock:
        return sock.connect_ex((parts.hostname or "", parts.port or 0)) == 0


def test_stop_flushes_events_and_closes_everything(tmp_path: Path) -> None:
    # The traffic has sent its four requests when `wait_traffic` returns, but the servers keep serving (as under
    # the dashboard) until `stop`.
    background = BackgroundDemo(DemoOptions(tmp_path / "demo.db", TrafficPlan(50.0, 3, None, 4)))
    running = background.start()
    assert background.wait_traffic(60)
    assert port_open(running.sim_url) and port_open(running.proxy_url)
    finished = background.stop()
    assert finished.tally.sent == 4
    assert finished.tally.done == finished.tally.sent
    with sqlite3.connect(running.config.database) as conn:
        recorded = conn.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0]
    assert recorded == finished.tally.done
    assert not port_open(running.sim_url) and not port_open(running.proxy_url)
    acquire_lock(running.config.database).release()


def test_a_temporary_home_outlives_stop_until_removed() -> None:
    from conduit.demo.setup import remove_home

    background = BackgroundDemo(DemoOptions(None, TrafficPlan(50.0, 3, None, 1)))
    running = background.start()
    assert background.wait_traffic(60)
    finished = background.stop()
    assert finished.home.temporary and finished.home.database.is_file()
    remove_home(finished.home)
    assert not running.home.folder.exists()
