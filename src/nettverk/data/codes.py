"""Municipality codes and names: normalisation, history and resolution to the 2024 scheme."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from nettverk.data.vocab import did_you_mean
from nettverk._errors import (
    AmbiguousMunicipalityError,
    DataValidationError,
    UnknownMunicipalityError,
)

__all__ = ["normalise_code", "normalise_name", "CodeBook", "Resolution", "AREA_SHARE_MIN"]


#: An old municipality whose history splits over several 2024 municipalities is mapped to
#: one of them only when at least this share of its area lies there.
AREA_SHARE_MIN = 0.9

_CODE_RE = re.compile(r"^\d{1,4}$")


def normalise_code(value: object) -> str:
    """Return a municipality code as a 4-character string.

    Codes are often stored as integers, which loses the leading zero (Oslo ``301``).

    Parameters
    ----------
    value : int, float or str
        A code such as ``301``, ``301.0``, ``"301"`` or ``" 0301 "``.

    Returns
    -------
    str
        The zero-padded code.

    Raises
    ------
    DataValidationError
        If the value is not a code of one to four digits (a ``ValueError``).

    Examples
    --------
    >>> normalise_code(301)
    '0301'
    >>> normalise_code("4601")
    '4601'
    >>> normalise_code(1101.0)
    '1101'
    """
    if isinstance(value, bool) or value is None:
        raise DataValidationError(
            f"{value!r} is not a municipality code; expected four digits like '0301'"
        )
    if isinstance(value, float):
        if math.isnan(value) or not value.is_integer():
            raise DataValidationError(
                f"{value!r} is not a municipality code; expected four digits like '0301'"
            )
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not _CODE_RE.match(text):
        raise DataValidationError(
            f"{value!r} is not a municipality code; expected four digits like '0301'"
        )
    return text.zfill(4)


def normalise_name(name: str) -> str:
    """Return a name folded for matching: case, spaces, dashes and Unicode form.

    Examples
    --------
    >>> normalise_name("  Evje  og Hornnes ")
    'evje og hornnes'
    >>> normalise_name("Nord-Odal") == normalise_name("nord odal")
    True
    """
    text = unicodedata.normalize("NFC", str(name)).casefold().strip()
    text = re.sub(r"[\s\-–]+", " ", text)
    return text


_QUALIFIED = re.compile(r"^(?P<name>.+?)\s*\((?P<county>[^)]+)\)\s*$")


@dataclass(frozen=True)
class Resolution:
    """The result of resolving one code or name.

    Attributes
    ----------
    kommunenummer : str
        The 2024 code.
    given : str
        What the user wrote.
    note : str or None
        How an old code or name was mapped (None when it was already a 2024 code or name).
    """

    kommunenummer: str
    given: str
    note: str | None = None


@dataclass(frozen=True)
class CodeBook:
    """Lookup tables for codes and names of the 2024 scheme and their history.

    Parameters
    ----------
    current : pandas.DataFrame
        Index kommunenummer; columns ``kommunenavn`` and ``fylkesnavn``; further columns
        starting with ``kommunenavn`` (such as ``kommunenavn_offisielt``) are matched too.
    history : pandas.DataFrame
        Columns ``aar``, ``kommunenummer``, ``kommunenavn``, ``kommunenummer_2024``,
        ``vekt`` and ``arealandel`` (see geodata/README.md).

    Examples
    --------
    >>> cur = pd.DataFrame({"kommunenavn": ["Lillestrøm", "Nes"], "fylkesnavn": ["Akershus"] * 2},
    ...                    index=pd.Index(["3205", "3228"], name="kommunenummer"))
    >>> hist = pd.DataFrame({"aar": [2019], "kommunenummer": ["0227"], "kommunenavn": ["Fet"],
    ...                      "kommunenummer_2024": ["3205"], "vekt": [1.0], "arealandel": [1.0]})
    >>> book = CodeBook(cur, hist)
    >>> book.resolve("Fet").kommunenummer
    '3205'
    >>> book.resolve(227).note
    'code 0227 (Fet) is 3205 Lillestrøm in 2024'
    """

    current: pd.DataFrame
    history: pd.DataFrame
    _names: dict = field(init=False, repr=False, compare=False)
    _old: dict = field(init=False, repr=False, compare=False)
    _old_names: dict = field(init=False, repr=False, compare=False)
    _years: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names: dict[str, set[tuple[str, str | None]]] = {}
        name_cols = [c for c in self.current.columns if str(c).startswith("kommunenavn")]
        for col in name_cols:
            for code, name in self.current[col].items():
                if isinstance(name, str):
                    for variant in _name_variants(name):
                        names.setdefault(variant, set()).add((str(code), None))
        old: dict[str, dict[str, tuple[float, float]]] = {}
        old_names: dict[str, str] = {}
        years: dict[str, set[int]] = {}
        hist = self.history
        if len(hist):
            for row in hist.itertuples(index=False):
                code = str(row.kommunenummer)
                target = str(row.kommunenummer_2024)
                share = float(row.arealandel) if pd.notna(row.arealandel) else float("nan")
                old.setdefault(code, {})[target] = (float(row.vekt), share)
                years.setdefault(code, set()).add(int(row.aar))
                if isinstance(row.kommunenavn, str) and row.kommunenavn:
                    old_names[code] = row.kommunenavn
                    for variant in _name_variants(row.kommunenavn):
                        names.setdefault(variant, set()).add((code, row.kommunenavn))
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_old", old)
        object.__setattr__(self, "_old_names", old_names)
        object.__setattr__(self, "_years", years)

    # -- codes ---------------------------------------------------------------------------
    def _targets(self, old_code: str) -> list[str]:
        """Return the 2024 codes an old code maps to, using area shares to settle splits."""
        targets = self._old.get(old_code, {})
        if len(targets) <= 1:
            return list(targets)
        best = [t for t, (_, share) in targets.items() if share >= AREA_SHARE_MIN]
        if len(best) == 1:
            return best
        return sorted(targets)

    def _describe(self, code: str) -> str:
        return f"{code} {self.current['kommunenavn'].get(code, '?')}"

    def resolve_code(self, value: object) -> Resolution:
        """Resolve a code, current or historical, to a 2024 code."""
        code = normalise_code(value)
        if code in self.current.index:
            return Resolution(code, str(value))
        if code not in self._old:
            msg = (
                f"unknown kommunenummer {code!r}: not a 2024 code and not in the code history "
                "2000-2024; check the code or give the municipality's name"
            )
            raise UnknownMunicipalityError(msg)
        targets = self._targets(code)
        old_name = self._old_names.get(code)
        label = f"{code} ({old_name})" if old_name else code
        if len(targets) > 1:
            cands = ", ".join(self._describe(t) for t in targets)
            msg = (
                f"kommunenummer {label} was split between several 2024 municipalities "
                f"({cands}); give the 2024 code instead"
            )
            raise AmbiguousMunicipalityError(msg, targets)
        note = f"code {label} is {self._describe(targets[0])} in 2024"
        return Resolution(targets[0], str(value), note)

    # -- names ---------------------------------------------------------------------------
    def resolve_name(self, name: str, *, year: int | None = None) -> Resolution:
        """Resolve a municipality name, current or historical, to a 2024 code.

        Parameters
        ----------
        name : str
            A 2024 name or a former name; a county in parentheses narrows the match:
            ``"Nes (Buskerud)"``.
        year : int, optional
            The year the name was written in. From 2024 on, today's name wins (``"Nes"`` is
            Nes in Akershus); before 2024 the municipalities of that year count too. Without a
            year every municipality that ever had the name counts, so ``"Nes"`` (Akershus
            today, Buskerud before 2020) is ambiguous and needs a county: ``"Nes (Akershus)"``.

        Raises
        ------
        UnknownMunicipalityError, AmbiguousMunicipalityError
            Names that match several municipalities list them: nettverk refuses to guess.
        """
        text = str(name).strip()
        county = None
        m = _QUALIFIED.match(text)
        if m:
            text, county = m.group("name"), m.group("county")
        key = normalise_name(text)
        entries = self._names.get(key)
        if not entries:
            known = sorted(
                {str(n) for n in self.current["kommunenavn"].dropna()}
                | set(self._old_names.values())
            )
            msg = (
                f"unknown municipality name {name!r}{did_you_mean(text, known)}: not a 2024 name "
                "nor a former name; check the spelling or give the kommunenummer"
            )
            raise UnknownMunicipalityError(msg)
        current = {c for c, old in entries if old is None}
        if year is not None and year >= 2024 and current and county is None and len(current) == 1:
            return Resolution(next(iter(current)), str(name))
        old_entries = [(c, n) for c, n in entries if n is not None]
        if year is None and current:
            # earlier incarnations of today's namesake (old Ålesund codes) are the same place;
            # a former municipality elsewhere with the name (Nes in Buskerud) makes it ambiguous
            old_entries = [
                (c, n)
                for c, n in old_entries
                if not set(self._targets(c)) & current and not set(self._old.get(c, {})) & current
            ]
        if year is not None and year < 2024:
            in_year = [(c, n) for c, n in old_entries if year in self._years.get(c, ())]
            if in_year:
                old_entries = in_year
                if not any(c in self.current.index for c, _ in in_year):
                    current = set()  # the name belonged to another municipality then
        targets: dict[str, str | None] = {}
        for code, old_name in sorted(old_entries):
            if old_name is not None:
                for t in self._targets(code):
                    targets.setdefault(t, f"{old_name}, {code}")
        targets.update({code: None for code in current})
        if county is not None:
            ck = normalise_name(county)
            targets = {
                t: v
                for t, v in targets.items()
                if normalise_name(str(self.current["fylkesnavn"].get(t, ""))).startswith(ck)
            }
            if not targets:
                msg = f"no municipality named {text!r} in county {county!r}; check the county name"
                raise UnknownMunicipalityError(msg)
        if len(targets) > 1:
            cands = sorted(targets)
            listing = ", ".join(
                f"{self._describe(t)} ({self.current['fylkesnavn'].get(t, '?')})" for t in cands
            )
            msg = (
                f"municipality name {name!r} is ambiguous: it matches {listing}; "
                f"write it with the county, e.g. '{text} "
                f"({self.current['fylkesnavn'].get(cands[0], '')})', "
                "or give the kommunenummer"
            )
            raise AmbiguousMunicipalityError(msg, cands)
        ((target, via),) = targets.items()
        note = None
        if via is not None and key not in _name_variants(
            self.current["kommunenavn"].get(target, "")
        ):
            note = f"name {text!r} ({via}) is {self._describe(target)} in 2024"
        return Resolution(target, str(name), note)

    def resolve(self, value: object, *, year: int | None = None) -> Resolution:
        """Resolve a code or a name (current or historical) to a 2024 code.

        Raises
        ------
        UnknownMunicipalityError, AmbiguousMunicipalityError
        """
        if isinstance(value, (int, float)) or (
            isinstance(value, str) and _CODE_RE.match(value.strip())
        ):
            return self.resolve_code(value)
        return self.resolve_name(str(value), year=year)

    def resolve_many(
        self, values: Iterable[object], *, year: int | None = None
    ) -> list[Resolution]:
        """Resolve several values, collecting every problem into one error."""
        out, problems = [], []
        for v in values:
            try:
                out.append(self.resolve(v, year=year))
            except (UnknownMunicipalityError, AmbiguousMunicipalityError, ValueError) as exc:
                problems.append(str(exc))
        if problems:
            from nettverk._errors import DataValidationError

            raise DataValidationError(problems)
        return out


def _name_variants(name: str) -> set[str]:
    """Return the folded name and each part of a multilingual name ("Kautokeino -
    Guovdageaidnu")."""
    out = {normalise_name(name)}
    for part in re.split(r"\s+-\s+|/", str(name)):
        if part.strip():
            out.add(normalise_name(part))
    return out
