"""Bounces that arrive as ESP events rather than emails: one module per provider
(ses.py, sendgrid.py, mailgun.py, postmark.py, sparkpost.py, mandrill.py) and a registry
(registry.py) that recognises the provider from the event's own fields. Each event
becomes a :class:`~bouncefix.model.Reading` whose findings the rule engine judges as it
judges a bounce's."""
