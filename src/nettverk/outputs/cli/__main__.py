"""``python -m nettverk.outputs.cli``."""

from . import main

main()
