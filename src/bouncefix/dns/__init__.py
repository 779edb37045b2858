"""DNS evidence: MX, SPF, DMARC, DKIM, MTA-STS, TLS-RPT, PTR, FCrDNS and blocklists.

Everything here is bounded (per-query timeout, a total time budget per run), cached
within a run, and careful with its input: names and addresses are validated before any
query is sent, and every string taken from a DNS answer is sanitised before it can be
printed (see :class:`bouncefix.dns.model.Check`).
"""
