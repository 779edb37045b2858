"""One module per MTA or provider family. Each exposes ``NAME``, ``matches(mail)`` and
``parse(mail)``; the order in which they are tried lives in ``bouncefix.parse.registry``."""
