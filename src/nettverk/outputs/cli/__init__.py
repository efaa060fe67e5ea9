"""The ``nettverk`` command line: thin subcommands over the library.

``_main`` holds the command group, ``data_cmds``, ``analysis_cmds`` and ``report_cmds`` add the
subcommands to it, ``_common`` what they share.
"""

from . import analysis_cmds, data_cmds, report_cmds  # noqa: F401  (they register the subcommands)
from ._main import main

__all__ = ["main"]
