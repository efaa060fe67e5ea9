"""The vocabularies of the data schema (forms, areas, statuses) and how input spells them."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

import numpy as np

__all__ = ["parse_number", "normalise_term", "did_you_mean", "FORMS", "AREAS", "STATUSES"]


FORMS = (
    "uformelt",
    "avtale",
    "prosjekt",
    "vertskommune",
    "kommunalt_oppgavefellesskap",
    "iks",
    "as",
    "interkommunalt_politisk_rad",
    "samkommune",
    "digitaliseringsnettverk",
    "ukjent",
)
AREAS = (
    "strategi",
    "drift",
    "nett",
    "bredband",
    "fagsystemer",
    "sak_arkiv",
    "lonn_personal",
    "portal",
    "video",
    "helse_sosial",
    "plan_kart",
    "innkjop",
    "kompetanse",
    "naering",
)
STATUSES = ("aktiv", "historisk", "avviklet", "foreslatt", "ukjent")
ROLES = ("vert", "deltaker")
ROUTE_TYPES = ("fiber", "trekkror", "sjokabel", "radiolink")
ROUTE_STATUSES = ("eksisterende", "planlagt")

ALIASES = {
    "form": {
        "interkommunalt_selskap": "iks",
        "aksjeselskap": "as",
        "27": "kommunalt_oppgavefellesskap",
        "27_samarbeid": "kommunalt_oppgavefellesskap",
        "oppgavefellesskap": "kommunalt_oppgavefellesskap",
        "ko": "kommunalt_oppgavefellesskap",
        "vertskommunesamarbeid": "vertskommune",
        "administrativt_vertskommunesamarbeid": "vertskommune",
        "regionrad": "interkommunalt_politisk_rad",
        "ipr": "interkommunalt_politisk_rad",
        "politisk_rad": "interkommunalt_politisk_rad",
        "samarbeidsavtale": "avtale",
        "nettverk": "digitaliseringsnettverk",
        "uformell": "uformelt",
    },
    "omrade": {
        "bredband": "bredband",
        "bredbaand": "bredband",
        "nettverk": "nett",
        "sak_og_arkiv": "sak_arkiv",
        "sakarkiv": "sak_arkiv",
        "lonn_og_personal": "lonn_personal",
        "lonn": "lonn_personal",
        "helse_og_sosial": "helse_sosial",
        "helse": "helse_sosial",
        "plan_og_kart": "plan_kart",
        "kart": "plan_kart",
        "gis": "plan_kart",
        "innkjop": "innkjop",
        "anskaffelser": "innkjop",
        "naering": "naering",
        "naeringsutvikling": "naering",
        "it_drift": "drift",
        "ikt_drift": "drift",
        "fagsystem": "fagsystemer",
        "web": "portal",
        "nettsider": "portal",
        "videokonferanse": "video",
    },
    "status": {
        "active": "aktiv",
        "foreslaatt": "foreslatt",
        "planlagt": "foreslatt",
        "nedlagt": "avviklet",
        "avslutta": "avviklet",
        "avsluttet": "avviklet",
    },
    "rolle": {
        "vertskommune": "vert",
        "host": "vert",
        "medlem": "deltaker",
        "deltakar": "deltaker",
        "member": "deltaker",
    },
    "type": {"trekkroer": "trekkror", "sjokabel": "sjokabel", "radio": "radiolink"},
    "rute_status": {
        "eksisterande": "eksisterende",
        "existing": "eksisterende",
        "planned": "planlagt",
    },
}


def did_you_mean(value: object, choices: Iterable[str], *, n: int = 3) -> str:
    """``" (did you mean 'Gol'?)"`` for the choices closest to a misspelt value, else ``""``.

    Spelling is compared folded (case, æøå and separators ignored).

    Examples
    --------
    >>> did_you_mean("Gool", ["Gol", "Ål", "Hol"])
    " (did you mean 'Gol'?)"
    >>> did_you_mean("drfit", ["drift", "nett"])
    " (did you mean 'drift'?)"
    >>> did_you_mean("zzz", ["drift"])
    ''
    """
    import difflib

    folded: dict[str, str] = {}
    for c in choices:
        folded.setdefault(normalise_term(c), str(c))
    hits = difflib.get_close_matches(normalise_term(value), list(folded), n=n, cutoff=0.7)
    if not hits:
        return ""
    return " (did you mean " + " or ".join(repr(folded[h]) for h in hits) + "?)"


def normalise_term(value: object) -> str:
    """Fold a vocabulary term: lower case, æøå to ae/o/a, separators to ``_``.

    Examples
    --------
    >>> normalise_term("Sak/arkiv")
    'sak_arkiv'
    >>> normalise_term("Bredbånd")
    'bredband'
    >>> normalise_term("§27")
    '27'
    """
    text = str(value).strip().casefold()
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text


def parse_number(value: object) -> float:
    """Parse a number written the Norwegian or the English way.

    Examples
    --------
    >>> parse_number("1 234,5")
    1234.5
    >>> parse_number("5550203")
    5550203.0
    >>> math.isnan(parse_number(""))
    True
    """
    if value is None:
        return math.nan
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text == "" or text.lower() in ("nan", "na", "null", "none"):
        return math.nan
    if "," in text and "." in text:
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    else:
        text = text.replace(",", ".")
    return float(text)
