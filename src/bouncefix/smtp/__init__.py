"""Talking to mail servers: the SMTP and submission probes of ``bouncefix check``.

A probe connects to a server, reads its greeting, says EHLO, lists what it offers,
starts TLS where offered and judges the certificate, then says QUIT. It never sends
a message: only with an explicit recipient does it ask ``MAIL FROM:<>`` and ``RCPT``
(then ``RSET``), and only with an explicit user does it try to log in.

Modules, each small: ``deadline`` (the run's time budget and per-step limits),
``session`` (a bounded SMTP client: replies read with caps on bytes and lines),
``targets`` (what the command line names, MX hosts, addresses validated), ``connect``
(the TCP connection), ``extensions`` (what EHLO offers), ``x509`` (the fields of a
certificate read from DER), ``tls`` (TLS contexts and the certificate verdict),
``replies`` (a server's reply explained by the bounce rules), ``options`` (what a probe
is asked to do), ``steps`` and ``tls_steps`` (one check per protocol step), ``probes``
(the SMTP and submission sequences), ``runner`` (probes and DNS checks side by side
within the budget) and ``suggest`` (the probe command worth running for a diagnosis).
"""
