"""The few fields of an X.509 certificate a probe reports, read from its DER bytes.

The standard library gives a certificate's fields only after a handshake that verified
it; a probe also wants them for certificates that fail verification (expired,
self-signed, for another name), so it reads them here: the validity dates, the subject
and issuer (common name and organisation), and the DNS names and IP addresses of the
subjectAltName extension (RFC 5280 section 4.1 and 4.2.1.6). One pass over at most
64 KiB, no recursion beyond the fixed structure: linear time on any input.

::

    Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
    TBSCertificate ::= SEQUENCE { [0] version, serialNumber, signature, issuer Name,
                                  validity SEQUENCE { notBefore, notAfter }, subject Name,
                                  subjectPublicKeyInfo, [1], [2], [3] extensions }
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timezone

MAX_DER = 64 * 1024

_SEQUENCE, _SET, _OID, _OCTETS, _BOOLEAN = 0x30, 0x31, 0x06, 0x04, 0x01
_UTC_TIME, _GENERALIZED_TIME = 0x17, 0x18
_EXTENSIONS = 0xA3  #: [3] EXPLICIT
_DNS_NAME, _IP_ADDRESS = 0x82, 0x87  #: GeneralName [2] and [7], IMPLICIT
_COMMON_NAME = bytes([0x55, 0x04, 0x03])  #: 2.5.4.3
_ORGANISATION = bytes([0x55, 0x04, 0x0A])  #: 2.5.4.10
_SUBJECT_ALT_NAME = bytes([0x55, 0x1D, 0x11])  #: 2.5.29.17
_STRING_CODECS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x14: "latin-1",
                  0x1E: "utf-16-be", 0x1C: "utf-32-be", 0x1A: "ascii"}


class CertificateError(ValueError):
    """The bytes are not a certificate this reader understands."""


@dataclass(frozen=True)
class Certificate:
    """What a probe reports of a certificate. Text is raw: sanitise before printing."""

    subject_cn: tuple[str, ...]
    subject_org: str
    issuer_cn: str
    issuer_org: str
    not_before: datetime
    not_after: datetime
    dns_names: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    self_issued: bool

    @property
    def issuer(self) -> str:
        """``R11 (Let's Encrypt)``, or whichever part is known."""
        if self.issuer_cn and self.issuer_org and self.issuer_org != self.issuer_cn:
            return f"{self.issuer_cn} ({self.issuer_org})"
        return self.issuer_cn or self.issuer_org or "(unnamed issuer)"


def parse_certificate(der: bytes) -> Certificate:
    """Read `der`; CertificateError if it is not a well-formed certificate."""
    if not der or len(der) > MAX_DER:
        raise CertificateError("no certificate, or one larger than 64 KiB")
    certificate = _Reader(der).expect(_SEQUENCE)
    tbs = _Reader(certificate).expect(_SEQUENCE)
    fields = _Reader(tbs)
    if fields.peek() == 0xA0:
        fields.skip()  # version
    fields.skip()  # serial number
    fields.skip()  # signature algorithm
    issuer_raw = fields.expect(_SEQUENCE)
    validity = _Reader(fields.expect(_SEQUENCE))
    not_before, not_after = _time(validity), _time(validity)
    subject_raw = fields.expect(_SEQUENCE)
    fields.skip()  # subjectPublicKeyInfo
    dns_names: tuple[str, ...] = ()
    ip_addresses: tuple[str, ...] = ()
    while not fields.done():
        tag, value = fields.next()
        if tag == _EXTENSIONS:
            dns_names, ip_addresses = _alt_names(_Reader(value).expect(_SEQUENCE))
    issuer, subject = _name(issuer_raw), _name(subject_raw)
    return Certificate(
        subject_cn=tuple(subject.get(_COMMON_NAME, ())),
        subject_org=next(iter(subject.get(_ORGANISATION, ())), ""),
        issuer_cn=next(iter(issuer.get(_COMMON_NAME, ())), ""),
        issuer_org=next(iter(issuer.get(_ORGANISATION, ())), ""),
        not_before=not_before, not_after=not_after,
        dns_names=dns_names, ip_addresses=ip_addresses,
        self_issued=issuer_raw == subject_raw,
    )


class _Reader:
    """Consecutive DER elements (tag, length, value) of one byte string."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def done(self) -> bool:
        return self.at >= len(self.data)

    def peek(self) -> int:
        if self.done():
            raise CertificateError("truncated certificate")
        return self.data[self.at]

    def next(self) -> tuple[int, bytes]:
        data, at = self.data, self.at
        if at + 2 > len(data):
            raise CertificateError("truncated certificate")
        tag, first = data[at], data[at + 1]
        if tag & 0x1F == 0x1F:
            raise CertificateError("unsupported tag")
        at += 2
        if first < 0x80:
            length = first
        else:
            count = first & 0x7F
            if not 1 <= count <= 3 or at + count > len(data):
                raise CertificateError("bad length")
            length = int.from_bytes(data[at : at + count], "big")
            at += count
        if at + length > len(data):
            raise CertificateError("truncated certificate")
        self.at = at + length
        return tag, data[at : at + length]

    def expect(self, wanted: int) -> bytes:
        tag, value = self.next()
        if tag != wanted:
            raise CertificateError(f"unexpected element 0x{tag:02x}")
        return value

    def skip(self) -> None:
        self.next()


def _time(reader: _Reader) -> datetime:
    tag, value = reader.next()
    text = value.decode("ascii", "replace")
    try:
        if tag == _UTC_TIME and len(text) == 13 and text.endswith("Z"):
            year = int(text[:2])
            stamp = datetime.strptime(f"{1900 + year if year >= 50 else 2000 + year}"
                                      f"{text[2:12]}", "%Y%m%d%H%M%S")
        elif tag == _GENERALIZED_TIME and len(text) == 15 and text.endswith("Z"):
            stamp = datetime.strptime(text[:14], "%Y%m%d%H%M%S")
        else:
            raise CertificateError("bad validity time")
    except ValueError:
        raise CertificateError("bad validity time") from None
    return stamp.replace(tzinfo=timezone.utc)


def _name(raw: bytes) -> dict[bytes, list[str]]:
    """A Name's attribute values by OID (only string values)."""
    found: dict[bytes, list[str]] = {}
    names = _Reader(raw)
    while not names.done():
        relative = _Reader(names.expect(_SET))
        while not relative.done():
            pair = _Reader(relative.expect(_SEQUENCE))
            oid = pair.expect(_OID)
            tag, value = pair.next()
            codec = _STRING_CODECS.get(tag)
            if codec:
                found.setdefault(oid, []).append(value.decode(codec, "replace"))
    return found


def _alt_names(raw: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The DNS names and IP addresses of the subjectAltName extension, if any."""
    extensions = _Reader(raw)
    while not extensions.done():
        extension = _Reader(extensions.expect(_SEQUENCE))
        oid = extension.expect(_OID)
        if oid != _SUBJECT_ALT_NAME:
            continue
        tag, value = extension.next()
        if tag == _BOOLEAN:
            tag, value = extension.next()
        if tag != _OCTETS:
            raise CertificateError("bad extension")
        general = _Reader(_Reader(value).expect(_SEQUENCE))
        dns: list[str] = []
        ips: list[str] = []
        while not general.done():
            tag, value = general.next()
            if tag == _DNS_NAME:
                dns.append(value.decode("ascii", "replace"))
            elif tag == _IP_ADDRESS and len(value) in (4, 16):
                ips.append(str(ipaddress.ip_address(value)))
        return tuple(dns), tuple(ips)
    return (), ()
