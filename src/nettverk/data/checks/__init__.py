"""Validation where data enters: collect every problem, raise once.

Each ``check_*`` function takes a raw table as read from a file, returns the cleaned table
and appends one-line problems (file, row, value and the fix) and warnings to a
:class:`Report`."""

from ._common import Report
from ._common import _numbers as check_numbers
from .register import check_collaborations, check_medlemskap, check_samarbeid
from .tables import check_kommuner, check_lines, check_pendling, check_steder

__all__ = [
    "Report",
    "check_numbers",
    "check_kommuner",
    "check_steder",
    "check_samarbeid",
    "check_medlemskap",
    "check_pendling",
    "check_lines",
    "check_collaborations",
]
