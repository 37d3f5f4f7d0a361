"""Article dedup (exact and near copies) and root events across articles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from test_store import STORY_A, story_a, story_b
from tidings.model import ArticleResult
from tidings.store import Store, dedup

LONG = (
    "Government troops and rebel fighters clashed on Sunday near the northern town of Kidal, "
    "killing at least twelve people, according to local officials who spoke on condition of "
    "anonymity. The army said its patrol came under fire from several vehicles before it "
    "returned fire and pushed the attackers back toward the desert. A spokesman for the rebel "
    "coalition accused the army of shelling civilian homes and called on the United Nations "
    "mission to investigate. The fighting is the worst in the region since the peace agreement "
    "was signed three years ago, and residents said hundreds of families had fled toward the "
    "border with Algeria. Aid agencies warned that food and water were running short in camps "
    "that already hold thousands of displaced people. ")
OTHER = (
    "The central bank raised its benchmark interest rate by half a point on Thursday, citing "
    "persistent inflation in food and energy prices, and signalled that further increases were "
    "likely before the end of the year. Analysts had expected a smaller move. Shares in "
    "domestic lenders rose while the currency strengthened against the dollar in afternoon "
    "trading, and bond yields climbed to their highest level in a decade. ")


def test_minhash_estimates_jaccard() -> None:
    rng = np.random.default_rng(0)
    words = LONG.split()
    for _ in range(5):
        edited = list(words)
        for i in rng.choice(len(words), size=8, replace=False):
            edited[i] = "changed"
        text = " ".join(edited)
        true = dedup.jaccard(LONG, text)
        est = dedup.similarity(dedup.minhash(LONG), dedup.minhash(text))
        assert abs(est - true) < 0.15
    assert dedup.similarity(dedup.minhash(LONG), dedup.minhash(OTHER)) < 0.1
    assert dedup.text_hash("a  b\nc") == dedup.text_hash("a b c")


def _plain(article_id: str, text: str, url: str) -> ArticleResult:
    res = story_a(article_id, url=url)
    res.article.text = text
    res.events, res.quotes, res.sentences = [], [], []
    return res


def test_exact_and_near_copies_link_to_original(tmp_path: Path) -> None:
    near = LONG.replace("at least twelve people", "at least 14 people").replace(
        "Aid agencies warned", "Relief groups warned") + "This story has been updated."
    assert dedup.jaccard(LONG, near) > 0.8
    with Store(tmp_path / "d.duckdb") as st:
        st.write_batch([_plain("orig", LONG, "https://a.example/1"),
                        _plain("copy", LONG, "https://b.example/1")])
        st.write_batch([_plain("near", near, "https://c.example/1"),
                        _plain("other", OTHER, "https://d.example/1")])
        arts = st.articles().set_index("article_id")
    assert arts.loc["copy", "duplicate_of"] == "orig"
    assert arts.loc["copy", "duplicate_kind"] == "exact"
    assert arts.loc["near", "duplicate_of"] == "orig"
    assert arts.loc["near", "duplicate_kind"] == "near"
    assert arts.loc["near", "similarity"] >= 0.8
    assert pd.isna(arts.loc["orig", "duplicate_of"])
    assert pd.isna(arts.loc["other", "duplicate_of"])


def test_events_from_copies_are_mentions_not_roots(tmp_path: Path) -> None:
    with Store(tmp_path / "r.duckdb") as st:
        st.write_batch([story_a("a1", url="https://one.example/x")])
        roots_before = st.stats()["totals"]["root_events"]
        # A republished copy on another site, with one event coded differently.
        copy = story_a("a2", url="https://two.example/y")
        copy.events[2].cameo.code = "190"
        copy.events[2].date.start = "2024-03-01"  # type: ignore[union-attr]
        st.write_batch([copy, story_b("b1")])
        arts = st.articles().set_index("article_id")
        assert arts.loc["a2", "duplicate_of"] == "a1"
        totals = st.stats()["totals"]
        # story_b adds 2 roots; the copy adds none although one of its events has a new date.
        assert totals["root_events"] == roots_before + 2
        one = st.events(one_a_day=True, actor="USA").set_index("cameo_code")
        assert one.loc["040", "num_mentions"] == 2
        assert one.loc["040", "num_articles"] == 2
        assert one.loc["040", "num_sources"] == 2
        assert one.loc["042", "num_mentions"] == 1
        # Every mention is still there with its own provenance.
        assert len(st.events(actor="USA", source="USAGOV", cameo="040")) == 2


def test_same_event_in_unrelated_articles_aggregates(tmp_path: Path) -> None:
    """Different stories reporting the same (date, dyad, CAMEO) share one root."""
    with Store(tmp_path / "s.duckdb") as st:
        st.write_batch([story_a("a1"), story_b("b1")])
        other = story_a("a3", text=STORY_A + " " + OTHER, date=dt.date(2024, 3, 2))
        st.write_batch([other])
        arts = st.articles().set_index("article_id")
        assert pd.isna(arts.loc["a3", "duplicate_of"])
        roots = st.roots(as_="pandas").set_index("cameo_code")
        assert roots.loc["190", "num_articles"] == 2
        assert roots.loc["190", "num_mentions"] == 2
        assert bool(roots.loc["040", "is_root_event"])


@pytest.mark.parametrize("threshold", [0.95])
def test_threshold_is_respected(tmp_path: Path, threshold: float) -> None:
    near = LONG.replace("Sunday", "Saturday").replace("twelve", "ten").replace(
        "hundreds", "dozens").replace("thousands", "many")
    sim = dedup.jaccard(LONG, near)
    assert sim < threshold
    with Store(tmp_path / "t.duckdb", near_threshold=threshold) as st:
        st.write_batch([_plain("x1", LONG, "https://a.example/1"),
                        _plain("x2", near, "https://b.example/1")])
        arts = st.articles().set_index("article_id")
    assert arts.loc["x2", "duplicate_kind"] != "near"
