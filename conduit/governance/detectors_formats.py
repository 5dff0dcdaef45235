"""Secret detectors for vendor-neutral formats: database URLs with a password, PEM private keys, PKCS#12 blobs,
JWTs (plain and base64-wrapped) and age keys.
Pure: imports only `detector`, `entropy` and the standard library.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from conduit.governance.detector import END_WORD, Detector, token
from conduit.governance.entropy import is_masked, is_template, shannon_bits

_DB_SCHEMES = ("postgres", "mysql", "mariadb", "mongodb", "redis", "amqp", "mssql", "sqlserver", "clickhouse",
               "cockroachdb", "couchdb", "couchbase", "neo4j", "oracle", "cassandra", "nats", "memcached")
_DB_HEAD = "(?:" + "|".join(_DB_SCHEMES) + r")[a-z0-9]*(?:\+[a-z0-9]+)?://"
_DB_PLACEHOLDERS = frozenset("password pass passwd pwd secret changeme user username admin root guest test "
                             "example mypassword yourpassword dbpass db_password pw foo bar".split())


def _db_password_ok(m: re.Match[str]) -> bool:
    password, user = m.group("secret"), m.group("user")
    lowered = password.lower()
    if lowered in _DB_PLACEHOLDERS or password == user or is_template(password) or is_masked(password):
        return False
    return not (password.startswith("$") or (password.startswith("{") and password.endswith("}")))


_PEM_HEAD = r"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----"
_PEM = (_PEM_HEAD + r"(?:\\[rn]|\s)+(?:[A-Za-z-]+: [^\r\n\\]*(?:\\[rn]|\s)+)*[A-Za-z0-9+/=\\\s]{60,}"
        r"(?:-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)?")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=]{40,}")


def _pem_ok(m: re.Match[str]) -> bool:
    runs = _BASE64_RUN.findall(m.group().replace("\\n", "\n").replace("\\r", "\n"))
    body = "".join(runs)
    return bool(runs) and len(body) >= 50 and shannon_bits(body) >= 4.0 and not is_masked(body)


def _b64_json(part: str) -> object:
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    return json.loads(raw.decode("utf-8"))


def jwt_ok(value: str) -> bool:
    """Whether `value` is a JWT: a base64url-encoded JSON object as header, then a payload."""
    parts = value.split(".")
    try:
        header = _b64_json(parts[0].rstrip("="))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and len(parts) > 1 and len(parts[1]) >= 10


def _jwt_b64_ok(m: re.Match[str]) -> bool:
    blob = m.group()
    try:
        inner = base64.b64decode(blob[: len(blob) - len(blob) % 4]).decode("ascii")
        head = inner.split(".", 1)[0]
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    return "." in inner and decoded.startswith('{"')


DETECTORS: tuple[Detector, ...] = (
    Detector("database_url_with_password", "database_url_with_password", ("://",),
             _DB_HEAD,
             _DB_HEAD + r"(?P<user>[^\s:@/\"'`<>]{0,128}):(?P<secret>[^\s@/\"'`<>]{1,256})@[A-Za-z0-9.\[\]_%-]+",
             lead="+", lead_max=24, validate=_db_password_ok),
    Detector("private_key", "private_key", ("-----BEGIN",), _PEM_HEAD, _PEM, edge=False, validate=_pem_ok),
    Detector("pkcs12_base64", "pkcs12_file", ("IBAzCC",), r"MII[A-Za-z0-9+/]{2}[AQgw]IBAzCC[A-Za-z0-9+/]{200,}",
             r"MII[A-Za-z0-9+/]{2}[AQgw]IBAzCC[A-Za-z0-9+/]{200,}={0,2}(?![A-Za-z0-9+/=])",
             lead="+/", lead_max=6, glue="+/"),
    Detector("jwt", "jwt", ("eyJ",), r"eyJ[A-Za-z0-9_-]{10,}={0,2}\.[A-Za-z0-9_-]{10,}",
             r"eyJ[A-Za-z0-9_-]{10,}={0,2}\.[A-Za-z0-9_-]{10,}={0,2}(?:\.[A-Za-z0-9_-]*={0,2})?(?![A-Za-z0-9_=-])",
             glue=".", validate=lambda m: jwt_ok(m.group())),
    Detector("jwt_base64", "jwt", ("ZXlK",), r"ZXlK[A-Za-z0-9+/]{60,}",
             r"ZXlK[A-Za-z0-9+/]{60,}={0,2}(?![A-Za-z0-9+/=])", validate=_jwt_b64_ok),
    token("age_secret_key", "age_secret_key", ("AGE-SECRET-KEY-1",), r"[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
          end=END_WORD),
)
"""The vendor-neutral format detectors."""
