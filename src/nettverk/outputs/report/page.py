"""The report's page: its style sheet, tables, numbers and inline SVG (a map, bars)."""

from __future__ import annotations

import html
import math

import shapely

from nettverk.data.columns import number_text
from nettverk.data.dataset import Dataset


_CSS = """
@page { size: A4; margin: 12mm 14mm; }
body { font: 9.5pt/1.35 "DejaVu Sans", Arial, sans-serif; color: #111; max-width: 182mm;
margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 1.5mm; }
h2 { font-size: 11.5pt; margin: 3.5mm 0 1.5mm; border-bottom: 1px solid #999; }
h3 { font-size: 10pt; margin: 3mm 0 1mm; }
table { border-collapse: collapse; width: 100%; margin: 1.5mm 0; font-size: 8.5pt; }
th, td { border: 1px solid #bbb; padding: 0.6mm 1.5mm; text-align: left; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; } th { background: #e8eef6; }
.lead { color: #333; margin: 0 0 2mm; } .small { font-size: 8pt; color: #555; }
.ok { color: #1a7f37; } .warn { color: #b42318; }
.box { border: 1px solid #2171b5; background: #f3f8fd; padding: 1.5mm 3mm; margin: 2mm 0; }
.two { display: grid; grid-template-columns: 52% 48%; gap: 3mm; align-items: start; }
svg { display: block; margin: 1mm auto; max-width: 100%; height: auto; }
section { break-inside: auto; } h2, h3 { break-after: avoid; } tr, li { break-inside: avoid; }
section.vedlegg { break-before: page; }
ul, ol { margin: 1mm 0 1mm 4mm; padding-left: 3mm; } p { margin: 1mm 0; }
ul.check { list-style: none; padding-left: 0; margin-left: 0; }
ul.check li::before { content: "\\2610\\00a0"; }
ol.vedtak li { margin-bottom: 1mm; }
@media screen { body { margin: 8mm auto; } }
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
    pad = 0.12 * max(x1 - x0, y1 - y0, 20_000)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    # widen the short side so the box has the picture's shape: the group centred, nothing cut
    want = width / height
    if (x1 - x0) / (y1 - y0) < want:
        grow = ((y1 - y0) * want - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) / want - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    box = shapely.box(x0, y0, x1, y1)
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
