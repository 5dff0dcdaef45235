"""Reading the `x-sim-*` knobs: a table of headers → knobs, and the malformed values refused."""

from __future__ import annotations

import pytest

from conduit.sim.knobs import KnobError, Knobs, SimDefaults, default_knobs, read_knobs

BASE = default_knobs(SimDefaults(latency_ms=5, chunk_delay_ms=2, output_tokens=30))


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, Knobs(5, 2, 30)),
        ({"x-sim-latency-ms": "120", "x-sim-chunk-delay-ms": "7.5"}, Knobs(120, 7.5, 30)),
        ({"x-sim-output-tokens": "400"}, Knobs(5, 2, 400)),
        ({"x-sim-output-tokens": "0"}, Knobs(5, 2, 1)),
        ({"x-sim-status": "529"}, Knobs(5, 2, 30, status=529)),
        ({"x-sim-fault": "cut-after:3"}, Knobs(5, 2, 30, cut_after=3)),
        ({"x-sim-fault": "hang-after:0"}, Knobs(5, 2, 30, hang_after=0)),
        ({"x-sim-hold-after": "4"}, Knobs(5, 2, 30, hold_after=4)),
        ({"x-sim-gzip": "1"}, Knobs(5, 2, 30, encoding="gzip")),
        ({"x-sim-gzip": "0"}, Knobs(5, 2, 30)),
        ({"x-sim-encoding": "zstd"}, Knobs(5, 2, 30, encoding="zstd")),
        ({"x-sim-encoding": " BR "}, Knobs(5, 2, 30, encoding="br")),
    ],
)
def test_headers_set_knobs(headers: dict[str, str], expected: Knobs) -> None:
    assert read_knobs(headers, BASE) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("x-sim-latency-ms", "soon"),
        ("x-sim-latency-ms", "-1"),
        ("x-sim-chunk-delay-ms", "nan"),
        ("x-sim-status", "99"),
        ("x-sim-status", "abc"),
        ("x-sim-output-tokens", "many"),
        ("x-sim-fault", "explode:1"),
        ("x-sim-encoding", "lz4"),
        ("x-sim-fault", "cut-after:-2"),
        ("x-sim-hold-after", "x"),
    ],
)
def test_malformed_values_name_the_header(name: str, value: str) -> None:
    with pytest.raises(KnobError, match=name):
        read_knobs({name: value}, BASE)


def test_defaults_give_at_least_one_output_token() -> None:
    assert default_knobs(SimDefaults(output_tokens=0)).output_tokens == 1
