"""Exception classes of nettverk.

Every error carries a one-line message that names the file, row or value and says how
to fix it; the CLI prints that line and exits 2.
"""

from __future__ import annotations

__all__ = [
    "NettverkError",
    "DataValidationError",
    "UnknownMunicipalityError",
    "AmbiguousMunicipalityError",
    "InfeasibleError",
    "UnreachableError",
]


class NettverkError(ValueError):
    """Base class for errors caused by the user's input (CLI exit code 2)."""


class DataValidationError(NettverkError):
    """Input data failed validation.

    Parameters
    ----------
    problems : list of str
        Every problem found, one line each.
    """

    def __init__(self, problems: list[str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        if len(self.problems) == 1:
            msg = self.problems[0]
        else:
            msg = f"{len(self.problems)} problems: " + " | ".join(self.problems)
        super().__init__(msg)


class UnknownMunicipalityError(NettverkError, KeyError):
    """A municipality code or name is not known."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class AmbiguousMunicipalityError(NettverkError):
    """A municipality name matches several municipalities; nettverk refuses to guess."""

    def __init__(self, msg: str, candidates: list[str]) -> None:
        self.candidates = candidates
        super().__init__(msg)


class InfeasibleError(NettverkError):
    """A request cannot be met under the given constraints."""


class UnreachableError(NettverkError):
    """Some terminals cannot be reached over the network."""

    def __init__(self, msg: str, unreachable: list) -> None:
        self.unreachable = unreachable
        super().__init__(msg)
