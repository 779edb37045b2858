"""``dkim``: the public key at ``SELECTOR._domainkey.DOMAIN`` (RFC 6376)."""

from __future__ import annotations

import base64
import binascii

from .common import could_not, excerpt, parse_tags
from .model import Check, Status
from .resolver import Resolver

MIN_BITS = 1024  #: below this receivers ignore the signature
GOOD_BITS = 2048  #: recommended


def key_name(selector: str, domain: str) -> str:
    """Where the key of `selector` lives."""
    return f"{selector}._domainkey.{domain}"


def check_dkim(domain: str, selector: str, resolver: Resolver) -> Check:
    """Check the DKIM key of `selector` for `domain`."""
    name = key_name(selector, domain)
    answer = resolver.query(name, "TXT")
    if answer.failed:
        return could_not("dkim", domain, answer, f"{name} TXT")
    if answer.empty:
        return Check("dkim", "fail", f"{domain} has no DKIM key for selector {selector}",
                     (f"looked up: {name}",), domain)
    keys = [v for v in answer.values if "p=" in v.replace(" ", "").lower()]
    if len(keys) != 1:
        what = "no DKIM key" if not keys else f"{len(keys)} DKIM keys"
        return Check("dkim", "fail", f"{name} holds {what}",
                     tuple(excerpt(v) for v in answer.values[:3]), domain)
    status, summary = _judge(name, keys[0])
    return Check("dkim", status, summary, (f"record: {excerpt(keys[0])}",), domain)


def _judge(name: str, record: str) -> tuple[Status, str]:
    pairs, problems = parse_tags(record)
    tags = dict(pairs)
    if "v" in tags and (pairs[0][0] != "v" or tags["v"] != "DKIM1"):
        problems.append("v=DKIM1 must be the first tag")
    if problems:
        return "fail", f"DKIM key {name} is malformed: {problems[0]}"
    key_type = tags.get("k", "rsa").lower()
    data = "".join(tags.get("p", "").split())
    if not data:
        return "fail", f"DKIM key {name} is revoked (empty p=)"
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return "fail", f"DKIM key {name} is not valid base64"
    status, summary = _strength(name, key_type, raw)
    if status == "pass" and "y" in tags.get("t", "").lower().split(":"):
        return "warn", f"DKIM key {name} is in testing mode (t=y): failures are ignored"
    return status, summary


def _strength(name: str, key_type: str, raw: bytes) -> tuple[Status, str]:
    if key_type == "ed25519":
        if len(raw) != 32:
            return "fail", f"DKIM key {name} is not a valid Ed25519 key"
        return "pass", f"DKIM key {name}: Ed25519"
    if key_type != "rsa":
        return "fail", f"DKIM key {name} has an unknown key type k={excerpt(key_type)}"
    bits = rsa_bits(raw)
    if bits is None:
        return "fail", f"DKIM key {name} is not a valid RSA public key"
    if bits < MIN_BITS:
        return "fail", f"DKIM key {name} is too weak (RSA {bits} bits; receivers ignore it)"
    if bits < GOOD_BITS:
        return "warn", f"DKIM key {name} is RSA {bits} bits; 2048 is recommended"
    return "pass", f"DKIM key {name}: RSA {bits} bits"


def _der(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of contents, end of contents) of the DER item at `pos`."""
    tag, length = data[pos], data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if not 1 <= count <= 4:
            raise ValueError("bad DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("truncated DER")
    return tag, pos, pos + length


def rsa_bits(der: bytes) -> int | None:
    """Modulus size of an RSA key (SubjectPublicKeyInfo or PKCS#1), None if not one."""
    try:
        tag, start, _ = _der(der, 0)
        inner, istart, iend = _der(der, start)
        if tag != 0x30:
            return None
        if inner == 0x30:  # SubjectPublicKeyInfo: algorithm, then BIT STRING
            bits_tag, bstart, _ = _der(der, iend)
            if bits_tag != 0x03:
                return None
            seq_tag, sstart, _ = _der(der, bstart + 1)
            if seq_tag != 0x30:
                return None
            inner, istart, iend = _der(der, sstart)
        if inner != 0x02:
            return None
        return int.from_bytes(der[istart:iend], "big").bit_length()
    except (IndexError, ValueError):
        return None
