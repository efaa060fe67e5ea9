"""The report's sections, one function each: who, gains, infrastructure, legal form, next."""

from __future__ import annotations

import html


from nettverk._errors import NettverkError
from nettverk.data.columns import chance_text, number_text, percent_text
from nettverk.data.dataset import Dataset

from .page import _nok, _svg_bars, _svg_map, _table

#: A group larger than this gets its per-member tables in the appendix (two pages stay two).
MAX_ROWS_IN_BODY = 8


def _who(ds: Dataset, members: list[str], pop: dict[str, int]) -> tuple[str, dict]:
    """Section 1: the map, the members, what they already share and the partner model's view."""
    from nettverk.analyses.clusters.candidates import score_clusters
    from nettverk.analyses.clusters import partners
    from nettverk.models.partner.affinity import group_affinity
    from nettverk.models.partner.model import load_partner_model

    k = ds.kommuner
    names = k["kommunenavn"]
    med = ds.active_memberships()
    sam = ds.samarbeid.set_index("id")
    council_of = ds.councils(members)
    rows = [
        [
            html.escape(names[c]),
            _nok(pop[c], "kr"),
            html.escape(", ".join(sam.at[i, "navn"] for i in council_of[c]) or "–"),
            html.escape(str(k.at[c, "ba_region"]) if "ba_region" in k.columns else ""),
        ]
        for c in members
    ]
    shared = (
        med[med["kommunenummer"].isin(members)].groupby("samarbeid_id")["kommunenummer"].nunique()
    )
    shared = shared[shared >= 2].sort_values(ascending=False)
    shared_list = (
        "".join(
            f"<li>{html.escape(str(sam.at[cid, 'navn']))} ({n} av {len(members)})</li>"
            for cid, n in shared.items()
        )
        or "<li>ingen i dataene</li>"
    )
    model = load_partner_model()
    mean_aff = float(score_clusters(ds, [members]).loc[0, "affinity_mean"])
    others = [c for c in k.index if c not in members]
    aff = group_affinity(ds, members, others, model).sort_values("affinity", ascending=False)
    fits = ", ".join(
        f"{names[c]} ({chance_text(v - model.tau)})" for c, v in aff["affinity"].head(3).items()
    )
    big = max(members, key=lambda c: pop[c])
    best = partners(ds, big, top=1)
    pair_chance = chance_text(mean_aff - model.tau)
    natural = "naturlige partnere" if mean_aff > model.tau else "ikke naturlige partnere"
    table = _table(rows, ["Kommune", "Innbyggere", "Regionråd", "BA-region"], {1})
    side = (
        table
        if len(members) <= MAX_ROWS_IN_BODY
        else (f"<p>{len(members)} kommuner; tabellen over medlemmene står i Vedlegg A.</p>")
    )
    page = (
        "<section><h2>1. Hvem</h2><div class='two'>"
        + _svg_map(ds, members, width=360, height=300)
        + f"<div>{side}<p class='small'>Samarbeid medlemmene allerede deler:</p>"
        f"<ul class='small'>{shared_list}</ul></div></div>"
        "<p>Partnermodellen (tilpasset på virkelige samarbeid og regionråd) regner medlemmene "
        f"som <b>{natural}</b>: for et typisk par i gruppen er det <b>{pair_chance}</b> "
        "sannsynlighet for at de hører sammen. Modellens beste gruppe rundt "
        f"{html.escape(names[big])} er {html.escape(best['member_names'].iloc[0])}. Passer også "
        f"godt: {html.escape(fits)}.</p>"
        "</section>"
    )
    appendix = "" if len(members) <= MAX_ROWS_IN_BODY else f"<h3>Medlemmene</h3>{table}"
    return page, appendix, council_of


def _sensitivity_appendix(ds: Dataset, members: list[str], area: str) -> str:
    """An appendix: the group's yearly gain with each cost-model range at its ends."""
    from nettverk.analyses.group import economics_sensitivity
    from nettverk.models.costs import LABELS

    sens = economics_sensitivity(ds, [members], area=area)
    rows = []
    for r in sens.itertuples(index=False):
        case = r.scenario
        if r.parameter in LABELS:
            case = f"{LABELS[r.parameter]}, {'lav' if r.level == 'low' else 'høy'}"
        value = "" if r.value is None or r.value != r.value else number_text(r.value, 2)
        rows.append([html.escape(case), value, _nok(r.net_gain_nok)])
    return (
        "<section class='vedlegg'><h2>Vedlegg C: Følsomhet</h2><p>Gruppens netto gevinst per "
        "år med hvert spenn i kostnadsmodellen på lav og høy ende, ett om gangen, og alle på den "
        "minst og mest gunstige enden (nettverk costs gir kildene):</p>"
        + _table(rows, ["Tilfelle", "Verdi", "Netto gevinst (MNOK/år)"], {1, 2})
        + "</section>"
    )


#: The three cost-sharing keys of the report: label -> (key kind, equal part).
_KEYS = {
    "30/70": ("hybrid", 0.3),
    "50/50": ("hybrid", 0.5),
    "etter innbyggertall": ("population", 0.0),
}


def _gains(ds: Dataset, members: list[str], pop: dict[str, int], areas) -> tuple[str, dict]:
    """Section 2: alone against together with its range, each member's share under three keys,
    the win-win test at both ends of the ranges, and the money year by year (payback)."""
    from nettverk.analyses.group import group_money
    from nettverk.models.costs import CostModel

    names = ds.kommuner["kommunenavn"]
    area = list(areas)[0] if areas else "drift"
    base = CostModel()
    econ = group_money(ds, members, area=area)
    ends = {k: group_money(ds, members, area=area, costs=base.scenario(k)) for k in _ENDS}
    total, alone = econ["joint_total"], econ["alone"]
    shares, verdicts, robust = _key_verdicts(members, pop, econ, ends)
    trows = [
        [html.escape(names[c]), _nok(alone[c])] + [_nok(shares[lab][c]) for lab in _KEYS]
        for c in members
    ]
    trows.append(
        ["<b>Sum</b>", f"<b>{_nok(sum(alone.values()))}</b>"]
        + [f"<b>{_nok(total)}</b>"] * len(_KEYS)
    )
    vtext = "".join(
        f"<li><b>{html.escape(lab)}</b>: <span class='{'ok' if v.win_win else 'warn'}'>"
        f"{html.escape(_short_verdict(v, names))}</span>; {robust[lab]}</li>"
        for lab, v in verdicts.items()
    )
    vfull = "".join(
        f"<li><b>{html.escape(lab)}</b>: {html.escape(v.describe(names.to_dict()))}</li>"
        for lab, v in verdicts.items()
    )
    own = sum(econ["own_given"].values())
    source = "kostnadsmodellen" if not own else f"egne tall for {own} av {len(members)} kommuner"
    per_inh = [(names[c], alone[c] / pop[c], shares["30/70"][c] / pop[c]) for c in members]
    shares_table = _table(
        trows,
        ["Kommune", "Alene (MNOK/år)"] + [f"Andel {lab} (MNOK/år)" for lab in _KEYS],
        set(range(1, 2 + len(_KEYS))),
    )
    body = (
        shares_table
        if len(members) <= MAX_ROWS_IN_BODY
        else ("<p>Hver kommunes andel under de tre nøklene står i Vedlegg A.</p>")
    )
    page = (
        f"<section><h2>2. Gevinster ({html.escape(area)})</h2>"
        f"<p>Etter {source}: hver for seg {_nok(sum(alone.values()))} MNOK/år, sammen "
        f"{_nok(total)} MNOK/år med koordinering ({_nok(econ['overhead'])}), det som blir igjen "
        f"lokalt ({_nok(econ['retained'])}) og reise ({_nok(econ['travel'])}) til "
        f"{html.escape(names[econ['hub']])}: en gevinst på {_nok(econ['net_gain'])} MNOK/år "
        "(mellom "
        f"{_nok(ends['pessimistic']['net_gain'])} og {_nok(ends['optimistic']['net_gain'])}). "
        "Hver kommunes andel etter tre nøkler, og om noen betaler mer enn alene:</p>"
        + body
        + f"<ul>{vtext}</ul></section>"
    )
    appendix = (
        ("" if len(members) <= MAX_ROWS_IN_BODY else f"<h3>Andeler</h3>{shares_table}")
        + f"<h3>Vinn-vinn-testen i detalj</h3><ul>{vfull}</ul>"
        + "<h3>Pengene år for år</h3>"
        + _payback(ds, members, pop, alone, shares["30/70"], base, area)
        + "<p class='small'>Kroner per innbygger og år, alene (grå) og sammen etter 30/70 "
        "(blå):</p>" + _svg_bars(per_inh, "alene", "sammen (30/70)", "kr")
    )
    summary = {
        "net_gain": econ["net_gain"],
        "low": ends["pessimistic"]["net_gain"],
        "high": ends["optimistic"]["net_gain"],
        "area": area,
    }
    return page, appendix, verdicts, summary


def _short_verdict(v, names) -> str:
    """A verdict in a few words for the decision basis (the kroner are in Vedlegg A)."""
    if v.win_win:
        return "vinn-vinn"
    who = [str(names.get(c, c)) for c in v.losers]
    if who:
        return ", ".join(who) + " betaler mer enn alene"
    if v.in_core is False:
        return "en delgruppe ville tjent på å gå ut"
    return "ingen betaler mer enn alene (kjernen ikke sjekket)"


#: The ends of the ranges the rapport checks its verdicts at.
_ENDS = ("pessimistic", "optimistic")


def _key_verdicts(members: list[str], pop: dict[str, int], econ: dict, ends: dict):
    """Each key's shares and win-win verdict, and whether the verdict holds at both ends."""
    from nettverk.models.allocation import core_check, key_shares

    shares, verdicts, robust = {}, {}, {}
    for label, (kind, eq) in _KEYS.items():
        frac = key_shares(members, kind=kind, population=pop, equal_part=eq)
        shares[label] = frac * econ["joint_total"]
        verdicts[label] = core_check(shares[label].to_dict(), econ["cost_of"])
        holds = [
            core_check((frac * e["joint_total"]).to_dict(), e["cost_of"]).win_win
            for e in ends.values()
        ]
        if all(holds) and verdicts[label].win_win:
            robust[label] = "holder også med spennene på lav og høy ende"
        elif not any(holds) and not verdicts[label].win_win:
            robust[label] = "gjelder også med spennene på lav og høy ende"
        else:
            robust[label] = "<b>avhenger av forutsetningene</b>"
    return shares, verdicts, robust


def _payback(ds, members, pop, alone, share, costs, area: str) -> str:
    """The money year by year for each member (30/70): the one-off transition in year 1, the gain
    rising to its full size, and the year it pays back."""
    from nettverk.models.economics import PLAN_YEARS, cash_flow

    names = ds.kommuner["kommunenavn"]
    gain = [alone[c] - float(share[c]) for c in members]
    once = [
        costs.transition_nok_per_inhabitant * pop[c] if area == "drift" else 0.0 for c in members
    ]
    flows, back = cash_flow(gain, once, costs)
    rows = [
        [html.escape(names[c])]
        + [_nok(v) for v in flows[i]]
        + [f"år {int(back[i])}" if back[i] else f"ikke innen år {PLAN_YEARS}"]
        for i, c in enumerate(members)
    ]
    head = ["Kommune"] + [f"År {t + 1} (MNOK)" for t in range(PLAN_YEARS)] + ["Tilbakebetalt"]
    return (
        "<p>Pengene år for år i økonomiplanen (30/70): overgangskostnaden "
        f"({_nok(costs.transition_nok_per_inhabitant, 'kr')} kr per innbygger, engang) i år 1, og "
        "gevinsten som vokser til full størrelse over "
        f"{_nok(costs.realisation_years, 'kr')} år:</p>"
        + _table(rows, head, set(range(1, PLAN_YEARS + 1)))
    )


def _infrastructure(ds: Dataset, members: list[str], hub) -> tuple[str, object]:
    """Section 3: one shared digging network against each alone, low to high, and Bird's split."""
    from nettverk.analyses.digging.shared import digging_sensitivity, shared_digging
    from nettverk.data.broadband import SUBSIDY_REFERENCE

    names = ds.kommuner["kommunenavn"]
    try:
        dig = shared_digging(ds, members, hub=hub, progress=False)
        sens = digging_sensitivity(ds, members, hub=hub, progress=False).set_index("scenario")
        t = dig.totals
        infra = (
            f"<p>Ett felles nett til {html.escape(str(t['hub']))}: "
            f"<b>{_nok(t['shared_m'] / 1000, 'kr')} km</b> "
            f"og <b>{_nok(t['shared_nok'])} MNOK</b>, mot {_nok(t['standalone_m'] / 1000, 'kr')} "
            "km og "
            f"{_nok(t['standalone_nok'])} MNOK hver for seg: {percent_text(t['saving_share'])} "
            "lavere. Med enhetskostnadene lave og høye fra kildene: "
            f"{_nok(sens.at['alle lave', 'dig_shared_nok'])}–"
            f"{_nok(sens.at['alle høye', 'dig_shared_nok'])} MNOK. Fordeling (Bird): "
            f"{html.escape(t['verdict'])}.</p>"
        )
        bars = _svg_bars(
            [
                (names[r.kommunenummer], r.dig_alone_nok / 1e6, r.dig_share_nok / 1e6)
                for r in dig.per_municipality.itertuples()
            ],
            "grave alene",
            "andel av felles nett",
            "MNOK",
        )
        short, long = _households(ds, members)
        infra += short
        appendix = "<h3>Felles graving per kommune (MNOK engang)</h3>" + bars + long
    except NettverkError as exc:
        dig, appendix = None, ""
        infra = f"<p class='warn'>Felles graving kunne ikke beregnes: {html.escape(str(exc))}</p>"
    # the per-household comparison is in the households paragraph where there is one
    if "per husstand" not in appendix:
        appendix += f"<p class='small'>{html.escape(SUBSIDY_REFERENCE)}</p>"
    page = f"<section><h2>3. Infrastruktur</h2>{infra}</section>"
    return page, appendix, dig


def _households(ds: Dataset, members: list[str]) -> str:
    """Fibre to the households that lack it (when the data has the population grid): households
    passed and the cost per household, beside Nkom's per-connection figures."""
    import warnings

    from nettverk.analyses.digging.shared import shared_digging
    from nettverk.data.broadband import NKOM_PER_HOUSEHOLD

    if ds.root.grid is None:
        return "", ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # far sites are listed in the totals instead
            t = shared_digging(ds, members, sites="households", progress=False).totals
    except NettverkError as exc:
        why = html.escape(str(exc))
        return "", f"<p class='warn'>Fiber til husstandene kunne ikke beregnes: {why}</p>"
    missed = sum(m["husstander"] for m in t["not_reached"])
    source = t["demand_source"]
    if source == "anslag":
        source = "anslag fra SSBs befolkningsrutenett og Nkoms dekning per fylke"
    short = (
        f"<p>Fiber til de om lag {_nok(t['households_passed'], 'kr')} husstandene som mangler "
        f"gigabit: <b>{_nok(t['nok_per_household_passed'], 'kr')} kr per husstand</b> (engang, "
        "grøft og tilknytning; Nkom: om lag 128\u00a0000 kr for de siste; Vedlegg A).</p>"
    )
    return short, (
        f"<h3>Fiber til husstandene</h3><p>({html.escape(source)}): "
        f"{_nok(t['households_passed'], 'kr')} husstander passert, grøft fra nærmeste "
        f"eksisterende fiber {_nok(t['shared_m'] / 1000, 'kr')} km og {_nok(t['shared_nok'])} "
        f"MNOK, med tilknytning {_nok(t['shared_nok'] + t['access_nok'])} MNOK: "
        f"<b>{_nok(t['nok_per_household_passed'], 'kr')} kr per husstand</b> (engang). "
        f"{NKOM_PER_HOUSEHOLD}."
        + (
            f" Ikke nådd: {_nok(missed, 'kr')} husstander (øyer uten veg eller ferje)."
            if missed
            else ""
        )
        + "</p>"
    )


def _form(areas, needs) -> str:
    """Section 4: the three best legal forms with their reasons for and against."""
    from nettverk.models.legal_forms import advise_legal_form

    adv = advise_legal_form(areas=list(areas), needs=list(needs))
    frows = [
        [
            str(r.rank),
            html.escape(r.navn),
            "<br>".join(html.escape(x) for x in r.reasons_for) or "–",
            "<br>".join(html.escape(x) for x in r.reasons_against) or "–",
        ]
        for r in adv.head(3).itertuples()
    ]
    top = adv.iloc[0]
    rest = ", ".join(f"{r.rank}. {html.escape(r.navn)}" for r in adv.iloc[1:3].itertuples())
    page = (
        f"<section><h2>4. Juridisk form</h2><p>Best etter veilederens regler: <b>"
        f"{html.escape(top['navn'])}</b>: {html.escape((top['reasons_for'] or ['–'])[0])}. "
        f"Deretter {rest}. Grunner for og mot: Vedlegg B.</p></section>"
    )
    appendix = _table(frows, ["#", "Form", "For", "Mot"])
    return page, appendix, str(adv.iloc[0]["form"]), str(adv.iloc[0]["navn"])


#: The guide's pitfalls, named in section 5.
_PITFALLS = [
    "uklare mål",
    "svak forankring",
    "de berørte tas inn for sent",
    "svak bestillerkompetanse",
    "undervurderte kostnader",
]


def _council_counts(members: list[str], council_of: dict[str, list[str]]) -> dict[str, int]:
    """How many of the group's members each council holds."""
    count: dict[str, int] = {}
    for c in members:
        for cid in council_of.get(c, []):
            count[cid] = count.get(cid, 0) + 1
    return count


def lead_council(ds: Dataset, members: list[str], council_of: dict[str, list[str]]) -> str | None:
    """The council with the most of the group's members (ties by name), or None."""
    names = ds.samarbeid.set_index("id")["navn"]
    count = _council_counts(members, council_of)
    if not count:
        return None
    return str(names[sorted(count, key=lambda i: (-count[i], str(names[i])))[0]])


def _coordinator(ds: Dataset, members: list[str], council_of: dict[str, list[str]]) -> str:
    """Who can coordinate: the council with the most of the group's members, named with how many
    of them it holds (only councils that have members in the group)."""
    names = ds.samarbeid.set_index("id")["navn"]
    count = _council_counts(members, council_of)
    if not count:
        return "ingen av dem er i et regionråd i dataene: avklar hvem som koordinerer."
    best = sorted(count, key=lambda i: (-count[i], str(names[i])))
    lead = best[0]
    text = f"{html.escape(str(names[lead]))} ({count[lead]} av {len(members)}) kan koordinere"
    if len(best) > 1:
        others = ", ".join(f"{html.escape(str(names[i]))} ({count[i]})" for i in best[1:])
        text += f", sammen med {others}"
    return text + "."


def _next_steps(
    ds: Dataset, members: list[str], council_of: dict[str, list[str]], verdicts: dict, dig
) -> str:
    """Section 5: the guide's phases as a checklist, tied to what the data shows."""
    names = ds.kommuner["kommunenavn"]
    losers = {lab: [names[c] for c in v.losers] for lab, v in verdicts.items() if v.losers}
    far = []
    if dig is not None:
        far = [
            names[r.kommunenummer]
            for r in dig.per_municipality.itertuples()
            if r.standalone_m > 80_000
        ]
    todo = [
        (
            "Forfase: forankre ideen",
            f"Legg fram dette grunnlaget for kommunestyrene i {len(members)} kommuner; "
            + _coordinator(ds, members, council_of),
        ),
        (
            "Forfase: egne tall",
            "Gevinsten er et anslag; fyll inn egne IKT-kostnader (nettverk kartlegging).",
        ),
        (
            "Forprosjekt: nøkkel og vinn-vinn",
            (
                "Avklar fordelingsnøkkelen tidlig; se punkt 2 for hvem som betaler mer enn alene "
                "med hver nøkkel"
            )
            if losers
            else "Alle tre nøkler er vinn-vinn etter modellen; velg den som er lettest å forklare.",
        ),
        (
            "Forprosjekt: infrastruktur",
            (
                "Lange traseer til " + ", ".join(far) + ": sjekk eksisterende fiber og rør "
                "(nettverk dig --routes) før graving prises."
            )
            if far
            else "Traseene er korte; sjekk likevel eksisterende fiber og rør hos eierne.",
        ),
        (
            "Gjennomføring og drift",
            "Involver de berørte (IKT-ansatte, tjenesteledere) tidlig; følg kostnadene mot "
            "anslaget.",
        ),
    ]
    return (
        "<section><h2>5. Veien videre</h2><ul class='check'>"
        + "".join(f"<li><b>{html.escape(a)}</b>: {b}</li>" for a, b in todo)
        + "</ul><p class='small'>Forutsetninger (veilederen): vilje, ambisjon, forankring og "
        "planlegging. Fallgruver: " + ", ".join(_PITFALLS) + ".</p></section>"
    )
