"""Input counted four ways (per recommendation, kind, district, disposition) for bar charts.

Pure data: templates draw each chart as server-rendered SVG (attributes and classes, no inline
styles, no script) with the same numbers in a table beside it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..models import DispositionKind, Recommendation
from .input_report import INPUT_KIND, NONE, ORGANISATION, RESIDENT, InputRow
from .ledger import DISPOSITION_KIND


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # of the chart's largest bar, 0..1 (the bar's length)
    css: str = ""  # a class for the bar's colour


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]
    data_labels: bool = False  # labels are stored text (Danish), not the portal's own words

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)


def _chart(
    key: str, title: str, counts: list[tuple[str, int, str]], data_labels: bool = False
) -> Chart:
    top = max((n for _, n, _ in counts), default=0)
    return Chart(
        key,
        title,
        [Bar(label, n, (n / top) if top else 0.0, css) for label, n, css in counts],
        data_labels,
    )


def input_charts(rows: list[InputRow], recs: list[Recommendation]) -> list[Chart]:
    """The four charts of the given input rows; a chart with nothing to show is left out."""
    by_rec = Counter(r.recommendation_id for r in rows)
    rec_counts = [(f"{rec.number}. {rec.title}", by_rec.get(rec.id, 0), "") for rec in recs]
    if by_rec.get(None):
        rec_counts.append((str(_l("Hele udkastet")), by_rec[None], ""))
    kinds = Counter(RESIDENT if r.ref.kind == "comment" else ORGANISATION for r in rows)
    kind_counts = [(str(INPUT_KIND[k]), kinds.get(k, 0), f"bar-{k}") for k in INPUT_KIND]
    districts = Counter(r.district for r in rows if r.district)
    district_counts = [(d, n, "") for d, n in sorted(districts.items())]
    # Hidden input without a disposition is the moderator's, not "waiting for an answer".
    dispositions = Counter(
        r.disposition.value if r.disposition else NONE
        for r in rows
        if r.disposition or not r.hidden
    )
    disposition_counts = [
        (str(DISPOSITION_KIND[k]), dispositions.get(k.value, 0), f"bar-{k.value}")
        for k in DispositionKind
    ] + [(str(_l("Ikke besvaret endnu")), dispositions.get(NONE, 0), "bar-none")]
    charts = [
        _chart("recommendation", str(_l("Input pr. anbefaling")), rec_counts, True),
        _chart("kind", str(_l("Input fra borgere og organisationer")), kind_counts),
        _chart("district", str(_l("Input pr. bydel")), district_counts, True),
        _chart("disposition", str(_l("Hvad der skete med inputtet")), disposition_counts),
    ]
    return [c for c in charts if c.bars and c.total]
