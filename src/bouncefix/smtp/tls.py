"""TLS for the probes: the two handshakes a probe may make, and the certificate verdict.

A probe first shakes hands as a careful sender does: the certificate chain verified
against the system's trusted certificates (``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` choose
others, as for every OpenSSL program), TLS 1.2 or later. When that fails, it connects
again and shakes hands as a lenient sender does (no verification, old versions
allowed), to tell what the server offers and which certificate it shows: most mail
between servers is sent that way, so a certificate problem there is a warning, while
for submission, where mail clients verify, it is a failure.

Host names are matched as RFC 6125 says: the subjectAltName DNS names (the common name
only when there are none), a wildcard only as the whole left-most label.
"""

from __future__ import annotations

import ipaddress
import ssl
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone

from ..dns.model import Check, Status
from .x509 import Certificate, CertificateError, parse_certificate

EXPIRY_WARNING_DAYS = 14
OLD_VERSIONS = ("SSLv2", "SSLv3", "TLSv1", "TLSv1.1")


@dataclass(frozen=True)
class TlsInfo:
    """What one handshake gave: version, cipher, the server's certificate (DER), and
    why the chain could not be verified ("" when it was)."""

    version: str
    cipher: str
    bits: int
    der: bytes
    verify_error: str = ""

    @property
    def old(self) -> bool:
        """TLS 1.1 or older: refused by current senders and mail clients."""
        return self.version in OLD_VERSIONS

    def describe(self) -> str:
        """``TLS 1.3, TLS_AES_256_GCM_SHA384 (256 bits)``."""
        version = self.version.replace("TLSv", "TLS ")
        return f"{version}, {self.cipher} ({self.bits} bits)"


def verifying_context(cafile: str | None = None) -> ssl.SSLContext:
    """A sender's careful context: chain verified, TLS 1.2 or later; names are
    checked by :func:`names_host` so that a wrong name does not hide the rest."""
    context = ssl.create_default_context()
    if cafile:
        context.load_verify_locations(cafile)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def lenient_context() -> ssl.SSLContext:
    """A lenient sender's context: no verification, old versions and ciphers allowed
    where this OpenSSL still has them (to report them, never to send anything)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():  # TLSv1 is deprecated: that is what we look for
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.set_ciphers("ALL:@SECLEVEL=0")
        except (ValueError, ssl.SSLError):
            pass
    return context


def session_info(sock: ssl.SSLSocket, verify_error: str = "") -> TlsInfo:
    """The TlsInfo of an established TLS connection."""
    cipher = sock.cipher() or ("unknown cipher", "", 0)
    return TlsInfo(
        version=sock.version() or "unknown version", cipher=cipher[0], bits=int(cipher[2] or 0),
        der=sock.getpeercert(binary_form=True) or b"", verify_error=verify_error,
    )


def names_host(certificate: Certificate, host: str) -> bool:
    """True when the certificate is valid for `host` (a name or an IP address)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        return any(_same_address(value, address) for value in certificate.ip_addresses)
    patterns = certificate.dns_names or certificate.subject_cn
    wanted = host.lower().rstrip(".")
    return any(_matches(pattern.lower().rstrip("."), wanted) for pattern in patterns)


def _same_address(value: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    try:
        return ipaddress.ip_address(value) == address
    except ValueError:
        return False


def _matches(pattern: str, host: str) -> bool:
    if pattern == host:
        return True
    if not pattern.startswith("*.") or "*" in pattern[1:]:
        return False
    first, _, rest = host.partition(".")
    return bool(first) and rest == pattern[2:] and rest.count(".") >= 1


def certificate_check(info: TlsInfo, host: str, strict: bool,
                      now: datetime | None = None) -> Check:
    """The ``cert`` check: chain, validity dates and host name of the certificate.

    `strict` (submission) makes an untrusted chain or a wrong name a failure; for
    server-to-server SMTP they are warnings (most senders do not verify; those that
    enforce MTA-STS or DANE do). An expired certificate fails either way.
    """
    now = now or datetime.now(timezone.utc)
    try:
        cert = parse_certificate(info.der)
    except CertificateError as error:
        return Check("cert", "error", f"could not read the certificate of {host} ({error})",
                     subject=host)
    problems: list[tuple[Status, str]] = []
    details = [f"subject: {', '.join(cert.subject_cn) or '(no common name)'}"
               + (f" ({cert.subject_org})" if cert.subject_org else ""),
               f"issuer: {cert.issuer}" + (" (self-signed)" if cert.self_issued else "")]
    details.append(_names_line(cert))
    details.append(f"valid: {cert.not_before:%Y-%m-%d} to {cert.not_after:%Y-%m-%d}")
    soft: Status = "fail" if strict else "warn"
    dates = _date_problems(cert, now)
    problems += dates
    if not names_host(cert, host):
        problems.append((soft, f"does not name {host}"))
        details.append(f"name: {host} is not among the names above")
    dated = any(word in info.verify_error.lower() for word in ("expired", "not yet valid"))
    if info.verify_error and dated and dates:
        details.append(f"chain: verification failed on the dates: {info.verify_error}")
        details.append(_chain_advice(info.verify_error, cert))
    elif info.verify_error:
        problems.append((soft, f"is not trusted ({info.verify_error})"))
        details.append(f"chain: not trusted: {info.verify_error}")
        details.append(_chain_advice(info.verify_error, cert))
    else:
        details.append("chain: trusted (verified against the system's certificates)")
    if not problems:
        days = (cert.not_after - now).days
        return Check("cert", "pass", f"certificate of {host} is valid until "
                     f"{cert.not_after:%Y-%m-%d} ({days} days), issued by {cert.issuer}",
                     tuple(details), host)
    status: Status = "fail" if any(s == "fail" for s, _ in problems) else "warn"
    summary = f"certificate of {host} " + "; ".join(text for _, text in problems)
    if not strict and status == "warn":
        details.append("senders that verify certificates (MTA-STS in enforce mode, DANE, "
                       "some providers) will not deliver; others still do")
    return Check("cert", status, summary, tuple(details), host)


def _names_line(cert: Certificate) -> str:
    names = list(cert.dns_names) + list(cert.ip_addresses)
    if names:
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        return f"names: {shown}"
    return "names: none in subjectAltName (only the common name, which clients ignore)"


def _date_problems(cert: Certificate, now: datetime) -> list[tuple[Status, str]]:
    if cert.not_after < now:
        days = (now - cert.not_after).days
        return [("fail", f"expired on {cert.not_after:%Y-%m-%d} ({days} days ago)")]
    if cert.not_before > now:
        return [("fail", f"is not valid before {cert.not_before:%Y-%m-%d}")]
    days = (cert.not_after - now).days
    if days < EXPIRY_WARNING_DAYS:
        return [("warn", f"expires in {days} days ({cert.not_after:%Y-%m-%d})")]
    return []


def _chain_advice(verify_error: str, cert: Certificate) -> str:
    text = verify_error.lower()
    if ("self" in text and "signed" in text) or cert.self_issued:
        return "fix: use a certificate from a public CA (e.g. Let's Encrypt) for this name"
    if "local issuer" in text or "issuer certificate" in text:
        return ("fix: configure the server to send the intermediate certificate(s) with its "
                "own (the full chain file)")
    if "expired" in text:
        return "fix: renew the certificate and reload the mail server"
    return "fix: install a certificate from a public CA that names this host"
