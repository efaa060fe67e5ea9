"""Type aliases for the public functions' parameters.

A municipality is given by its kommunenummer or its name (``"3324"``, ``3324``, ``"Gol"``);
lists of them may also be one comma-separated string (``"Gol,Ål,Hol"``), as on the command line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

#: One municipality: a kommunenummer (str or int) or a name, current or former.
Municipality = str | int
#: Several municipalities: an iterable of codes or names, or one comma-separated string.
Municipalities = str | Iterable[str | int]
#: Counties by number (``"34"``) or name (``"Innlandet"``), one or several.
Counties = str | Iterable[str]
#: Service areas or needs: an iterable of terms, or one comma-separated string.
Terms = str | Iterable[str]
#: A file path.
PathLike = str | os.PathLike[str]


def split_list(values: str | Iterable | None) -> list:
    """One comma- or semicolon-separated string as a list of its stripped items; a list as is.

    Examples
    --------
    >>> split_list("Gol, Ål;Hol,,"), split_list(["3324", 3328]), split_list(None)
    (['Gol', 'Ål', 'Hol'], ['3324', 3328], [])
    """
    if values is None:
        return []
    if isinstance(values, str):
        return [v.strip() for v in values.replace(";", ",").split(",") if v.strip()]
    return list(values)
