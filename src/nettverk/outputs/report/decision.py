"""The report's decision parts: the summary on top, the governance checklist and the draft
resolution (forslag til vedtak) every member council can adopt word for word."""

from __future__ import annotations

import html

from nettverk.data.dataset import Dataset

from .page import _nok

#: The guide's phases, in order, as the draft resolution names them.
PHASES = ("forfase", "forprosjekt", "gjennomføring", "drift")

#: Areas whose systems hold sensitive personal data (health, social services, personnel).
SENSITIVE_AREAS = {"helse_sosial", "lonn_personal", "sak_arkiv"}


def _names(ds: Dataset, members: list[str]) -> str:
    """The members' names in a sentence: "Gol, Hol og Ål"."""
    n = [str(ds.kommuner.at[c, "kommunenavn"]) for c in members]
    return n[0] if len(n) == 1 else ", ".join(n[:-1]) + " og " + n[-1]


def chosen_key(verdicts: dict) -> str:
    """The key the resolution names: the first of the report's keys that is win-win, else 30/70
    (the guide's usual mix of an equal part and population)."""
    return next((lab for lab, v in verdicts.items() if v.win_win), "30/70")


def _verdict(v, names: dict) -> str:
    """Win-win, or who pays more than alone."""
    if v.win_win:
        return "vinn-vinn, ingen betaler mer enn alene"
    who = [str(names.get(c, c)) for c in v.losers]
    return (", ".join(who) + " betaler mer enn alene") if who else v.describe(names)


def summary(
    ds: Dataset,
    members: list[str],
    gains: dict,
    verdicts: dict,
    dig,
    form_name: str,
) -> str:
    """The box on top: what the group gains (with its range), whether the split is win-win,
    the shared digging, and the legal form the rules rank first."""
    key = chosen_key(verdicts)
    v = verdicts[key]
    names = ds.kommuner["kommunenavn"].to_dict()
    items = [
        f"Samarbeid om {html.escape(gains['area'])} kan spare om lag <b>{_nok(gains['net_gain'])} "
        f"MNOK per år</b> samlet (mellom {_nok(gains['low'])} og {_nok(gains['high'])} med "
        "kostnadsmodellens spenn).",
        (
            f"Med nøkkelen {html.escape(key)}: "
            if v.win_win
            else "Ingen av nøklene "
            f"{', '.join(html.escape(k) for k in verdicts)} er vinn-vinn; med {html.escape(key)}: "
        )
        + f"<span class='{'ok' if v.win_win else 'warn'}'>"
        + f"{html.escape(_verdict(v, names))}</span>.",
    ]
    if dig is not None:
        t = dig.totals
        items.append(
            f"Felles graving til {html.escape(str(t['hub']))}: {_nok(t['shared_nok'])} MNOK engang "
            f"mot {_nok(t['standalone_nok'])} MNOK hver for seg."
        )
    items.append(
        f"Juridisk form som passer best etter veilederens regler: {html.escape(form_name)}."
    )
    items.append("Forslag til vedtak: punkt 7.")
    return (
        "<div class='box'><b>Kort fortalt</b><ul>"
        + "".join(f"<li>{x}</li>" for x in items)
        + "</ul></div>"
    )


def governance(ds: Dataset, members: list[str], areas, form: str, form_name: str, dig) -> str:
    """Section 6: the guide's governance points, tied to the data where it can be."""
    k = ds.kommuner
    big = max(members, key=lambda c: (int(k.at[c, "innbyggere"]), c))
    host = str(k.at[big, "kommunenavn"])
    sensitive = sorted(SENSITIVE_AREAS & set(areas))
    operator = {
        "vertskommune": f"vertskommunen (for eksempel {host}, den største)",
        "iks": "selskapet (IKS)",
        "as": "selskapet (AS)",
        "kommunalt_oppgavefellesskap": "oppgavefellesskapet",
    }.get(form, "den som drifter")
    counties = sorted(set(k.loc[members, "fylkesnavn"].astype(str)))
    far = []
    if dig is not None:
        far = [
            str(k.at[r.kommunenummer, "kommunenavn"])
            for r in dig.per_municipality.itertuples()
            if r.standalone_m > 80_000
        ]
    sea = dig is not None and dig.totals.get("sea_crossings", 0) > 0
    points = [
        (
            "Databehandleravtale og personopplysninger",
            f"Hver kommune er fortsatt behandlingsansvarlig; {operator} blir databehandler og "
            "trenger en databehandleravtale med hver kommune"
            + (
                f" (områdene {', '.join(sensitive)} har sensitive personopplysninger: krever "
                "risikovurdering og DPIA)"
                if sensitive
                else ""
            )
            + ".",
        ),
        (
            "Sikring av leveranser",
            "Tjenestenivåavtale (SLA) med oppetid, svartid og sanksjoner når den ikke holdes"
            + (
                f"; {', '.join(far)} ligger langt fra knutepunktet: avtal fjernstøtte og "
                "reserveløsning"
                if far
                else ""
            )
            + ("; nettet krysser sjø: avtal reservesamband" if sea else "")
            + ".",
        ),
        (
            "Roller hver kommune beholder",
            f"Hver av de {len(members)} kommunene beholder sin sikkerhetsleder (ansvar for "
            "informasjonssikkerhet), systemeiere for fagsystemene og bestillerkompetansen.",
        ),
        (
            "Fylkeskommunen som mulig deltaker",
            f"{' og '.join(html.escape(c) for c in counties)} fylkeskommune kan delta, særlig om "
            "bredbånd og felles graving; avklar rollen i forprosjektet.",
        ),
    ]
    return (
        "<section><h2>6. Styring (sjekkliste)</h2><ul class='check'>"
        + "".join(f"<li><b>{html.escape(a)}</b>: {b}</li>" for a, b in points)
        + "</ul></section>"
    )


def resolution(ds: Dataset, members: list[str], areas, verdicts: dict, coordinator: str) -> str:
    """Section 7: the draft resolution, the same text for every member council, phase by phase
    as the guide sets out (forfase now, forprosjekt next, final decision after it)."""
    key = chosen_key(verdicts)
    area_text = ", ".join(html.escape(str(a)) for a in areas)
    points = [
        f"Kommunestyret slutter seg til at {html.escape(_names(ds, members))} utreder et "
        f"interkommunalt samarbeid om {area_text} (forfase).",
        "Kommunedirektøren får fullmakt til å delta i en felles styringsgruppe med én "
        f"representant fra hver kommune; {coordinator}",
        "Styringsgruppen legger fram et forprosjekt for kommunestyrene innen 12 måneder, med mål, "
        "gevinster og kostnader for hver kommune, fordelingsnøkkel, juridisk form, "
        "databehandleravtale og tjenestenivåavtale (forprosjekt).",
        f"Utredningen bygger på fordelingsnøkkelen {html.escape(key)} og skal vise at ingen "
        "kommune kommer dårligere ut enn alene (vinn-vinn).",
        f"Kostnadene til forprosjektet deles etter nøkkelen {html.escape(key)}.",
        "Endelig vedtak om deltakelse, juridisk form og avtale fattes av hvert kommunestyre etter "
        "forprosjektet (gjennomføring og drift).",
    ]
    return (
        "<section><h2>7. Forslag til vedtak</h2><p class='small'>Samme tekst i alle "
        f"{len(members)} kommunestyrer:</p><ol class='vedtak'>"
        + "".join(f"<li>{p}</li>" for p in points)
        + "</ol></section>"
    )
