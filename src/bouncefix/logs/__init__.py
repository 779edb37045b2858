"""Bounces read from MTA logs rather than emails: one module per format (postfix.py,
exim.py, sendmail.py, opensmtpd.py, exchange.py), shared line handling (base.py) and a
registry (registry.py). Each failed or deferred delivery line becomes a record, joined
with what earlier lines of the same queue id said (the sender, the Message-ID)."""
