"""The export's column set is exactly the documented one, in order, and rows become JSON objects with booleans."""

from __future__ import annotations

import json

from conduit.export.columns import COLUMNS, encode_objects, json_objects

DOCUMENTED = (
    "timestamp", "request_id", "key_name", "key_prefix", "team", "provider", "api", "model", "client", "session_id",
    "status", "http_status", "streamed", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens",
    "tokens_estimated", "cost_usd", "priced", "latency_ms", "ttfb_ms", "request_bytes", "response_bytes",
    "governance_categories", "governance_action", "error_code",
)


def test_columns_are_exactly_the_documented_set_in_order() -> None:
    assert COLUMNS == DOCUMENTED


def test_json_objects_turn_flags_into_booleans_and_keep_nulls() -> None:
    row = tuple(1 if name in ("streamed", "priced") else 0 if name == "tokens_estimated" else None
                for name in COLUMNS)
    (obj,) = json_objects([row])
    assert list(obj) == list(COLUMNS)
    assert (obj["streamed"], obj["tokens_estimated"], obj["priced"]) == (True, False, True)
    assert obj["ttfb_ms"] is None and obj["model"] is None


def test_encoded_objects_split_only_between_rows() -> None:
    tricky = '},{"timestamp":"x"} and \\"},{"timestamp":'
    rows = [tuple(tricky if name == "model" else f"t{i}" if name == "timestamp" else 0 for name in COLUMNS)
            for i in range(3)]
    lines = encode_objects(rows, b"\n").split(b"\n")
    assert [json.loads(line)["model"] for line in lines] == [tricky] * 3
    assert [json.loads(line)["timestamp"] for line in lines] == ["t0", "t1", "t2"]
