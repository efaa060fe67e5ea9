"""``nettverk rapport``: the decision basis for a principle resolution, for one group, on one page.

The guide's first phase (forfase) ends with a decision basis for a principle resolution to
investigate collaboration (prinsippvedtak om å utrede samarbeid). :func:`report` writes it as one
self-contained HTML page in bokmål that opens offline and prints on A4: who the group is (a map with
names, population, the councils and collaborations the members already share, and the partner
model's view), what it gains (alone against together, each member's share under three keys, the
win-win test), the infrastructure (a shared digging network against each alone, low to high), the
legal form, what next (the guide's phases, preconditions and pitfalls, tied to what the data shows),
and the data's limits with the date. Plots are inline SVG: no script, no network, nothing to load.
"""

from __future__ import annotations

import datetime
import html
import math

import shapely

from nettverk._errors import NettverkError
from nettverk._types import Municipalities, Municipality, Terms
from nettverk.data.columns import chance_text, number_text
from nettverk.data.dataset import Dataset
from nettverk.data.vocab import did_you_mean

__all__ = ["report"]


_CSS = """
@page { size: A4; margin: 14mm; }
body { font: 10.5pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; max-width: 190mm; margin: 0
auto; }
h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px
solid #999; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; font-size: 9.5pt; }
th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; } th { background: #e8eef6; }
.lead { color: #333; } .small { font-size: 8.5pt; color: #555; } .ok { color: #1a7f37; } .warn {
color: #b42318; }
svg { display: block; margin: 2mm auto; max-width: 100%; } section { page-break-inside: avoid; }
ul { margin: 1mm 0 1mm 5mm; padding-left: 3mm; }
"""


def _nok(v: float, unit: str = "MNOK") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if unit == "MNOK":
        return number_text(v / 1e6, 1)
    return number_text(v)


def _table(rows: list[list], head: list[str], numeric: set[int] = frozenset()) -> str:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"n" if i in numeric else ""}">{c}</td>' for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><tr>{th}</tr>{body}</table>"


def _svg_map(ds: Dataset, members: list[str], width: int = 640, height: int = 420) -> str:
    """The group (blue) among its neighbours (grey), every municipality named: a static SVG that
    prints."""
    from nettverk.network.sites import centres

    k = ds.kommuner
    group = k.loc[members]
    x0, y0, x1, y1 = group.total_bounds
    pad = 0.25 * max(x1 - x0, y1 - y0, 20_000)
    box = shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    around = k[k.intersects(box)]
    bx0, by0, bx1, by1 = box.bounds
    scale = min(width / (bx1 - bx0), height / (by1 - by0))

    def pt(x, y):
        return (x - bx0) * scale, height - (y - by0) * scale

    def path(geom) -> str:
        geom = geom.intersection(box).simplify(1 / scale)
        out = []
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            for ring in [poly.exterior, *poly.interiors]:
                xy = [pt(x, y) for x, y in ring.coords]
                out.append("M" + "L".join(f"{a:.1f},{b:.1f}" for a, b in xy) + "Z")
        return "".join(out)

    shapes, labels = [], []
    cen = centres(ds)
    for code, row in around.iterrows():
        inside = code in members
        shapes.append(
            f'<path d="{path(row.geometry)}" fill="{"#6baed6" if inside else "#eeeeee"}" '
            f'stroke="#fff" stroke-width="0.8"/>'
        )
        c = cen[code]
        if box.contains(c):
            x, y = pt(c.x, c.y)
            weight = "bold" if inside else "normal"
            labels.append(
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{10 if inside else 8}" '
                f'font-weight="{weight}" '
                f'text-anchor="middle" paint-order="stroke" stroke="#fff" stroke-width="2.5">'
                f"{html.escape(row['kommunenavn'])}</text>"
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 '
        f'{width} {height}" '
        f'role="img" aria-label="Kart over gruppen">{"".join(shapes)}{"".join(labels)}</svg>'
    )


def _svg_bars(rows: list[tuple[str, float, float]], a_label: str, b_label: str, unit: str) -> str:
    """Paired horizontal bars (alone against together) per member."""
    width, bar, gap = 640, 9, 8
    left = 150
    top = max([max(a, b) for _, a, b in rows] + [1.0])
    height = len(rows) * (2 * bar + gap) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 '
        f'{width} {height}">'
    ]
    for i, (name, a, b) in enumerate(rows):
        y = 10 + i * (2 * bar + gap)
        wa, wb = (width - left - 80) * a / top, (width - left - 80) * b / top
        out.append(
            f'<text x="{left - 6}" y="{y + bar + 3}" font-size="10" '
            f'text-anchor="end">{html.escape(name)}</text>'
        )
        out.append(f'<rect x="{left}" y="{y}" width="{wa:.1f}" height="{bar}" fill="#bdbdbd"/>')
        out.append(
            f'<rect x="{left}" y="{y + bar}" width="{wb:.1f}" height="{bar}" fill="#2171b5"/>'
        )
        out.append(
            f'<text x="{left + max(wa, wb) + 4:.1f}" y="{y + bar + 3}" font-size="9">'
            f"{number_text(a)} / {number_text(b)} {unit}</text>"
        )
    y = height - 10
    out.append(
        f'<rect x="{left}" y="{y - 8}" width="10" height="8" fill="#bdbdbd"/><text x="{left + 14}" '
        f'y="{y}" '
        f'font-size="9">{html.escape(a_label)}</text><rect x="{left + 150}" y="{y - 8}" width="10" '
        'height="8" '
        f'fill="#2171b5"/><text x="{left + 164}" y="{y}" '
        f'font-size="9">{html.escape(b_label)}</text></svg>'
    )
    return "".join(out)


def _group(ds: Dataset, municipalities, collaboration, county) -> tuple[list[str], str]:
    given = [x for x in (municipalities, collaboration, county) if x]
    if len(given) != 1:
        raise NettverkError("give exactly one of municipalities, collaboration or county")
    if municipalities:
        codes = ds.codes(municipalities)
        return sorted(dict.fromkeys(codes)), ", ".join(
            ds.kommuner.loc[sorted(set(codes)), "kommunenavn"]
        )
    if collaboration:
        sam = ds.samarbeid
        hit = sam[
            (sam["id"] == collaboration)
            | (sam["navn"].str.casefold() == str(collaboration).casefold())
        ]
        if hit.empty:
            raise NettverkError(
                f"unknown collaboration {collaboration!r}"
                f"{did_you_mean(collaboration, list(sam['id']) + list(sam['navn'].astype(str)))}; "
                "see `nettverk info --json` for the ids"
            )
        cid = hit.iloc[0]["id"]
        codes = sorted(
            set(ds.medlemskap.loc[ds.medlemskap["samarbeid_id"] == cid, "kommunenummer"])
        )
        return codes, str(hit.iloc[0]["navn"])
    codes = ds.county_codes(county)
    return codes, str(ds.kommuner.loc[codes[0], "fylkesnavn"])


def report(
    ds: Dataset,
    *,
    municipalities: Municipalities | None = None,
    collaboration: str | None = None,
    county: str | None = None,
    areas: Terms = ("drift",),
    needs: Terms = (),
    hub: Municipality | None = None,
    sensitivity: bool = False,
) -> str:
    """The decision basis for a principle resolution, as one self-contained HTML page (bokmål).

    Give one of ``municipalities`` (codes or names), ``collaboration`` (id or name) or ``county``.
    The page has five sections and the limits, each from one function: who (:func:`_who`), gains
    (:func:`_gains`), infrastructure (:func:`_infrastructure`), legal form (:func:`_form`) and
    what next (:func:`_next_steps`).

    Examples
    --------
    >>> page = report(nv.load_default(), municipalities=["Gol", "Ål", "Hol"])
    >>> after_svg = page.split("</svg>")[-1]
    >>> "Beslutningsgrunnlag" in page and "<script" not in page and "http://" not in after_svg
    True
    """
    members, title = _group(ds, municipalities, collaboration, county)
    if len(members) < 2:
        raise NettverkError("a report needs a group of at least two municipalities")
    pop = {c: int(ds.kommuner.at[c, "innbyggere"]) for c in members}
    today = datetime.date.today().isoformat()
    who, council_of = _who(ds, members, pop)
    gains, verdicts = _gains(ds, members, pop, areas)
    infra, dig = _infrastructure(ds, members, hub)
    parts = [
        f"<h1>Beslutningsgrunnlag for prinsippvedtak om å utrede samarbeid</h1>"
        f"<p class='lead'><b>{html.escape(title)}</b>: {len(members)} kommuner, "
        f"{_nok(sum(pop.values()), 'kr')} innbyggere. Laget {today} med nettverk på åpne data "
        f"(Kartverket, SSB, Wikidata, kjente samarbeid og regionråd).</p>",
        who,
        gains,
        infra,
        _form(areas, needs),
        _next_steps(ds, members, council_of, verdicts, dig),
        "<section><h2>Forbehold</h2><p class='small'>Samarbeidsdataene er ikke et fullstendig "
        "register; "
        "regionråd har en sikkerhet per medlemskap (se geodata/README.md). Kostnadsmodellen bygger "
        "delvis på "
        "antakelser (nettverk costs), partnermodellen er tilpasset på kjente samarbeid (nettverk "
        "model). "
        "Gravekostnad gjelder trasé mellom kommunesentre. Data: 2024-kommuner. Dato: "
        f"{today}.</p></section>",
    ]
    if sensitivity:
        parts.append(_sensitivity_appendix(ds, members, list(areas)[0] if areas else "drift"))
    return (
        f"<!DOCTYPE html><html lang='nb'><head><meta charset='utf-8'><title>{html.escape(title)} – "
        f"beslutningsgrunnlag</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


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
    page = (
        "<section><h2>1. Hvem</h2>"
        + _svg_map(ds, members)
        + _table(rows, ["Kommune", "Innbyggere", "Regionråd", "BA-region"], {1})
        + f"<p>Samarbeid medlemmene allerede deler:</p><ul>{shared_list}</ul>"
        "<p>Partnermodellen (tilpasset på virkelige samarbeid og regionråd) regner medlemmene "
        f"som <b>{natural}</b>: for et typisk par i gruppen er det <b>{pair_chance}</b> "
        "sannsynlighet for at de hører sammen (over 50\u00a0%: sannsynligere sammen enn hver for "
        f"seg). Modellens beste gruppe rundt {html.escape(names[big])} er "
        f"{html.escape(best['member_names'].iloc[0])}. Andre som passer best til gruppen, med "
        f"sannsynligheten for å høre til: {html.escape(fits)}.</p>"
        "</section>"
    )
    return page, council_of


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
        "<section class='appendix'><h2>Vedlegg A: Følsomhet</h2><p>Gruppens netto gevinst per "
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
        f"{html.escape(v.describe(names.to_dict()))}</span>; {robust[lab]}</li>"
        for lab, v in verdicts.items()
    )
    own = sum(econ["own_given"].values())
    source = "kostnadsmodellen" if not own else f"egne tall for {own} av {len(members)} kommuner"
    per_inh = [(names[c], alone[c] / pop[c], shares["30/70"][c] / pop[c]) for c in members]
    page = (
        f"<section><h2>2. Gevinster ({html.escape(area)})</h2>"
        f"<p>Kostnadene bygger på {source} (nettverk costs): hver for seg "
        f"{_nok(sum(alone.values()))} MNOK/år, sammen {_nok(total)} MNOK/år med koordinering "
        f"({_nok(econ['overhead'])}), det som blir igjen lokalt ({_nok(econ['retained'])}) og "
        f"reise ({_nok(econ['travel'])}) til {html.escape(names[econ['hub']])}, "
        f"en gevinst på {_nok(econ['net_gain'])} MNOK/år (mellom "
        f"{_nok(ends['pessimistic']['net_gain'])} og {_nok(ends['optimistic']['net_gain'])} "
        "med hvert spenn i kostnadsmodellen på sin minst og mest gunstige ende).</p>"
        + _table(
            trows,
            ["Kommune", "Alene (MNOK/år)"] + [f"Andel {lab} (MNOK/år)" for lab in _KEYS],
            set(range(1, 2 + len(_KEYS))),
        )
        + f"<ul>{vtext}</ul>"
        + _payback(ds, members, pop, alone, shares["30/70"], base, area)
        + "<p class='small'>Kroner per innbygger og år, alene (grå) og sammen etter 30/70 "
        "(blå):</p>" + _svg_bars(per_inh, "alene", "sammen (30/70)", "kr") + "</section>"
    )
    return page, verdicts


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
            robust[label] = "<b>avhenger av forutsetningene</b> (ulikt på lav og høy ende)"
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
            f"{_nok(t['standalone_nok'])} MNOK hver for seg: {t['saving_share']:.0%} lavere. Med "
            "enhetskostnadene lave og høye fra kildene: "
            f"{_nok(sens.at['alle lave', 'dig_shared_nok'])}–"
            f"{_nok(sens.at['alle høye', 'dig_shared_nok'])} MNOK. Fordeling (Bird): "
            f"{html.escape(t['verdict'])}.</p>"
        )
        infra += _svg_bars(
            [
                (names[r.kommunenummer], r.dig_alone_nok / 1e6, r.dig_share_nok / 1e6)
                for r in dig.per_municipality.itertuples()
            ],
            "grave alene",
            "andel av felles nett",
            "MNOK",
        )
    except NettverkError as exc:
        dig, infra = (
            None,
            f"<p class='warn'>Felles graving kunne ikke beregnes: {html.escape(str(exc))}</p>",
        )
    page = (
        f"<section><h2>3. Infrastruktur</h2>{infra}<p "
        f"class='small'>{html.escape(SUBSIDY_REFERENCE)}</p>"
        "</section>"
    )
    return page, dig


def _form(areas, needs) -> str:
    """Section 4: the three best legal forms with their reasons for and against."""
    from nettverk.models.legal_forms import advise_legal_form

    adv = advise_legal_form(areas=list(areas), needs=list(needs))
    frows = [
        [
            str(r.rank),
            html.escape(r.navn),
            "<br>".join(html.escape(x) for x in r.reasons_for[:2]) or "–",
            "<br>".join(html.escape(x) for x in r.reasons_against[:2]) or "–",
        ]
        for r in adv.head(3).itertuples()
    ]
    return (
        "<section><h2>4. Juridisk form</h2>"
        + _table(frows, ["#", "Form", "For", "Mot"])
        + "</section>"
    )


#: The guide's pitfalls, named in section 5.
_PITFALLS = [
    "uklare mål",
    "svak forankring",
    "de berørte tas inn for sent",
    "svak bestillerkompetanse",
    "undervurderte kostnader",
]


def _coordinator(ds: Dataset, members: list[str], council_of: dict[str, list[str]]) -> str:
    """Who can coordinate: the council with the most of the group's members, named with how many
    of them it holds (only councils that have members in the group)."""
    names = ds.samarbeid.set_index("id")["navn"]
    count: dict[str, int] = {}
    for c in members:
        for cid in council_of.get(c, []):
            count[cid] = count.get(cid, 0) + 1
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
            "Forfase: behov, gevinster og grenser",
            "Gevinsten over er et anslag fra en kostnadsmodell med antakelser; hent egne tall for "
            "IKT-drift.",
        ),
        (
            "Forprosjekt: nøkkel og vinn-vinn",
            (
                "Avklar fordelingsnøkkelen tidlig: "
                + "; ".join(
                    f"{', '.join(v)} betaler mer enn alene med {lab}" for lab, v in losers.items()
                )
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
            "Gjennomføring",
            "Involver de berørte (IKT-ansatte, tjenesteledere) tidlig; sikr bestillerkompetanse.",
        ),
        ("Drift", "Følg opp kostnader mot anslaget; kostnader blir ofte undervurdert."),
    ]
    return (
        "<section><h2>5. Veien videre</h2><ul>"
        + "".join(f"<li>☐ <b>{html.escape(a)}</b>: {b}</li>" for a, b in todo)
        + "</ul><p>Forutsetninger (veilederen): vilje, ambisjon, forankring og planlegging. "
        "Fallgruver: " + ", ".join(_PITFALLS) + ".</p></section>"
    )
