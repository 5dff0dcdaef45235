"""What a scan reads from a request body: decoded string values of Anthropic, Chat Completions and Responses
requests joined into one text, base64 payloads and opaque blobs left out, and each offset traced back to its
JSON path."""

from __future__ import annotations

import base64
import json
import re

import orjson

from conduit.governance.extract import SEPARATOR, Scannable, from_json, from_text

AWS_KEY = "AKIA" + "QYLPMN5H" + "HHFPZAM2"
IMAGE = base64.b64encode(bytes(range(256)) * 40).decode()


def at(scannable: Scannable, needle: str) -> str:
    """The path of the value holding the only occurrence of `needle`."""
    assert scannable.text.count(needle) == 1
    return scannable.where(scannable.text.index(needle))


def resolve(doc: object, path: str) -> object:
    """Follow a path of field names and indexes through `doc`."""
    for name, index in re.findall(r"\.?([A-Za-z_]+)|\[(\d+)\]", path):
        doc = doc[name] if name else doc[int(index)]  # type: ignore[index]
    return doc


def test_escaped_key_in_a_tool_result_is_plain_text_at_its_path() -> None:
    escaped = AWS_KEY[:4] + "\\u0051" + AWS_KEY[5:]
    raw = ('{"model":"claude-sonnet-4-6","system":[{"type":"text","text":"You are Claude Code."}],'
           '"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash",'
           '"input":{"command":"cat \\/app\\/.env"}}]},'
           '{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1",'
           f'"content":"AWS_REGION=eu-west-1\\nAWS_ACCESS_KEY_ID={escaped}\\nPATH=\\/usr\\/bin"}}]}}]}}')
    assert AWS_KEY.encode() not in raw.encode()
    scannable = from_json(orjson.loads(raw))
    assert f"\nAWS_ACCESS_KEY_ID={AWS_KEY}\n" in scannable.text
    assert at(scannable, AWS_KEY) == "messages[1].content[0].content"
    assert at(scannable, "cat /app/.env") == "messages[0].content[0].input.command"
    assert at(scannable, "You are Claude Code.") == "system[0].text"


def test_text_is_the_values_in_document_order_joined_by_the_separator() -> None:
    doc = {"system": "rules", "messages": [{"role": "user", "content": [{"type": "text", "text": "hello"}]}],
           "max_tokens": 10, "stream": True, "metadata": None}
    scannable = from_json(doc)
    assert scannable.text == SEPARATOR.join(["rules", "user", "text", "hello"])
    assert [scannable.where(scannable.text.index(v)) for v in ("rules", "user", "hello")] == [
        "system", "messages[0].role", "messages[0].content[0].text"]


def test_base64_payloads_and_opaque_blobs_are_skipped() -> None:
    doc = {"messages": [{"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
        {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "plain document"}},
        {"type": "thinking", "thinking": "let me think", "signature": "EqQBCkgIARABGAIiQ"},
        {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "auto"}},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {"type": "input_image", "image_url": "data:image/jpeg;base64,/9j/4AAQ"},
        {"type": "file", "file": {"file_data": "JVBERi0xLjQK", "filename": "spec.pdf"}},
        {"type": "input_audio", "input_audio": {"data": "UklGRiQA", "format": "wav"}},
        {"type": "tool_use", "input": {"format": "csv", "data": "name,card\\nAda,4111"}},
        {"type": "reasoning", "encrypted_content": "gAAAAABo"},
        {"type": "tool_result", "content": IMAGE},
        {"type": "tool_result", "content": "short/base64+ok=="},
        {"type": "tool_result", "content": IMAGE[:600] + " " + IMAGE[600:1200]},
    ]}]}
    text = from_json(doc).text
    for blob in ("iVBORw0KGgo", "EqQBCkgI", "EmwKAhgB", "/9j/4AAQ", "JVBERi0x", "UklGRiQA", "gAAAAABo", IMAGE):
        assert blob not in text
    for kept in ("name,card\\nAda,4111", "wav", "plain document", "let me think", "https://example.com/cat.png",
                 "spec.pdf", "short/base64+ok==", IMAGE[:600] + " "):
        assert kept in text


def test_chat_completions_shape() -> None:
    arguments = json.dumps({"command": f"export AWS_ACCESS_KEY_ID={AWS_KEY}", "cwd": "\\/srv"})
    doc = {"model": "gpt-5", "messages": [
        {"role": "system", "content": "You are helpful."},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "shell", "arguments": arguments}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": [{"type": "text", "text": "done"}]}],
        "tools": [{"type": "function", "function": {"name": "shell", "description": "Run a shell command",
                                                     "parameters": {"type": "object"}}}]}
    scannable = from_json(doc)
    assert at(scannable, AWS_KEY) == "messages[1].tool_calls[0].function.arguments.command"
    assert at(scannable, "\\/srv") == "messages[1].tool_calls[0].function.arguments.cwd"
    assert at(scannable, "You are helpful.") == "messages[0].content"
    assert at(scannable, "done") == "messages[2].content[0].text"
    assert at(scannable, "Run a shell command") == "tools[0].function.description"


def test_arguments_that_are_not_json_are_scanned_as_they_are() -> None:
    doc = {"input": [{"type": "function_call", "name": "apply_patch", "arguments": "{not json " + AWS_KEY}]}
    assert at(from_json(doc), AWS_KEY) == "input[0].arguments"


def test_responses_shape() -> None:
    doc = {"model": "gpt-5", "instructions": "You are Codex.", "input": [
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "run env"}]},
        {"type": "reasoning", "summary": [], "encrypted_content": "gAAAAABoQ2x"},
        {"type": "function_call", "call_id": "call_1", "name": "shell", "arguments": '{"cmd":["env"]}'},
        {"type": "function_call_output", "call_id": "call_1", "output": f"AWS_ACCESS_KEY_ID={AWS_KEY}"}]}
    scannable = from_json(doc)
    assert at(scannable, AWS_KEY) == "input[3].output"
    assert at(scannable, "You are Codex.") == "instructions"
    assert at(scannable, "run env") == "input[0].content[0].text"
    assert scannable.values is not None
    index = scannable.values.index("env")
    assert scannable.where(len(SEPARATOR.join(scannable.values[:index] + [""]))) == "input[2].arguments.cmd[0]"
    assert "gAAAAABoQ2x" not in scannable.text
    assert from_json({"input": "just a string"}).where(0) == "input"


def test_every_value_resolves_to_itself_through_its_path() -> None:
    doc = orjson.loads(orjson.dumps({
        "system": [{"type": "text", "text": "sys"}, {"type": "text", "text": "sys"}],
        "messages": [{"role": "user", "content": [{"type": "text", "text": f"line {i}"} for i in range(30)]},
                     {"role": "assistant", "content": [{"type": "tool_use", "input": {"a": {"b": ["x", "y"]}}}]}],
        "tools": [{"name": "t", "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}}]}))
    scannable = from_json(doc)
    assert scannable.values
    start = 0
    for value in scannable.values:
        assert resolve(doc, scannable.where(start)) == value
        assert resolve(doc, scannable.where(start + len(value) - 1)) == value
        start += len(value) + len(SEPARATOR)


def test_keys_are_not_scanned_and_unusual_keys_stay_out_of_paths() -> None:
    doc = {"messages": [{"role": "user", "content": [{"type": "tool_use", "input": {AWS_KEY: "value-1",
                                                                                  "Content-Type": "value-2"}}]}]}
    scannable = from_json(doc)
    assert AWS_KEY not in scannable.text
    assert at(scannable, "value-1") == "messages[0].content[0].input[…]"
    assert at(scannable, "value-2") == "messages[0].content[0].input[…]"


def test_deep_nesting_does_not_recurse_and_long_paths_are_shortened() -> None:
    doc: object = {"text": "deep"}
    for _ in range(5_000):
        doc = {"content": [doc]}
    scannable = from_json(doc)
    assert scannable.text == "deep"
    where = scannable.where(0)
    assert where.startswith("content[0].content[0].") and where.endswith("content[0].text") and "…" in where
    assert len(where) <= 120


def test_bare_string_and_empty_bodies() -> None:
    assert from_json("hello").text == "hello" and from_json("hello").where(2) == "body"
    assert from_json({}).text == "" and from_json({}).where(0) == "body"


def test_non_json_body_is_scanned_whole() -> None:
    scannable = from_text(b"key=" + AWS_KEY.encode() + b"\n\xff\xfe tail")
    assert scannable.text == f"key={AWS_KEY}\n\ufffd\ufffd tail"
    assert scannable.where(5) == "body"


def test_repr_shows_no_text() -> None:
    scannable = from_json({"messages": [{"role": "user", "content": AWS_KEY}]})
    assert AWS_KEY not in repr(scannable) and AWS_KEY not in str(scannable)
