"""The generic credential detector: a password, secret, token or API-key name assigned a value in code, env files,
YAML, JSON, XML or a command line, where the value passes entropy and placeholder checks.
Pure: imports only `detector`, `entropy` and the standard library.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from conduit.governance.detector import Detector
from conduit.governance.entropy import char_classes, is_placeholder, shannon_bits

KEYWORDS = ("password", "passwd", "passphrase", "pass", "pwd", "secret", "token", "credential", "credentials",
            "creds", "auth", "authorization", "apikey", "api_key", "api-key", "accesskey", "access_key", "access-key",
            "privatekey", "private_key", "private-key", "authkey", "auth_key", "auth-key")
"""Name parts that mark a credential (matched ignoring case, as a whole word or camelCase/snake_case part)."""

ANCHORS = ("pass", "pwd", "secret", "token", "cred", "auth", "apikey", "api_key", "api-key", "accesskey",
           "access_key", "access-key", "privatekey", "private_key", "private-key")
"""Where a keyword can start: every keyword begins with one of these."""

_KW = "|".join(re.escape(k) for k in sorted(KEYWORDS, key=len, reverse=True))
_VALUE = r"[^\s'\"`\\,;:<>(){}\[\]]"  # no `:`: `user:pass`, `host:port` and `id:hash` are other detectors' business
_VALUE_END = r"(?=[\s'\"`,;<\\)\]}]|\Z)"
_GENERIC_CORE = (rf"(?:{_KW})[A-Za-z0-9_.\-'\"?+!:=|\[\]\s]{{0,60}}[:=>,]\s{{0,8}}[@'\"`]{{0,2}}"
                 rf"(?:[A-Za-z-]{{3,9}}[ \t]{{1,4}})?{_VALUE}{{8}}")
_TYPE = r"(?:[ \t]*:[ \t]*[A-Za-z_][\w.|\[\]]*|[ \t]+[A-Za-z_]\w*)(?=[ \t]*=)"  # `key: str =`, `key string =`
_GENERIC = (
    rf"(?P<kw>{_KW})(?P<rest>[A-Za-z0-9_.-]{{0,30}}?)(?P<type>{_TYPE})?"
    r"(?:['\"]?[ \t]{0,4}(?P<op>:{1,3}=|\?=|\.=|\+=|=>|->|!==?|===?|=|:(?!:))[ \t]{0,4}@?"
    r"|(?P<pair>['\"]\s{0,4},\s{0,4})|(?P<xml>>\s{0,8}))"
    r"(?P<q>['\"`]?)(?:(?:bearer|basic|token|bot|digest|api-token)[ \t]{1,4})?"
    rf"(?P<secret>{_VALUE}{{8,200}}+){_VALUE_END}"
)
_FLAG_CORE = rf"--(?:{_KW})[A-Za-z0-9_.-]{{0,30}}[ \t]{{1,4}}['\"`]?{_VALUE}{{8}}"
_FLAG = (rf"--(?P<kw>{_KW})(?P<rest>[A-Za-z0-9_.-]{{0,30}}?)(?P<flag>[ \t]{{1,4}})(?P<q>['\"`]?)"
         rf"(?P<secret>{_VALUE}{{8,200}}+){_VALUE_END}")
IGNORED_WORDS = frozenset(  # a name with one of these parts describes a credential rather than holding one
    "type types name names id ids count len length size file filename path dir url uri endpoint max min limit "
    "public publishable format version field header prefix suffix kind mode policy ref timeout provider label "
    "description usage budget index idx regex pattern placeholder example sample dummy hint prompt input "
    "strength validator validation ttl expires expiry expiration scope scopes audience issuer algorithm alg "
    "encoding charset location storage store manager service column param params arg args option options flag "
    "enabled required is has use get set fetch load read generate rotate cache ms seconds tokenizer reset "
    "forgot hash hashed digest salt method schema class func callback handler env var vars csrf xsrf nonce".split()
)
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
_NAME_TAIL = re.compile(r"[A-Za-z0-9_.-]*\Z")
_DELIMS = frozenset(" \t\r\n,;<\\)]}\"'`")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-(?P<version>[0-9a-fA-F])[0-9a-fA-F]{3}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _keyword_ok(text: str, start: int, end: int) -> bool:
    word = text[start:end]
    if start > 0 and "a" <= text[start - 1] <= "z" and not word[0].isupper():
        return False
    if end < len(text):
        nxt = text[end]
        if word[-1].islower() and "a" <= nxt <= "z":
            return False
        if word.isupper() and "A" <= nxt <= "Z":
            return False
    return True


def _identifier(text: str, start: int, end: int) -> tuple[int, str]:
    before = _NAME_TAIL.search(text, max(0, start - 60), start)
    head = before.start() if before is not None else start
    return head, text[head:end]


def value_ok(value: str, quoted: bool) -> bool:
    """Whether an assigned value looks like a credential rather than a word, name, path or placeholder."""
    if len(value) < (8 if quoted else 10) or is_placeholder(value) or "://" in value:
        return False
    if value.isalpha() and len(value) < 20:
        return False
    uuid = _UUID.fullmatch(value)
    if uuid is not None and uuid["version"] != "4":  # time- or name-based: an identifier, not a random key
        return False
    core = value.strip("_-./")
    classes = char_classes(core.replace("_", "").replace("-", "").replace(".", "").replace("/", ""))
    if classes < 2 or shannon_bits(value) < min(3.0, 0.85 * math.log2(len(value))):
        return False
    return quoted or not (_IDENT.fullmatch(value) and not any(ch.isdigit() for ch in value))


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(text)}


def _unrelated(value: str, name: str) -> bool:
    """Whether `value` is not the name itself (`token = self.token`) nor names a credential (`"password1"`)."""
    lowered = value.lower()
    if any(word in lowered for word in ("password", "passwd", "secret", "token", "apikey", "api_key")):
        return False
    return not {w for w in _words(value) & _words(name) if len(w) >= 4}


def _form_ok(m: re.Match[str], head: int, name: str) -> bool:
    """Whether the operator, quotes and the character after the value fit one of the assignment forms."""
    text, quote, end, value = m.string, m.group("q"), m.end("secret"), m.group("secret")
    groups = m.groupdict()
    following = text[end] if end < len(text) else ""
    closed = text[end:end + 40].lstrip().startswith("<")
    if groups.get("xml") is not None and (text[head - 1:head] != "<" or not closed):
        return False
    if groups.get("pair") is not None and not (quote and any(c.isdigit() for c in value) and not value.isdigit()):
        return False
    return following == quote if quote else following in _DELIMS or not following


def _generic_check(vendor_prefixes: tuple[str, ...]) -> Callable[[re.Match[str]], bool]:
    def check(m: re.Match[str]) -> bool:
        if not _keyword_ok(m.string, m.start("kw"), m.end("kw")):
            return False
        head, name = _identifier(m.string, m.start("kw"), m.end("rest"))
        if _words(name) & IGNORED_WORDS or not _form_ok(m, head, name):
            return False
        value = m.group("secret")
        return (not value.startswith(vendor_prefixes) and value_ok(value, bool(m.group("q")))
                and _unrelated(value, name))

    return check


def generic_detectors(vendor_prefixes: tuple[str, ...]) -> tuple[Detector, ...]:
    """The `name = "value"` and `--name value` detectors; values in a known vendor's format (`vendor_prefixes`)
    are left to that vendor's detector, which knows the exact shape."""
    check = _generic_check(tuple(sorted(p for p in vendor_prefixes if len(p) >= 4)))
    return (Detector("generic_secret", "generic_secret", ANCHORS, _GENERIC_CORE, _GENERIC, caseless=True,
                     edge=False, validate=check),
            Detector("generic_secret_flag", "generic_secret", tuple("--" + a for a in ANCHORS), _FLAG_CORE, _FLAG,
                     caseless=True, validate=check))
