"""The sim's reply words: deterministic, one token per word, capped by the request's limit."""

from __future__ import annotations

from conduit.sim.reply import plan_reply

KEY = "0123456789abcdef0123456789abcdef"


def test_reply_has_one_word_per_token_and_repeats() -> None:
    reply = plan_reply(KEY, 30, None)
    assert reply.output_tokens == 30 and len(reply.text.split()) == 30
    assert "".join(reply.pieces) == reply.text
    assert plan_reply(KEY, 30, None) == reply
    assert not reply.truncated


def test_limit_truncates_the_reply() -> None:
    reply = plan_reply(KEY, 30, 7)
    assert reply.output_tokens == 7 and reply.truncated
    assert reply.text == " ".join(plan_reply(KEY, 30, None).text.split()[:7])


def test_limit_above_wanted_does_not_truncate() -> None:
    assert not plan_reply(KEY, 5, 4096).truncated


def test_different_keys_start_on_different_words() -> None:
    assert plan_reply(KEY, 5, None).text != plan_reply("f" * 32, 5, None).text
