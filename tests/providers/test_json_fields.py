"""Typed reads of decoded wire JSON, and the raw-line model finder."""

from __future__ import annotations

from conduit.providers.json_fields import bool_at, decode_object, int_at, model_in_line, obj_at, str_at


def test_typed_reads_reject_the_wrong_types() -> None:
    obj = decode_object(b'{"n": 3, "neg": -1, "flag": true, "f": 1.5, "s": "x", "empty": "", "o": {"k": 1}}')
    assert obj is not None
    assert (int_at(obj, "n"), int_at(obj, "neg"), int_at(obj, "flag"), int_at(obj, "f"), int_at(obj, "s")) == (
        3, None, None, None, None)
    assert (str_at(obj, "s"), str_at(obj, "empty"), str_at(obj, "n")) == ("x", None, None)
    assert (bool_at(obj, "flag"), bool_at(obj, "n"), bool_at(None, "flag")) == (True, False, False)
    assert obj_at(obj, "o") == {"k": 1} and obj_at(obj, "s") is None and int_at(obj_at(obj, "missing"), "k") is None


def test_decode_object_only_accepts_objects() -> None:
    assert decode_object(b"[1]") is None and decode_object(b"nope") is None and decode_object(b"{}") == {}


def test_model_in_line_skips_escaped_quotes_inside_strings() -> None:
    line = b'{"instructions":"say \\"model\\":\\"gpt-4o\\"","model":"gpt-5.1-codex"}'
    assert model_in_line(line) == "gpt-5.1-codex"
    assert model_in_line(b'{"model": "claude-opus-5-5"}') == "claude-opus-5-5"
    assert model_in_line(b'{"usage":{}}') is None
