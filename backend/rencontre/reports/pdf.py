"""The end-of-event report as a PDF with charts, in French or English, for sponsors.

Drawn with reportlab, like the badges, and with the badges' fonts (DejaVu Sans, or the
Vera shipped in reportlab's wheel), so accents print on a clean machine. Charts come
from ``reportlab.graphics``: no other chart library on the server. Only the report's
figures are printed: counts, never a name, a note or a pair of people.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Literal

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from rencontre.badges.fonts import badge_fonts
from rencontre.reports.schemas import EventReport, GroupedConnections

Language = Literal["fr", "en"]
ACCENT = colors.HexColor("#1f5f8b")
MUTED = colors.HexColor("#5b6570")

TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "title": "End-of-event report",
        "generated": "Generated on {when} ({zone})",
        "totals": "Totals",
        "total.connections": "Connections recorded",
        "total.unique_pairs": "Pairs of people who met",
        "total.mutual_connections": "Mutual connections",
        "total.attendees": "Attendees",
        "total.joined": "Attendees who joined",
        "total.attendees_who_scanned": "Attendees who scanned",
        "total.arrived": "At the venue",
        "total.introduced": "Introduced by staff",
        "follow_up": "Follow-up",
        "follow_up.contacts": "Contacts",
        "follow_up.followed_up": "Followed up",
        "follow_up.followed_up_within_48h": "Followed up within 48 h",
        "follow_up.next_steps_agreed": "Next steps agreed",
        "distribution": "Connections per attendee",
        "distribution.people": "Distinct people met",
        "distribution.attendees": "Attendees",
        "peaks": "Busiest periods",
        "peaks.empty": "No connection yet.",
        "peaks.when": "Period",
        "peaks.connections": "Connections",
        "by_objective": "Connections by objective",
        "by_interest": "Connections by interest",
        "group.label": "Group",
        "group.attendees": "Attendees",
        "group.connections": "Connections",
        "group.other": "Other (smaller groups)",
        "group.empty": "No group large enough to show.",
        "group.note": "Groups of fewer than {n} attendees are folded into “Other”.",
        "privacy": "Counts only: no name, no note, never who met whom.",
        "objective.partnership": "Partnership",
        "objective.inspiration": "Inspiration",
        "objective.visibility": "Visibility",
        "objective.hiring": "Hiring",
        "objective.learning": "Learning",
        "objective.clients": "Finding clients",
        "objective.other": "Other",
        # Who-to-meet
        "who_to_meet": "Who to meet",
        "who_to_meet.opted_in": "In the directory (of {attendees} attendees)",
        "who_to_meet.requests_sent": "“I’d like to meet you” requests sent",
        "who_to_meet.matches": "Matches (both wanted to meet)",
        "who_to_meet.matches_met": "Matches that became a scan",
    },
    "fr": {
        "title": "Bilan de l’événement",
        "generated": "Généré le {when} ({zone})",
        "totals": "Chiffres clés",
        "total.connections": "Connexions enregistrées",
        "total.unique_pairs": "Paires de personnes rencontrées",
        "total.mutual_connections": "Connexions mutuelles",
        "total.attendees": "Participants",
        "total.joined": "Participants inscrits sur l’app",
        "total.attendees_who_scanned": "Participants ayant scanné",
        "total.arrived": "Venus sur place",
        "total.introduced": "Présentés par l’équipe",
        "follow_up": "Suivi",
        "follow_up.contacts": "Contacts",
        "follow_up.followed_up": "Relancés",
        "follow_up.followed_up_within_48h": "Relancés sous 48 h",
        "follow_up.next_steps_agreed": "Prochaines étapes convenues",
        "distribution": "Connexions par participant",
        "distribution.people": "Personnes distinctes rencontrées",
        "distribution.attendees": "Participants",
        "peaks": "Moments les plus actifs",
        "peaks.empty": "Aucune connexion pour l’instant.",
        "peaks.when": "Période",
        "peaks.connections": "Connexions",
        "by_objective": "Connexions par objectif",
        "by_interest": "Connexions par centre d’intérêt",
        "group.label": "Groupe",
        "group.attendees": "Participants",
        "group.connections": "Connexions",
        "group.other": "Autres (petits groupes)",
        "group.empty": "Aucun groupe assez grand pour être montré.",
        "group.note": "Les groupes de moins de {n} participants sont regroupés dans « Autres ».",
        "privacy": "Des comptes seulement : aucun nom, aucune note, jamais qui a rencontré qui.",
        "objective.partnership": "Partenariat",
        "objective.inspiration": "Inspiration",
        "objective.visibility": "Visibilité",
        "objective.hiring": "Recrutement",
        "objective.learning": "Apprentissage",
        "objective.clients": "Trouver des clients",
        "objective.other": "Autre",
        # Who-to-meet
        "who_to_meet": "Qui rencontrer",
        "who_to_meet.opted_in": "Dans l’annuaire (sur {attendees} participants)",
        "who_to_meet.requests_sent": "Demandes « J’aimerais vous rencontrer » envoyées",
        "who_to_meet.matches": "Rencontres souhaitées des deux côtés",
        "who_to_meet.matches_met": "… suivies d’un scan",
    },
}
CHART_GROUPS = 15
LABEL_CHARS = 30
TOTALS = (
    "connections",
    "unique_pairs",
    "mutual_connections",
    "attendees",
    "joined",
    "arrived",
    "attendees_who_scanned",
    "introduced",
)


@cache
def _fonts() -> tuple[str, str]:
    """Register the badges' regular and bold faces with reportlab once per process."""
    fonts = badge_fonts()
    names = []
    for face in (fonts.regular.primary, fonts.bold.primary):
        name = f"Report-{face.name}"
        pdfmetrics.registerFont(TTFont(name, str(face.path)))
        names.append(name)
    return names[0], names[1]


class _Styles:
    def __init__(self) -> None:
        regular, bold = _fonts()
        self.regular, self.bold = regular, bold
        self.title = ParagraphStyle("title", fontName=bold, fontSize=20, leading=24, textColor=ACCENT)
        self.subtitle = ParagraphStyle("subtitle", fontName=bold, fontSize=13, leading=17)
        self.heading = ParagraphStyle(
            "heading", fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4, textColor=ACCENT
        )
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12)
        self.muted = ParagraphStyle("muted", parent=self.body, textColor=MUTED, fontSize=8.5, leading=11)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: list[list[str]], widths: list[float], styles: _Styles, *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    first = 1 if header else 0
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), styles.regular),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("LINEABOVE" if not header else "LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
        ("ROWBACKGROUNDS", (0, first), (-1, -1), [colors.white, colors.HexColor("#f1f4f7")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("FONTNAME", (0, 0), (-1, 0), styles.bold))
    table.setStyle(TableStyle(commands))
    return table


def _bars(labels: list[str], values: list[int], styles: _Styles, *, horizontal: bool) -> Drawing:
    width, height = 170 * mm, ((14 + 8 * len(labels)) * mm if horizontal else 55 * mm)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (55 * mm, 8 * mm) if horizontal else (12 * mm, 10 * mm)
    chart.width = width - chart.x - 10 * mm
    chart.height = height - chart.y - 4 * mm
    chart.data = [values]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1, *values) * 1.1 if values else 1
    chart.valueAxis.labels.fontName = styles.regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dde3e8")
    # Whole counts only: a fraction of a person is no tick mark.
    chart.valueAxis.labelTextFormat = lambda value: f"{value:.0f}" if float(value).is_integer() else ""
    # A chart label has 55 mm at most; the table beside it keeps the whole name.
    chart.categoryAxis.categoryNames = [
        label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…" for label in labels
    ]
    chart.categoryAxis.labels.fontName = styles.regular
    chart.categoryAxis.labels.fontSize = 7.5
    if horizontal:
        chart.categoryAxis.reverseDirection = True
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -3
    drawing.add(chart)
    return drawing


def _grouped(
    grouped: GroupedConnections, title: str, words: dict[str, str], styles: _Styles, *, objective: bool
) -> list[Flowable]:
    def label(code: str) -> str:
        return words.get(f"objective.{code}", code) if objective else code

    groups = [(label(g.label), g) for g in grouped.groups]
    if grouped.other is not None:
        groups.append((words["group.other"], grouped.other))
    parts: list[Flowable] = [Paragraph(_escape(title), styles.heading)]
    if not groups:
        parts.append(Paragraph(_escape(words["group.empty"]), styles.body))
    else:
        rows = [[words["group.label"], words["group.attendees"], words["group.connections"]]]
        rows += [[name, str(g.attendees), str(g.connections)] for name, g in groups]
        parts += [
            _table(rows, [90 * mm, 35 * mm, 35 * mm], styles),
            Spacer(1, 3 * mm),
            # The table lists every group; the chart the largest, so that it fits on a page.
            _bars(
                [name for name, _ in groups[:CHART_GROUPS]],
                [g.connections for _, g in groups[:CHART_GROUPS]],
                styles,
                horizontal=True,
            ),
        ]
    parts.append(Paragraph(_escape(words["group.note"].format(n=grouped.min_group_size)), styles.muted))
    return [KeepTogether(parts)]


def report_pdf(report: EventReport, language: Language) -> bytes:
    words = TEXT[language]
    styles = _Styles()
    when = report.generated_at_local.strftime("%d/%m/%Y %H:%M" if language == "fr" else "%Y-%m-%d %H:%M")
    story: list[Flowable] = [
        Paragraph(_escape(words["title"]), styles.title),
        Paragraph(_escape(report.event_name), styles.subtitle),
        Paragraph(_escape(words["generated"].format(when=when, zone=report.timezone)), styles.muted),
        Paragraph(_escape(words["totals"]), styles.heading),
    ]
    totals = report.totals.model_dump()
    story.append(
        _table(
            [[words[f"total.{k}"], str(totals[k])] for k in TOTALS], [110 * mm, 30 * mm], styles, header=False
        )
    )

    follow_up = report.follow_up.model_dump()
    story.append(Paragraph(_escape(words["follow_up"]), styles.heading))
    story.append(
        _table(
            [
                [words[f"follow_up.{k}"], str(follow_up[k])]
                for k in ("contacts", "followed_up", "followed_up_within_48h", "next_steps_agreed")
            ],
            [110 * mm, 30 * mm],
            styles,
            header=False,
        )
    )

    distribution = [
        Paragraph(_escape(words["distribution"]), styles.heading),
        _table(
            [[words["distribution.people"], words["distribution.attendees"]]]
            + [[b.label, str(b.attendees)] for b in report.distribution],
            [110 * mm, 30 * mm],
            styles,
        ),
        Spacer(1, 3 * mm),
        _bars(
            [b.label for b in report.distribution],
            [b.attendees for b in report.distribution],
            styles,
            horizontal=False,
        ),
    ]
    story.append(KeepTogether(distribution))

    peaks: list[Flowable] = [Paragraph(_escape(words["peaks"]), styles.heading)]
    if report.peaks:
        date = "%d/%m/%Y" if language == "fr" else "%Y-%m-%d"
        peaks.append(
            _table(
                [[words["peaks.when"], words["peaks.connections"]]]
                + [
                    [
                        f"{p.starts_at_local.strftime(date)} {p.starts_at_local:%H:%M}"
                        f"–{p.ends_at_local:%H:%M}",
                        str(p.connections),
                    ]
                    for p in report.peaks
                ],
                [110 * mm, 30 * mm],
                styles,
            )
        )
    else:
        peaks.append(Paragraph(_escape(words["peaks.empty"]), styles.body))
    story.append(KeepTogether(peaks))
    story += _grouped(report.by_objective, words["by_objective"], words, styles, objective=True)
    story += _grouped(report.by_interest, words["by_interest"], words, styles, objective=False)
    if report.who_to_meet is not None:
        figures = report.who_to_meet
        opted_in = words["who_to_meet.opted_in"].format(attendees=figures.attendees)
        story.append(Paragraph(_escape(words["who_to_meet"]), styles.heading))
        story.append(
            _table(
                [
                    [opted_in, str(figures.opted_in)],
                    [words["who_to_meet.requests_sent"], str(figures.requests_sent)],
                    [words["who_to_meet.matches"], str(figures.matches)],
                    [words["who_to_meet.matches_met"], str(figures.matches_met)],
                ],
                [110 * mm, 30 * mm],
                styles,
                header=False,
            )
        )
    story += [Spacer(1, 4 * mm), Paragraph(_escape(words["privacy"]), styles.muted)]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{words['title']} — {report.event_name}",
        author="Rencontre",
        lang=language,
    )
    document.build(story)
    return buffer.getvalue()
