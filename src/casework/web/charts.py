"""Weekly volume charts as inline SVG, drawn on the server (no chart library, no script).

Markup is built with `html.escape` on every label, because series names are topic
labels learnt from customers' words.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

PALETTE = ("#2f6db5", "#d92d20", "#079455", "#f79009", "#7a5af8", "#475467", "#0ba5ec")


def line_chart(
    title: str,
    weeks: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    marked: Sequence[str] = (),
    width: int = 560,
    height: int = 260,
) -> str:
    """One line per series over `weeks`; weeks in `marked` (alerts) get a shaded band."""
    esc = html.escape
    left, right, top, bottom = 36, 150, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for _, values in series for v in values] + [1])
    step = plot_w / max(len(weeks) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h - v / peak * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{esc(title)}" font-family="sans-serif" font-size="11">',
        f"<title>{esc(title)}</title>",
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{esc(title)}</text>',
    ]
    for i, week in enumerate(weeks):
        if week in marked:
            out.append(
                f'<rect class="alert-band" x="{x(i) - step / 2:.1f}" y="{top}" width="{step:.1f}" '
                f'height="{plot_h}" fill="#fee4e2"><title>alert: {esc(week)}</title></rect>'
            )
    out += [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, week in enumerate(weeks):
        if i % 2 == 0 or i == len(weeks) - 1:
            out.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
                f"{esc(week[-3:])}</text>"
            )
    for j, (name, values) in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        out.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
            f"<title>{esc(name)}</title></polyline>"
        )
        for i, v in enumerate(values):
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}">'
                f"<title>{esc(name)} · {esc(weeks[i])}: {v}</title></circle>"
            )
        ly = top + 12 + j * 16
        out.append(
            f'<rect x="{left + plot_w + 10}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
        )
        out.append(f'<text x="{left + plot_w + 24}" y="{ly}">{esc(name[:22])}</text>')
    out.append("</svg>")
    return "".join(out)
