"""The pricing book: what a model's tokens cost, from the packaged `pricing.toml` plus conduit.toml overrides.

Model names are matched by longest prefix on a `-`, `@` or `:` boundary, so dated snapshots find their model
but a newer version step never borrows an older price. Pure; imports only the standard library and core.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from conduit.core.price import Price
from conduit.core.usage import Usage

BOOK_FILE = "pricing.toml"
MEMO_LIMIT = 4096
_NO_OVERRIDES: Mapping[str, Price] = MappingProxyType({})
_BOUNDARIES = "-@:"
# A remainder such as `-7` is a newer version, not a snapshot suffix such as `-20250929` or `-2024-08-06`.
_VERSION_STEP = re.compile(r"-\d{1,2}(?!\d)")
_CLOUD_VENDOR = re.compile(r"^(?:[a-z]{2,4}\.)?anthropic\.")
_PRICE_FIELDS = ("input", "output", "cache_read", "cache_write")


@dataclass(frozen=True, slots=True)
class LongContext:
    """The price of a whole request whose prompt (input, cache reads and writes) is over `above_tokens`."""

    above_tokens: int
    price: Price


@dataclass(frozen=True, slots=True)
class BookEntry:
    """One model's prices: the standard rate and, for some models, a long-context rate."""

    price: Price
    long_context: LongContext | None = None

    def price_for_prompt(self, prompt_tokens: int) -> Price:
        """The rate that applies to a request with `prompt_tokens` prompt tokens."""
        if self.long_context is not None and prompt_tokens > self.long_context.above_tokens:
            return self.long_context.price
        return self.price


class PriceBook:
    """Looks up model prices and works out request costs; lookups are memoised (they run on every request)."""

    __slots__ = ("_entries", "_memo")

    def __init__(self, entries: Mapping[str, BookEntry]) -> None:
        self._entries = {name.lower(): entry for name, entry in entries.items()}
        self._memo: dict[str, BookEntry | None] = {}

    @classmethod
    def default(cls, overrides: Mapping[str, Price] = _NO_OVERRIDES) -> PriceBook:
        """The packaged book with `overrides` (from conduit.toml's [pricing]) replacing its entries."""
        entries = dict(packaged_book())
        entries.update({name.lower(): BookEntry(price) for name, price in overrides.items()})
        return cls(entries)

    def price_for(self, model: str) -> Price | None:
        """The standard price of `model`, or None when the book does not know it."""
        entry = self.entry_for(model)
        return None if entry is None else entry.price

    def entry_for(self, model: str) -> BookEntry | None:
        """The book entry that prices `model` (memoised), or None."""
        try:
            return self._memo[model]
        except KeyError:
            pass
        entry = _lookup(self._entries, model)
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        self._memo[model] = entry
        return entry

    def cost(self, model: str | None, usage: Usage) -> tuple[float, bool]:
        """`(cost_usd, priced)` of `usage` on `model`; an unknown or missing model is `(0.0, False)`."""
        if model is None:
            return 0.0, False
        entry = self.entry_for(model)
        if entry is None:
            return 0.0, False
        prompt = usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens
        price = entry.price_for_prompt(prompt)
        micro_usd = (
            usage.input_tokens * price.input
            + usage.output_tokens * price.output
            + usage.cache_read_tokens * price.cache_read
            + usage.cache_write_tokens * price.cache_write
        )
        return micro_usd / 1_000_000, True


def _lookup(entries: Mapping[str, BookEntry], model: str) -> BookEntry | None:
    """Longest-prefix match of `model`, first as given, then without a vendor path (`openai/`, `anthropic.`)."""
    name = model.strip().lower()
    for candidate in _candidates(name):
        for end in _prefix_ends(candidate):
            entry = entries.get(candidate[:end])
            if entry is not None and _VERSION_STEP.match(candidate, end) is None:
                return entry
    return None


def _candidates(name: str) -> Iterator[str]:
    yield name
    bare = _CLOUD_VENDOR.sub("", name.rsplit("/", 1)[-1])
    if bare and bare != name:
        yield bare


def _prefix_ends(name: str) -> Iterator[int]:
    """Where a book key may end inside `name`: at its end, then before each boundary, longest first."""
    yield len(name)
    for index in range(len(name) - 1, 0, -1):
        if name[index] in _BOUNDARIES:
            yield index


@cache
def packaged_book() -> Mapping[str, BookEntry]:
    """The pricing book shipped in the package, read once."""
    raw = resources.files("conduit.core").joinpath(BOOK_FILE).read_bytes()
    return MappingProxyType(parse_book(tomllib.loads(raw.decode("utf-8"))))


def parse_book(doc: Mapping[str, object]) -> dict[str, BookEntry]:
    """Validate a decoded pricing book (`[models]` and `[long_context]`); raises ValueError naming the key."""
    models = _table(doc.get("models"), "models")
    long_context = _table(doc.get("long_context", {}), "long_context")
    unknown = sorted(set(long_context) - set(models))
    if unknown:
        raise ValueError(f"{BOOK_FILE}: [long_context] names models missing from [models]: {', '.join(unknown)}")
    book: dict[str, BookEntry] = {}
    for name, value in models.items():
        where = f"models.{name}"
        tier = None
        if name in long_context:
            tier_table = _table(long_context[name], f"long_context.{name}")
            above = tier_table.get("above_tokens")
            if not isinstance(above, int) or isinstance(above, bool) or above <= 0:
                raise ValueError(f"{BOOK_FILE}: long_context.{name}.above_tokens must be a positive integer")
            tier = LongContext(above, _price(tier_table, f"long_context.{name}"))
        book[name.lower()] = BookEntry(_price(_table(value, where), where), tier)
    return book


def _table(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ValueError(f"{BOOK_FILE}: {where} must be a table")
    return value


def _price(table: Mapping[str, object], where: str) -> Price:
    """A Price from a table with `input` and `output` (required) and `cache_read`, `cache_write` (default 0)."""
    numbers: dict[str, float] = {}
    for field in _PRICE_FIELDS:
        value = table.get(field, 0.0 if field.startswith("cache") else None)
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{BOOK_FILE}: {where}.{field} must be a non-negative number of USD per million")
        numbers[field] = float(value)
    return Price(**numbers)
