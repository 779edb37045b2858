"""``python -m bouncefix``."""

from bouncefix.cli import main

main()
