"""The answer a citizen looks for, as the model decides it (issue 16, points 1–4): status counts always against every
commitment, each year's result of a yearly target on its own, what a promise without follow-ups says and whom to
ask, and every wording for something a document leaves out decided once, in the model, for every page and feed."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO

from medborgarlofte.build.content import load_site
from medborgarlofte.content.model import (
    NOT_STATED,
    RESPONSIBILITY_BY_KEY,
    Commitment,
    Rating,
    StatusSummary,
    Target,
    reported_so_far,
)
from medborgarlofte.content.schema import Contact, DateRange
from medborgarlofte.content.status import BY_KEY

DEMO = REPO / "examples" / "demo"
BUILD_DATE = date(2026, 11, 21)
TEMPLATES = REPO / "theme" / "templates"


@pytest.fixture(scope="module")
def demo():
    site, diagnostics = load_site(DEMO, BUILD_DATE)
    assert site is not None, [d.format() for d in diagnostics.items]
    return site


def kommun(site, slug: str):
    return next(k for k in site.kommuner if k.slug == slug)


# --- Counts against every commitment ---------------------------------------------------------------------------------


def statuses(*keys: str) -> list:
    return [BY_KEY[key] for key in keys]


@pytest.mark.parametrize(
    ("keys", "total", "label"),
    [
        (
            ("genomfört", "genomfört", "genomfört", "försenat", "ej bedömt", "ej bedömt"),
            None,
            "4 av 6 åtaganden bedömda: 3 genomförda, 1 försenat; 2 ej bedömda",
        ),
        (("pågår", "ej bedömt"), None, "1 av 2 åtaganden bedömt: 1 pågår; 1 ej bedömt"),
        (("genomfört",), None, "1 av 1 åtagande bedömt: 1 genomfört"),
        (("ej bedömt",) * 21, None, "21 åtaganden, inget bedömt"),
        (("ej bedömt",), None, "1 åtagande, inte bedömt"),
        # A follow-up that rated 2 of a promise's 6 commitments: never "… av 2 åtaganden".
        (("genomfört", "pågår"), 6, "2 av 6 åtaganden bedömda: 1 genomfört, 1 pågår"),
    ],
)
def test_counts_are_against_every_commitment(keys: tuple[str, ...], total: int | None, label: str) -> None:
    assert StatusSummary.of(statuses(*keys), total).label == label


def test_a_follow_ups_summary_counts_the_commitments_it_did_not_rate(demo) -> None:
    latest = kommun(demo, "exempelby").current.follow_ups[0]
    assert len(latest.ratings) == 2
    assert latest.status_summary.total == 6
    assert latest.status_summary.sentence == "2 av 6 åtaganden bedömda: 1 genomfört, 1 pågår."
    assert sum(c.share for c in latest.status_summary.counts) == pytest.approx(100 * 2 / 6, abs=0.05)


def test_the_split_by_ansvar_counts_each_part_against_its_own_commitments(demo) -> None:
    parts = {p.responsibility.name: p.summary.label for p in kommun(demo, "exempelby").current.responsibility_summaries}
    assert parts == {
        "Polisen": "2 av 2 åtaganden bedömda: 1 pågår, 1 försenat",
        "Kommunen": "1 av 1 åtagande bedömt: 1 genomfört",
        "Gemensamt": "2 av 2 åtaganden bedömda: 2 genomförda",
        "Anges inte": "1 åtagande, inte bedömt",
    }


# --- Each year's result --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("covers", "published", "so_far"),
    [
        ("Våren 2026", date(2026, 6, 15), True),
        (None, date(2026, 6, 15), True),
        (DateRange.model_validate({"från": date(2021, 7, 1), "till": date(2021, 11, 30)}), date(2021, 12, 15), True),
        (DateRange.model_validate({"från": date(2025, 1, 1), "till": date(2025, 12, 31)}), date(2025, 12, 15), False),
        ("2025", date(2025, 12, 15), False),
        ("2025–2026", date(2026, 6, 1), False),
        ("Hösten 2021", date(2022, 1, 20), False),
    ],
)
def test_a_result_is_the_count_so_far_until_its_year_is_over_or_avser_names_it_whole(
    covers, published: date, so_far: bool
) -> None:
    assert reported_so_far(covers, published) is so_far


def rating(outcome: float | None, years: str, so_far: bool, published: date) -> Rating:
    return Rating(BY_KEY["pågår"], outcome, None, None, [], published, "uppfoljning", years, so_far)


def test_a_yearly_target_shows_each_years_newest_result_oldest_first(demo) -> None:
    traffic = next(c for c in kommun(demo, "exempelby").current.commitments if c.id == "trafikkontroller")
    assert [r.label for r in traffic.results] == [
        "2025: 84 av minst 80 trafikkontroller, målet är nått",
        "2026 hittills: 42 av minst 80 trafikkontroller, 38 kvar till målet",
    ]
    # The newest report, which the open data gives, is still the progress.
    assert traffic.progress.outcome == 42


def test_a_target_that_is_not_yearly_shows_only_the_newest_result() -> None:
    target = Target("minst", 10, "möten", None)
    commitment = Commitment("m", "Möten.", RESPONSIBILITY_BY_KEY["kommunen"], None, target)
    commitment.history = [rating(7, "2026", True, date(2026, 6, 1)), rating(4, "2025", False, date(2025, 12, 1))]
    assert [r.label for r in commitment.results] == ["2026 hittills: 7 av minst 10 möten, 3 kvar till målet"]


def test_a_rating_without_a_number_leaves_the_years_result_to_the_one_before() -> None:
    target = Target("minst", 80, "kontroller", "år")
    commitment = Commitment("k", "Kontroller.", RESPONSIBILITY_BY_KEY["polisen"], None, target)
    commitment.history = [
        rating(None, "2026", True, date(2026, 9, 1)),
        rating(42, "2026", True, date(2026, 6, 1)),
        rating(31, "2026", True, date(2026, 3, 1)),
    ]
    assert [r.label for r in commitment.results] == ["2026 hittills: 42 av minst 80 kontroller, 38 kvar till målet"]


# --- A promise without follow-ups ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "slug", "said"),
    [
        (date(2021, 6, 1), "2021", "Ingen uppföljning har publicerats ännu."),
        (date(2022, 1, 1), "2021", "Perioden slutade 2021. Ingen uppföljning har publicerats."),
        (date(2024, 6, 1), "2025-2026", "Perioden börjar 2025. Ingen uppföljning har publicerats ännu."),
    ],
)
def test_silence_says_whether_the_period_has_ended(today: date, slug: str, said: str) -> None:
    site, _ = load_site(REPO, today)
    assert site is not None
    promise = next(p for p in kommun(site, "trollhattan").promises if p.slug == slug)
    assert promise.silence == said
    assert (
        promise.unrated_note
        == f"Inget av de {len(promise.commitments)} åtagandena har bedömts i någon publicerad uppföljning."
    )


def test_a_promise_with_follow_ups_has_no_silence_and_no_unrated_note(demo) -> None:
    current = kommun(demo, "exempelby").current
    assert current.silence is None and current.unrated_note is None


def test_a_promise_says_what_the_document_says_about_its_follow_up(demo) -> None:
    pahittebo = kommun(demo, "pahittebo")
    assert pahittebo.promises[0].follow_up_plan == "Enligt löftet: ”Följs upp en gång per år.”"
    assert pahittebo.promises[1].follow_up_plan == "Löftet säger inte hur eller när det ska följas upp."


@pytest.mark.parametrize(
    ("contact", "website", "lead", "text", "href"),
    [
        (
            {"e-post": "trygg@example.org", "url": "https://example.org/trygg"},
            "https://example.org",
            "Fråga Exempelby kommun hur arbetet har gått:",
            "trygg@example.org",
            "mailto:trygg@example.org",
        ),
        (
            {"url": "https://example.org/trygg", "besöksadress": "Torget 1"},
            "https://example.org",
            "Fråga Exempelby kommun hur arbetet har gått:",
            "https://example.org/trygg",
            "https://example.org/trygg",
        ),
        (
            {"besöksadress": "Torget 1"},
            "https://example.org",
            "Fråga Exempelby kommun hur arbetet har gått:",
            "https://example.org",
            "https://example.org",
        ),
        (
            {"namn": "Kontaktcenter", "besöksadress": "Torget 1", "öppettider": "vardagar 8–16"},
            None,
            "Fråga Exempelby kommun hur arbetet har gått:",
            "Kontaktcenter, Torget 1 (vardagar 8–16)",
            None,
        ),
        (
            None,
            None,
            "Webbplatsen har ingen kontaktuppgift till Exempelby kommun. Fråga webbplatsens redaktion:",
            "info@example.org",
            "mailto:info@example.org",
        ),
    ],
    ids=["e-post", "url", "webbplats", "besöksadress", "webbplatsens"],
)
def test_whom_to_ask_is_the_kommuns_contact_else_its_website_else_the_sites(
    demo, contact: dict | None, website: str | None, lead: str, text: str, href: str | None
) -> None:
    exempelby = dataclasses.replace(
        kommun(demo, "exempelby"), contact=Contact.model_validate(contact) if contact else None, website=website
    )
    ask = demo.ask(exempelby)
    assert (ask.lead, ask.text, ask.href) == (lead, text, href)


# --- One wording for each missing fact -----------------------------------------------------------------------------


def test_templates_take_the_wordings_for_missing_facts_from_the_model() -> None:
    """ "anges inte" in four wordings across templates was the problem: none of them writes it now, and none looks
    the status page up by its slug (the model's `status_page` does)."""
    for template in sorted(TEMPLATES.glob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        assert "anges inte" not in text, template.name
        assert "publicerad ännu" not in text, template.name
        assert "site.page('sa-bedomer-vi')" not in text, template.name


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from medborgarlofte.cli import main

    out = tmp_path_factory.mktemp("svar") / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795219200")  # 2026-11-21
        assert main(["build", "--no-pdf", "--content", str(DEMO), "--out", str(out)]) == 0
    return out


def test_an_outcome_reads_the_same_on_the_page_and_in_the_feed(demo, demo_site: Path) -> None:
    """ "utfall 84 av minst 80 trafikkontroller" with its comparison, in the history, the follow-up's list and the
    feed alike (the feed used to write its own, without "minst")."""
    december = kommun(demo, "exempelby").current.follow_ups[1]
    label = next(r.rating for r in december.ratings if r.commitment.id == "trafikkontroller").outcome_label
    assert label == "84 av minst 80 trafikkontroller"
    page = (demo_site / "exempelby" / "2025-2026" / "index.html").read_text(encoding="utf-8")
    feed = (demo_site / "exempelby" / "feed.xml").read_text(encoding="utf-8")
    assert page.count(f"utfall {label}") == 2  # the commitment's history and the follow-up's list
    assert f"utfall {label}" in feed


def test_the_period_reads_the_same_everywhere_the_document_leaves_it_out(cli, content: Path, tmp_path: Path) -> None:
    promise = content / "kommuner" / "trollhattan" / "2021" / "medborgarlofte.md"
    promise.write_text(promise.read_text(encoding="utf-8").replace("period: 2021", "period: anges inte"), "utf-8")
    out = tmp_path / "ut"
    assert cli("build", "--no-pdf", "--content", content, "--out", out).code == 0
    for page in ("trollhattan/2021/index.html", "trollhattan/index.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert f"<dt>Period:</dt> <dd>{NOT_STATED}</dd>" in text, page
        assert f"Period: {NOT_STATED} ·" in text, page
    assert f"Period: {NOT_STATED}." in (out / "trollhattan" / "feed.xml").read_text(encoding="utf-8")
    assert f"medborgarlöfte (period {NOT_STATED})," in (out / "index.html").read_text(encoding="utf-8")
