"""Atomic file writes: a failed write never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import DataValidationError

if TYPE_CHECKING:
    pass

__all__ = ["atomic_path"]


class atomic_path:
    """Context manager giving a temporary path next to ``path``, renamed onto it on success.

    A failed write never leaves half a file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("hei")
    >>> target.read_text()
    'hei'
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def __enter__(self) -> Path:
        try:
            if not self.path.parent.exists():
                import warnings

                warnings.warn(
                    f"{self.path.parent}: the folder did not exist; created it for "
                    f"{self.path.name}",
                    UserWarning,
                    stacklevel=2,
                )
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(
                prefix=f".{self.path.stem}.", suffix=self.path.suffix, dir=self.path.parent
            )
        except OSError as exc:
            raise self._error(exc) from exc
        os.close(fd)
        os.unlink(name)  # GDAL refuses to overwrite an empty non-gpkg file
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                os.replace(self.tmp, self.path)
            except OSError as err:
                self.tmp.unlink(missing_ok=True)
                raise self._error(err) from err
            return
        self.tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # name the user's file, never the hidden temporary one
            raise self._error(exc) from exc

    def _error(self, exc: OSError) -> DataValidationError:
        why = exc.strerror or type(exc).__name__
        return DataValidationError(
            f"{self.path}: cannot write ({why}); choose a folder you can write to"
        )
