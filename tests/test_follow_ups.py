"""Derived views of follow-ups on the fictional example content: latest status, counts, progress and the timeline;
and the honesty rules for the real kommuner, which have no published follow-ups."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO

from medborgarlofte.build.content import load_site

DEMO = REPO / "examples" / "demo"
BUILD_DATE = date(2026, 11, 21)


@pytest.fixture(scope="module")
def demo():
    site, diagnostics = load_site(DEMO, BUILD_DATE)
    assert site is not None, [d.format() for d in diagnostics.items]
    return site


@pytest.fixture(scope="module")
def exempelby(demo):
    return next(k for k in demo.kommuner if k.slug == "exempelby")


def commitment(promise, commitment_id: str):
    return next(c for c in promise.commitments if c.id == commitment_id)


def test_latest_status_is_the_newest_follow_up_that_rated_the_commitment(exempelby) -> None:
    promise = exempelby.current
    assert [f.published for f in promise.follow_ups] == [date(2026, 6, 15), date(2025, 12, 15), date(2025, 6, 16)]
    belysning = commitment(promise, "belysning")
    assert belysning.status.key == "genomfört"
    assert belysning.latest.published == date(2026, 6, 15)
    # Not rated in June 2026: keeps its December 2025 status.
    skolbesok = commitment(promise, "skolbesok")
    assert (skolbesok.status.key, skolbesok.latest.published) == ("försenat", date(2025, 12, 15))
    assert commitment(promise, "grannsamverkan").status.key == "ej bedömt"
    assert commitment(promise, "grannsamverkan").latest is None


def test_history_is_newest_first_with_every_rating(exempelby) -> None:
    trafik = commitment(exempelby.current, "trafikkontroller")
    assert [(r.published, r.status.key, r.outcome) for r in trafik.history] == [
        (date(2026, 6, 15), "pågår", 42),
        (date(2025, 12, 15), "genomfört", 84),
        (date(2025, 6, 16), "pågår", 31),
    ]
    assert trafik.history[2].sources[0].title == "Polisens lägesbild (påhittad)"


def test_progress_reads_as_text_and_caps_the_bar_not_the_number(exempelby) -> None:
    promise = exempelby.current
    traffic = commitment(promise, "trafikkontroller")
    assert traffic.progress.label == "2026 hittills: 42 av minst 80 trafikkontroller, 38 kvar till målet"
    assert commitment(promise, "skolbesok").progress.label == "2025: 7 av minst 10 skolbesök, 3 kvar till målet"
    assert commitment(promise, "foraldramoten").progress is None
    december = promise.follow_ups[1]
    over = next(r for r in december.ratings if r.commitment.id == "trafikkontroller").rating
    assert over.outcome == 84  # above the target of 80: the text says 84, a bar stops at 80
    assert traffic.outcome_label(over.outcome) == "84 av minst 80 trafikkontroller"
    assert traffic.target.verdict(over.outcome) == "målet är nått"


def test_summary_counts_in_swedish(exempelby, demo) -> None:
    summary = exempelby.current.status_summary
    assert summary.label == "5 av 6 åtaganden bedömda: 3 genomförda, 1 pågår, 1 försenat; 1 ej bedömt"
    assert sum(c.share for c in summary.counts) == pytest.approx(100, abs=0.05)
    pahittebo = next(k for k in demo.kommuner if k.slug == "pahittebo")
    assert pahittebo.promises[1].status_summary.label == "2 av 2 åtaganden bedömda: 1 genomfört, 1 ej genomfört"
    assert pahittebo.promises[0].status_summary.label == "2 åtaganden, inget bedömt"


def test_timeline_is_newest_first_with_every_event(exempelby) -> None:
    events = [(e.day, e.kind, e.date_label, e.upcoming) for e in exempelby.timeline]
    assert events == [
        (date(2026, 12, 31), "period-slut", "2026", True),
        (date(2026, 6, 15), "uppföljning", "15 juni 2026", False),
        (date(2025, 12, 15), "uppföljning", "15 december 2025", False),
        (date(2025, 6, 16), "uppföljning", "16 juni 2025", False),
        (date(2025, 2, 10), "undertecknat", "10 februari 2025", False),
        (date(2025, 1, 1), "period-start", "2025", False),
    ]


def test_start_page_views_exclude_fictional_from_the_national_count(demo) -> None:
    assert demo.published == []
    assert demo.has_fictional
    assert [(f.promise.kommun.slug, f.published) for f in demo.latest_follow_ups][:2] == [
        ("exempelby", date(2026, 6, 15)),
        ("exempelby", date(2025, 12, 15)),
    ]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    from medborgarlofte.cli import main

    out = tmp_path_factory.mktemp("demo") / "_site"
    assert main(["build", "--content", str(DEMO), "--out", str(out)]) == 0
    return out


def test_demo_pages_show_statuses_progress_and_timeline(demo_site: Path) -> None:
    kommun = (demo_site / "exempelby" / "index.html").read_text()
    assert "5 av 6 åtaganden bedömda: 3 genomförda, 1 pågår, 1 försenat; 1 ej bedömt." in kommun
    assert "2026 hittills: 42 av minst 80 trafikkontroller, 38 kvar till målet" in kommun
    assert '<progress max="80" value="42.0" aria-labelledby="2025-2026-trafikkontroller-framsteg">' in kommun
    assert '<ol class="timeline">' in kommun
    promise = (demo_site / "exempelby" / "2025-2026" / "index.html").read_text()
    assert 'id="uppfoljning-2025-12"' in promise
    assert "Tre besök flyttades till januari på grund av sjukdom." in promise
    start = (demo_site / "index.html").read_text()
    assert "Senaste uppföljningarna" in start
    assert "medborgarlöfte 2025–2026, 5 av 6 bedömda" in start
    # The latest follow-up rated 2 of the 6 commitments: counted against all 6, not as "… av 2 åtaganden".
    assert "2 av 6 åtaganden bedömda: 1 genomfört, 1 pågår." in start
    assert "1 pågår av 2 åtaganden" not in start


def test_every_demo_page_says_it_is_fictional(demo_site: Path) -> None:
    pages = list(demo_site.rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        assert "påhittade kommuner" in page.read_text(), page


@pytest.mark.parametrize(
    ("kommun", "promise", "due"),
    [
        ("trollhattan", "2021", "senast första kvartalet 2022"),
        ("trollhattan", "2025-2026", "två gånger per år"),
        ("stromstad", "2023-2024", "årligen redovisas offentligt"),
        ("ostersund", "medborgarlofte", "två gånger per år"),
    ],
)
def test_real_promises_have_no_invented_follow_ups(shipped_site: Path, kommun: str, promise: str, due: str) -> None:
    assert not (REPO / "kommuner" / kommun / promise / "uppfoljningar").exists()
    html = (shipped_site / kommun / promise / "index.html").read_text()
    said = re.search(r'<p class="silence"><strong>([^<]*)</strong></p>', html)
    assert said, "the page does not say that no follow-up is published"
    assert said[1].endswith(("Ingen uppföljning har publicerats.", "Ingen uppföljning har publicerats ännu."))
    assert due in html.split(said[0])[1]
    assert "Påhittat" not in html and "påhittade" not in html


@pytest.mark.parametrize(
    ("today", "said"),
    [
        (date(2021, 6, 1), "Ingen uppföljning har publicerats ännu."),
        (date(2022, 1, 1), "Perioden slutade 2021. Ingen uppföljning har publicerats."),
    ],
)
def test_silence_after_the_period_says_that_it_has_ended(today: date, said: str) -> None:
    """ "Not yet" is only said while the promise is in force; after its period, that the period ended."""
    site, _ = load_site(REPO, today)
    assert site is not None
    trollhattan = next(k for k in site.kommuner if k.slug == "trollhattan")
    assert next(p for p in trollhattan.promises if p.slug == "2021").silence == said


def test_vaggeryd_says_when_no_follow_up_date_is_given(shipped_site: Path) -> None:
    html = (shipped_site / "vaggeryd" / "medborgarlofte" / "index.html").read_text()
    assert "<p>Löftet säger inte hur eller när det ska följas upp.</p>" in html


def test_a_fictional_kommun_may_not_borrow_a_real_code_or_name(cli, content: Path) -> None:
    kommun = content / "kommuner" / "trollhattan" / "kommun.yaml"
    kommun.write_text(kommun.read_text() + "fiktiv: true\n", encoding="utf-8")
    result = cli("check", "--content", content)
    assert result.code == 1
    assert (
        "kommuner/trollhattan/kommun.yaml:5:9: fel: En påhittad kommun får inte ha en riktig kommuns namn eller kod"
        in result.err
    )


def test_status_page_defines_every_status(shipped_site: Path) -> None:
    from medborgarlofte.content.status import STATUSES

    html = (shipped_site / "sa-bedomer-vi" / "index.html").read_text()
    for status in STATUSES:
        assert f"<h3>{status.label}</h3>" in html
        assert f'"status status-{status.css} ikon-{status.icon}"' in html


def test_schema_statuses_match_the_status_table() -> None:
    from typing import get_args

    from medborgarlofte.content.schema import RatingStatus
    from medborgarlofte.content.status import NOT_RATED, STATUSES

    assert set(get_args(RatingStatus)) | {NOT_RATED.key} == {s.key for s in STATUSES}


def test_who_promises_is_the_organisation_else_the_kommuns_official_name(demo) -> None:
    by_slug = {k.slug: k for k in demo.kommuner}
    assert by_slug["exempelby"].parties == "Exempelby kommun och lokalpolisområde Exempeldalen"
    assert by_slug["pahittebo"].organisation is None
    assert by_slug["pahittebo"].authority == "Påhittebo kommun"
    assert by_slug["pahittebo"].parties == "Påhittebo kommun och lokalpolisområde Exempeldalen"
