"""Legal forms for inter-municipal collaboration, as data, and advice for given areas and needs.

The criteria follow the KS/FAD guide on inter-municipal ICT collaboration (2007), updated
to the Local Government Act 2018 (kommuneloven, LOV-2018-06-22-83): chapter 17 (general
rules on inter-municipal collaboration), 18 (interkommunalt politisk råd), 19 (kommunalt
oppgavefellesskap, replacing the old § 27 collaborations, which had to be converted within
four years of the act taking effect in 2019) and 20 (vertskommune). The samkommune model was
abolished from 2020. Entries marked ``guide 2007`` are the guide's view and may have changed:
the VAT points in particular matter less since the VAT compensation scheme
(merverdiavgiftskompensasjonsloven, 2004) refunds municipalities most VAT on services bought.
This is orientation, not legal advice.
"""

from __future__ import annotations

import pandas as pd

from nettverk._errors import NettverkError
from nettverk._types import Terms, split_list
from nettverk.data.vocab import AREAS, did_you_mean, normalise_term

__all__ = ["legal_forms", "advise_legal_form", "NEEDS", "FORMS_ADVISED", "RULES"]


FORMS_ADVISED = ("vertskommune", "kommunalt_oppgavefellesskap", "iks", "as", "utkontraktering")

#: Needs a collaboration can state, with their meaning.
NEEDS = {
    "sterk_eierstyring": "the owners want strong, direct control",
    "raske_beslutninger": "decisions must be fast",
    "myndighetsutovelse": "the collaboration exercises public authority (enkeltvedtak, e.g. in "
    "health and social services)",
    "salg_til_andre": "it will sell services to others than the owners",
    "laneopptak": "it must borrow, e.g. for broadband or infrastructure investments",
    "eget_arbeidsgiveransvar": "the collaboration should employ its own staff",
    "begrenset_ansvar": "the owners want limited liability",
}
_NEED_ALIASES = {
    "eierstyring": "sterk_eierstyring",
    "kontroll": "sterk_eierstyring",
    "styring": "sterk_eierstyring",
    "raske": "raske_beslutninger",
    "fart": "raske_beslutninger",
    "myndighet": "myndighetsutovelse",
    "myndighetsutoving": "myndighetsutovelse",
    "salg": "salg_til_andre",
    "lan": "laneopptak",
    "laan": "laneopptak",
    "arbeidsgiver": "eget_arbeidsgiveransvar",
    "ansvar": "begrenset_ansvar",
}

INFRASTRUCTURE = {"drift", "nett", "bredband"}
SECTOR = {
    "fagsystemer",
    "sak_arkiv",
    "lonn_personal",
    "helse_sosial",
    "plan_kart",
    "portal",
    "video",
    "innkjop",
}
STRATEGY = {"strategi", "kompetanse", "naering"}

_FORMS = [
    {
        "form": "vertskommune",
        "navn": "Vertskommune (administrativt eller med felles folkevalgt nemnd)",
        "lov": "kommuneloven kap. 20 (§§ 20-1 til 20-9)",
        "egen_juridisk_person": False,
        "eierstyring": "høy: deltakerne instruerer vertskommunen gjennom avtalen; nemnd ved § 20-3",
        "beslutningstempo": "raskt: vertskommunens administrasjon beslutter innen delegeringen",
        "mva": "kjøp fra vertskommunen kan utløse mva (veilederen 2007); i praksis kompensert "
        "etter momskompensasjonsloven",
        "mva_merknad": "veilederen 2007; betydningen er mindre med momskompensasjonsordningen",
        "arbeidsgiver": "vertskommunen er arbeidsgiver; overførte ansatte har rettigheter etter "
        "arbeidsmiljøloven kap. 16",
        "anskaffelser": "samarbeid mellom oppdragsgivere (anskaffelsesforskriften § 3-3) uten "
        "konkurranse når vilkårene er oppfylt",
        "ansvar_og_lan": "hver kommune bærer sitt ansvar; vertskommunen tar opp eventuelle lån",
        "myndighetsutovelse": "ja: eneste samarbeidsform der myndighet kan delegeres til en annen "
        "kommune (§ 20-1)",
        "egnet_for": "fagsystemer og tjenester med myndighetsutøvelse, bygget på felles "
        "infrastruktur",
        "kilde": "kommuneloven 2018 kap. 20; veilederen om interkommunalt IKT-samarbeid (KS/FAD "
        "2007)",
    },
    {
        "form": "kommunalt_oppgavefellesskap",
        "navn": "Kommunalt oppgavefellesskap (tidligere § 27-samarbeid)",
        "lov": "kommuneloven kap. 19 (§§ 19-1 til 19-8)",
        "egen_juridisk_person": True,
        "eierstyring": "høy: representantskapet er øverste organ, deltakerne oppnevner "
        "representantene (§ 19-3)",
        "beslutningstempo": "middels: representantskapet beslutter",
        "mva": "tjenester til deltakerne uten mva (veilederen 2007, om § 27); "
        "kompensasjonsordningen gjelder",
        "mva_merknad": "veilederen 2007 om § 27; avklar med Skatteetaten",
        "arbeidsgiver": "kan være arbeidsgiver selv",
        "anskaffelser": "tildeling i utvidet egenregi når deltakerne kontrollerer det og over 80 % "
        "av aktiviteten er for dem (anskaffelsesforskriften § 3-1)",
        "ansvar_og_lan": "deltakerne hefter ubegrenset for sin andel (§ 19-4); kan ikke ta opp lån "
        "(Prop. 46 L (2017–2018))",
        "myndighetsutovelse": "nei: kan ikke få delegert myndighet til å fatte enkeltvedtak",
        "egnet_for": "avgrensede fellesoppgaver og drift uten store investeringer; erstatter § 27",
        "kilde": "kommuneloven 2018 kap. 19; § 27-samarbeid måtte omdannes innen fire år (§ 31-2)",
    },
    {
        "form": "iks",
        "navn": "Interkommunalt selskap (IKS)",
        "lov": "lov om interkommunale selskaper (IKS-loven)",
        "egen_juridisk_person": True,
        "eierstyring": "middels: representantskapet og selskapsavtalen; styret leder",
        "beslutningstempo": "middels til raskt: styre og daglig leder innenfor selskapsavtalen",
        "mva": "tjenester til eierne uten mva (veilederen 2007); kompensasjonsordningen gjelder",
        "mva_merknad": "veilederen 2007; avklar med Skatteetaten",
        "arbeidsgiver": "selskapet er arbeidsgiver; virksomhetsoverdragelse etter "
        "arbeidsmiljøloven kap. 16",
        "anskaffelser": "utvidet egenregi når eierne kontrollerer selskapet og over 80 % av "
        "aktiviteten er for dem (anskaffelsesforskriften § 3-1)",
        "ansvar_og_lan": "eierne hefter ubegrenset for sin andel; selskapet kan ta opp lån til "
        "investeringer",
        "myndighetsutovelse": "nei, bare der særlov gir hjemmel",
        "egnet_for": "grunnleggende infrastruktur og drift: egen juridisk enhet som kan investere "
        "og ansette",
        "kilde": "IKS-loven; veilederen om interkommunalt IKT-samarbeid (KS/FAD 2007)",
    },
    {
        "form": "as",
        "navn": "Aksjeselskap (AS)",
        "lov": "aksjeloven",
        "egen_juridisk_person": True,
        "eierstyring": "lav til middels: generalforsamlingen; styret har stor selvstendighet",
        "beslutningstempo": "raskt: styre og daglig leder",
        "mva": "kjøp fra selskapet med mva (veilederen 2007); i praksis kompensert etter "
        "momskompensasjonsloven",
        "mva_merknad": "veilederen 2007; betydningen er mindre med momskompensasjonsordningen",
        "arbeidsgiver": "selskapet er arbeidsgiver; virksomhetsoverdragelse etter "
        "arbeidsmiljøloven kap. 16",
        "anskaffelser": "kjøp fra selskapet krever konkurranse, med mindre vilkårene for utvidet "
        "egenregi er oppfylt eller selskapet har en enerett",
        "ansvar_og_lan": "begrenset ansvar for eierne; kan ta opp lån",
        "myndighetsutovelse": "nei",
        "egnet_for": "infrastruktur og tjenester som også selges til andre i et marked",
        "kilde": "aksjeloven; anskaffelsesforskriften § 3-1; veilederen (KS/FAD 2007)",
    },
    {
        "form": "utkontraktering",
        "navn": "Utkontraktering (kjøp fra privat leverandør)",
        "lov": "anskaffelsesloven og -forskriften",
        "egen_juridisk_person": False,
        "eierstyring": "lav: styring gjennom kontrakt",
        "beslutningstempo": "raskt i drift, tregt ved endring av kontrakt",
        "mva": "kjøp med mva; kompensert etter momskompensasjonsloven",
        "mva_merknad": "",
        "arbeidsgiver": "leverandøren; overførte ansatte har rettigheter etter arbeidsmiljøloven "
        "kap. 16",
        "anskaffelser": "alltid konkurranse",
        "ansvar_og_lan": "kontraktsansvar; ingen investering hos kommunene",
        "myndighetsutovelse": "nei",
        "egnet_for": "standardiserte driftstjenester med et fungerende marked",
        "kilde": "anskaffelsesloven; veilederen (KS/FAD 2007)",
    },
    {
        "form": "interkommunalt_politisk_rad",
        "navn": "Interkommunalt politisk råd (regionråd)",
        "lov": "kommuneloven kap. 18",
        "egen_juridisk_person": None,
        "eierstyring": "høy: politisk organ for deltakerne",
        "beslutningstempo": "tregt: politiske møter",
        "mva": "ikke aktuelt for tjenesteproduksjon",
        "mva_merknad": "",
        "arbeidsgiver": "kan ha sekretariat",
        "anskaffelser": "ikke for tjenesteproduksjon",
        "ansvar_og_lan": "",
        "myndighetsutovelse": "nei: kan ikke utføre tjenester eller fatte enkeltvedtak for "
        "deltakerne",
        "egnet_for": "strategi, samordning og interessepolitikk; ikke drift",
        "kilde": "kommuneloven 2018 kap. 18",
    },
    {
        "form": "samkommune",
        "navn": "Samkommune (opphevet)",
        "lov": "kommuneloven 1992 kap. 5 b, opphevet fra 2020",
        "egen_juridisk_person": True,
        "eierstyring": "",
        "beslutningstempo": "",
        "mva": "",
        "mva_merknad": "",
        "arbeidsgiver": "",
        "anskaffelser": "",
        "ansvar_og_lan": "",
        "myndighetsutovelse": "",
        "egnet_for": "ikke lenger tillatt: eksisterende samkommuner måtte avvikles",
        "kilde": "kommuneloven 2018 (samkommunemodellen videreført ikke)",
    },
]


def legal_forms() -> pd.DataFrame:
    """Return the legal forms as a table: one row per form, one column per criterion.

    Examples
    --------
    >>> t = legal_forms()
    >>> "kommuneloven kap. 19" in t.set_index("form").loc["kommunalt_oppgavefellesskap", "lov"]
    True
    """
    return pd.DataFrame(_FORMS)


def _parse(values, vocab, aliases, what) -> list[str]:
    out = []
    for v in split_list(values):
        t = normalise_term(v)
        t = aliases.get(t, t)
        if t not in vocab:
            raise NettverkError(
                f"unknown {what} {v!r}{did_you_mean(v, vocab)}; use one of {', '.join(vocab)}"
            )
        out.append(t)
    return out


#: Every form the advice weighs.
_ALL = FORMS_ADVISED
_ENTITY = ("iks", "kommunalt_oppgavefellesskap", "as")

#: The advice as data: ``(when, forms, score, kind, text)``, applied in this order. ``when`` is
#: ``infra`` (an infrastructure area: drift, nett, bredband), ``net`` (nett or bredband),
#: ``sector``, ``strat``, ``need:<need>`` (in the order the needs are given) or ``always``;
# : ``kind`` is ``for``, ``against``, ``warn`` or ``unsuitable`` (against, and the form cannot
# serve).
#: ``{infra}`` and ``{sector}`` in a text name the areas. Sources in parentheses.
RULES: tuple[tuple[str, tuple[str, ...], float, str, str], ...] = (
    (
        "infra",
        _ENTITY,
        2,
        "for",
        "grunnleggende infrastruktur og drift ({infra}) egner seg for en egen juridisk "
        "enhet (veilederen 2007)",
    ),
    (
        "infra",
        ("vertskommune",),
        -1,
        "against",
        "infrastruktur og drift i en vertskommune gir ingen egen enhet for "
        "felles investeringer og ansatte (veilederen 2007)",
    ),
    (
        "infra",
        ("utkontraktering",),
        0.5,
        "for",
        "standardisert drift kan kjøpes i et marked (veilederen 2007)",
    ),
    (
        "net",
        ("iks", "as"),
        1,
        "for",
        "bredbånd og nett krever investeringer: selskapet kan ta opp lån (IKS-loven; aksjeloven)",
    ),
    (
        "net",
        ("kommunalt_oppgavefellesskap",),
        -1.5,
        "against",
        "et kommunalt oppgavefellesskap kan ikke ta opp lån "
        "til nettinvesteringer (kommuneloven kap. 19; Prop. 46 L (2017–2018))",
    ),
    (
        "sector",
        ("vertskommune",),
        2,
        "for",
        "fagsystemer og sektortjenester ({sector}) egner seg for en vertskommune "
        "på toppen av felles infrastruktur (veilederen 2007)",
    ),
    (
        "sector",
        ("iks", "kommunalt_oppgavefellesskap"),
        0.5,
        "for",
        "fagsystemer kan driftes i fellesskapets egen "
        "enhet sammen med infrastrukturen (veilederen 2007)",
    ),
    (
        "strat",
        ("vertskommune",),
        0.5,
        "for",
        "strategi og kompetanse kan koordineres av en vertskommune eller et "
        "politisk råd (kommuneloven kap. 18 og 20)",
    ),
    (
        "strat",
        _ALL,
        0,
        "warn",
        "rene strategiområder trenger ofte ingen egen samarbeidsform: et interkommunalt "
        "politisk råd (kap. 18) kan samordne",
    ),
    (
        "need:myndighetsutovelse",
        ("vertskommune",),
        5,
        "for",
        "myndighetsutøvelse kan bare delegeres til en vertskommune (kommuneloven § 20-1)",
    ),
    (
        "need:myndighetsutovelse",
        ("kommunalt_oppgavefellesskap", "iks", "as", "utkontraktering"),
        -10,
        "unsuitable",
        "kan ikke utøve offentlig myndighet (fatte enkeltvedtak) for deltakerne; bare "
        "vertskommunemodellen kan "
        "(kommuneloven § 20-1)",
    ),
    (
        "need:myndighetsutovelse",
        ("kommunalt_oppgavefellesskap", "iks", "as", "utkontraktering"),
        0,
        "warn",
        "offentlig myndighetsutøvelse krever vertskommunemodellen",
    ),
    (
        "need:sterk_eierstyring",
        ("vertskommune", "kommunalt_oppgavefellesskap"),
        1,
        "for",
        "sterk eierstyring: deltakerne styrer direkte (kommuneloven kap. 19 og 20)",
    ),
    (
        "need:sterk_eierstyring",
        ("iks",),
        0.5,
        "for",
        "eierstyring gjennom representantskap og selskapsavtale (IKS-loven)",
    ),
    (
        "need:sterk_eierstyring",
        ("as",),
        -1,
        "against",
        "svakere eierstyring: styret i et AS har stor selvstendighet (aksjeloven)",
    ),
    (
        "need:sterk_eierstyring",
        ("utkontraktering",),
        -1.5,
        "against",
        "styring bare gjennom kontrakt",
    ),
    (
        "need:raske_beslutninger",
        ("as", "vertskommune", "utkontraktering"),
        1,
        "for",
        "raske beslutninger (daglig leder/administrasjon)",
    ),
    (
        "need:raske_beslutninger",
        ("kommunalt_oppgavefellesskap",),
        -0.5,
        "against",
        "beslutninger i representantskapet tar tid",
    ),
    ("need:salg_til_andre", ("as",), 1.5, "for", "et AS kan selge i et marked (aksjeloven)"),
    (
        "need:salg_til_andre",
        _ENTITY,
        0,
        "warn",
        "utvidet egenregi krever at over 80 % av aktiviteten er for eierne "
        "(anskaffelsesforskriften § 3-1); mer salg til andre krever konkurranse ved eiernes kjøp",
    ),
    (
        "need:salg_til_andre",
        ("vertskommune",),
        -1,
        "against",
        "en vertskommune er ikke laget for salg til andre enn deltakerne",
    ),
    ("need:laneopptak", ("iks", "as"), 1.5, "for", "kan ta opp lån (IKS-loven; aksjeloven)"),
    (
        "need:laneopptak",
        ("kommunalt_oppgavefellesskap",),
        -2,
        "against",
        "kan ikke ta opp lån (kommuneloven kap. 19; Prop. 46 L (2017–2018))",
    ),
    (
        "need:laneopptak",
        ("vertskommune",),
        0,
        "against",
        "lån tas opp av vertskommunen og fordeles etter avtalen",
    ),
    (
        "need:eget_arbeidsgiveransvar",
        _ENTITY,
        1,
        "for",
        "egen arbeidsgiver; overførte ansatte har rettigheter etter arbeidsmiljøloven kap. 16",
    ),
    (
        "need:eget_arbeidsgiveransvar",
        ("vertskommune",),
        0,
        "against",
        "vertskommunen blir arbeidsgiver for de felles ansatte",
    ),
    ("need:begrenset_ansvar", ("as",), 1.5, "for", "begrenset ansvar for eierne (aksjeloven)"),
    (
        "need:begrenset_ansvar",
        ("iks", "kommunalt_oppgavefellesskap"),
        -1,
        "against",
        "eierne hefter ubegrenset for sin andel (IKS-loven; kommuneloven § 19-4)",
    ),
    (
        "always",
        ("iks", "kommunalt_oppgavefellesskap"),
        0.5,
        "for",
        "eierne kan kjøpe tjenestene uten konkurranse "
        "(utvidet egenregi: kontroll og over 80 % av aktiviteten for eierne, "
        "anskaffelsesforskriften § 3-1)",
    ),
    (
        "always",
        ("as",),
        -0.5,
        "against",
        "eiernes kjøp fra et AS krever konkurranse med mindre vilkårene for utvidet "
        "egenregi er oppfylt eller selskapet har en enerett (anskaffelsesforskriften § 3-1)",
    ),
    (
        "always",
        ("vertskommune", "as"),
        0,
        "warn",
        "mva-vurderingen er veilederens fra 2007; med "
        "momskompensasjonsordningen betyr den mindre i dag",
    ),
)


def _conditions(areas: list[str], needs: list[str]) -> tuple[list[str], dict[str, str]]:
    """The rule conditions that hold, in the order the rules apply, and the area lists for the
    texts."""
    infra = [a for a in areas if a in INFRASTRUCTURE]
    sector = [a for a in areas if a in SECTOR]
    held = (["infra"] if infra else []) + (["net"] if {"bredband", "nett"} & set(infra) else [])
    held += (["sector"] if sector else []) + (
        ["strat"] if any(a in STRATEGY for a in areas) else []
    )
    held += [f"need:{n}" for n in needs] + ["always"]
    return held, {"infra": ", ".join(infra), "sector": ", ".join(sector)}


def _apply_rules(form: str, held: list[str], names: dict[str, str]) -> dict:
    """Score one form under the rules that hold: its score, whether it can serve, and why."""
    out = {
        "form": form,
        "score": 0.0,
        "suitable": True,
        "reasons_for": [],
        "reasons_against": [],
        "warnings": [],
    }
    lists = {
        "for": "reasons_for",
        "against": "reasons_against",
        "unsuitable": "reasons_against",
        "warn": "warnings",
    }
    for when in held:
        for cond, forms, score, kind, text in RULES:
            if cond != when or form not in forms:
                continue
            out["score"] += score
            out[lists[kind]].append(text.format(**names))
            out["suitable"] &= kind != "unsuitable"
    out["warnings"] = list(dict.fromkeys(out["warnings"]))
    return out


def advise_legal_form(*, areas: Terms, needs: Terms = ()) -> pd.DataFrame:
    """Rank the legal forms for a collaboration's service areas and stated needs.

    Each form's score is the sum of the :data:`RULES` that hold for the areas and needs; a form
    that cannot serve a need (only a vertskommune may exercise public authority) ranks last.

    Parameters
    ----------
    areas : str or list of str
        Service areas (``drift``, ``bredband``, ``helse_sosial``, ...).
    needs : str or list of str
        Any of :data:`NEEDS` (``myndighetsutovelse``, ``laneopptak``, ``sterk_eierstyring``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per form, best first: ``rank``, ``form``, ``score``, ``suitable``,
        ``reasons_for``, ``reasons_against``, ``warnings`` (each a list of sentences with the
        source in parentheses).

    Examples
    --------
    >>> a = advise_legal_form(areas=["helse_sosial"], needs=["myndighetsutovelse"])
    >>> a.iloc[0]["form"]
    'vertskommune'
    """
    from nettverk.data.vocab import ALIASES

    areas = _parse(areas, AREAS, ALIASES["omrade"], "area")
    if not areas:
        raise NettverkError("give at least one area, e.g. --areas drift,bredband")
    needs = _parse(needs, tuple(NEEDS), _NEED_ALIASES, "need")
    held, names = _conditions(areas, needs)
    df = pd.DataFrame([_apply_rules(f, held, names) for f in FORMS_ADVISED])
    order = {f: i for i, f in enumerate(FORMS_ADVISED)}
    df["_o"] = df["form"].map(order)
    df = df.sort_values(
        ["suitable", "score", "_o"], ascending=[False, False, True], kind="stable"
    ).drop(columns="_o")
    df = df.reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    df.insert(2, "navn", df["form"].map(legal_forms().set_index("form")["navn"]))
    df.attrs.update({"areas": areas, "needs": needs})
    return df
