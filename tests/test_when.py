"""Time expressions (tidings.when): detection, normalisation, tense, ranges, event dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from spacy.language import Language

from tidings.model import Time
from tidings.nlp import load_nlp
from tidings.when import event_date, find_times

REPORT = dt.date(2023, 6, 13)  # a Tuesday
GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gold" / \
    "meantime_dates.dev.jsonl"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def times(nlp: Language, text: str, report: dt.date | None = REPORT) -> list[Time]:
    return find_times(nlp(text), report)


def one(nlp: Language, text: str, phrase: str, report: dt.date | None = REPORT) -> Time:
    found = [t for t in times(nlp, text, report) if t.text == phrase]
    assert found, f"{phrase!r} not found in {[t.text for t in times(nlp, text, report)]}"
    return found[0]


def test_brief_example(nlp: Language) -> None:
    text = ("The minister met his Somali counterpart in Nairobi on Monday after militants were "
            "accused of attacking a Kenyan police post near Mandera last week.")
    monday = one(nlp, text, "Monday")
    assert (monday.value, monday.granularity, monday.start_date) == ("2023-06-12", "day",
                                                                     "2023-06-12")
    week = one(nlp, text, "last week")
    assert (week.value, week.start_date, week.end_date, week.granularity) == (
        "2023-W23", "2023-06-05", "2023-06-11", "week")


@pytest.mark.parametrize("text,phrase,value,start,end", [
    ("The accord was signed on October 8, 2021.", "October 8, 2021", "2021-10-08", "2021-10-08",
     "2021-10-08"),
    ("The accord was signed on 8 Oct in Geneva.", "8 Oct", "2022-10-08", "2022-10-08", "2022-10-08"),
    ("The accord was signed on 2021-10-08.", "2021-10-08", "2021-10-08", "2021-10-08", "2021-10-08"),
    ("The party was founded in 1988.", "1988", "1988", "1988-01-01", "1988-12-31"),
    ("Troops withdrew in September 2006.", "September 2006", "2006-09", "2006-09-01", "2006-09-30"),
    ("The clashes began in the 1990s.", "the 1990s", "199", "1990-01-01", "1999-12-31"),
    ("Profits fell in the third quarter of 2022.", "the third quarter of 2022", "2022-Q3",
     "2022-07-01", "2022-09-30"),
    ("Results were reported on 7/8/07 in Seattle.", "7/8/07", "2007-07-08", "2007-07-08",
     "2007-07-08"),
])
def test_absolute(nlp: Language, text: str, phrase: str, value: str, start: str, end: str) -> None:
    t = one(nlp, text, phrase)
    assert (t.type, t.value, t.start_date, t.end_date) == ("DATE", value, start, end)


@pytest.mark.parametrize("text,phrase,value,start,end,gran", [
    ("Protesters gathered yesterday.", "yesterday", "2023-06-12", "2023-06-12", "2023-06-12", "day"),
    ("The envoy arrives tomorrow.", "tomorrow", "2023-06-14", "2023-06-14", "2023-06-14", "day"),
    ("Elections will be held next month.", "next month", "2023-07", "2023-07-01", "2023-07-31",
     "month"),
    ("The army took the town earlier this year.", "earlier this year", "2023", "2023-01-01",
     "2023-06-13", "year"),
    ("Rebels seized the base two days ago.", "two days ago", "2023-06-11", "2023-06-11",
     "2023-06-11", "day"),
    ("Talks resumed this week.", "this week", "2023-W24", "2023-06-12", "2023-06-18", "week"),
    ("Unrest spread last month.", "last month", "2023-05", "2023-05-01", "2023-05-31", "month"),
    ("The talks collapsed last year.", "last year", "2022", "2022-01-01", "2022-12-31", "year"),
    ("Fighting resumed last Saturday.", "last Saturday", "2023-06-10", "2023-06-10", "2023-06-10",
     "day"),
    ("Profits fell in the last quarter.", "the last quarter", "2023-Q1", "2023-01-01",
     "2023-03-31", "quarter"),
    ("Militias clashed over the weekend.", "the weekend", "2023-W23-WE", "2023-06-10",
     "2023-06-11", "weekend"),
])
def test_relative(nlp: Language, text: str, phrase: str, value: str, start: str, end: str,
                  gran: str) -> None:
    t = one(nlp, text, phrase)
    assert (t.value, t.start_date, t.end_date, t.granularity) == (value, start, end, gran)


@pytest.mark.parametrize("text,phrase,value", [
    ("The leaders will meet on Saturday.", "Saturday", "2023-06-17"),
    ("The leaders met on Saturday.", "Saturday", "2023-06-10"),
    ("The leaders met on Monday.", "Monday", "2023-06-12"),
    ("The leaders met on Tuesday.", "Tuesday", "2023-06-13"),
    ("The leaders are meeting on Friday.", "Friday", "2023-06-16"),
    ("The summit is set to open on Thursday.", "Thursday", "2023-06-15"),
    ("The two sides had met in August.", "August", "2022-08"),
    ("The two sides will meet in August.", "August", "2023-08"),
    ("The two sides met in May.", "May", "2023-05"),
    ("The vote will take place on May 3.", "May 3", "2024-05-03"),
    ("The vote took place on May 3.", "May 3", "2023-05-03"),
    ("The vote will take place on June 20.", "June 20", "2023-06-20"),
])
def test_tense_decides_direction(nlp: Language, text: str, phrase: str, value: str) -> None:
    assert one(nlp, text, phrase).value == value


def test_weekday_ranges(nlp: Language) -> None:
    ts = times(nlp, "Clashes erupted on Saturday and Sunday in the capital.")
    rng = [t for t in ts if t.text == "Saturday and Sunday"]
    assert rng and (rng[0].start_date, rng[0].end_date, rng[0].type) == (
        "2023-06-10", "2023-06-11", "DURATION")
    assert {t.value for t in ts if t.type == "DATE"} == {"2023-06-10", "2023-06-11"}


def test_day_range_in_month(nlp: Language) -> None:
    ts = times(nlp, "The festival will run from 5 to 7 May next year.")
    rng = [t for t in ts if t.type == "DURATION" and t.text.startswith("from 5")]
    assert rng and (rng[0].start_date, rng[0].end_date) == ("2024-05-05", "2024-05-07")
    ts = times(nlp, "Delegates met between 2014 and 2016 in Vienna.")
    rng = [t for t in ts if t.type == "DURATION"]
    assert rng and (rng[0].value, rng[0].start_date, rng[0].end_date) == (
        "P2Y", "2014-01-01", "2016-12-31")


def test_weekday_range_in_one_week(nlp: Language) -> None:
    ts = times(nlp, "The strike ran from Monday to Wednesday.")
    rng = [t for t in ts if t.type == "DURATION"]
    assert rng and (rng[0].start_date, rng[0].end_date) == ("2023-06-05", "2023-06-07")


def test_non_consecutive_days_are_not_a_range(nlp: Language) -> None:
    ts = times(nlp, "Strikes were held on Monday and Thursday.")
    assert all(t.type == "DATE" for t in ts) and len(ts) == 2


@pytest.mark.parametrize("text,phrase,typ,value", [
    ("The ceasefire lasted three days.", "three days", "DURATION", "P3D"),
    ("The siege lasted almost two and a half years.", "almost two and a half years", "DURATION",
     "P2.5Y"),
    ("They signed a 27-year contract.", "27-year", "DURATION", "P27Y"),
    ("The engine failed after thirty minutes.", "thirty minutes", "DURATION", "PT30M"),
    ("Monitors visit the camp every week.", "every week", "SET", "P1W"),
    ("The council meets every Monday.", "every Monday", "SET", "XXXX-WXX-1"),
    ("The annual summit opened.", "annual", "SET", "P1Y"),
    ("Recently, the army withdrew.", "Recently", "DATE", "PAST_REF"),
    ("Voters are currently angry.", "currently", "DATE", "PRESENT_REF"),
    ("Ministers met this morning.", "this morning", "TIME", "2023-06-13TMO"),
    ("Talks began Friday morning.", "Friday morning", "TIME", "2023-06-09TMO"),
    ("Officials meet on Mondays.", "Mondays", "SET", "XXXX-WXX-1"),
    ("He spoke at 10:00 pm.", "10:00 pm", "TIME", "2023-06-13T22:00"),
    ("The port grew in the 19th century.", "the 19th century", "DATE", "18"),
])
def test_durations_sets_refs(nlp: Language, text: str, phrase: str, typ: str, value: str) -> None:
    t = one(nlp, text, phrase)
    assert (t.type, t.value) == (typ, value)


def test_clock_time_anchored_to_day(nlp: Language) -> None:
    t = one(nlp, "The plane took off on Tuesday at 18:00 UTC.", "18:00 UTC",
            dt.date(2009, 12, 16))
    assert (t.type, t.value) == ("TIME", "2009-12-15T18:00Z")


def test_nulls_with_reasons(nlp: Language) -> None:
    bad = one(nlp, "The decree is dated February 30, 2021.", "February 30, 2021")
    assert bad.value is None and bad.start_date is None and bad.reason
    far = one(nlp, "The plan runs until 2090.", "2090")
    assert far.value is None and far.reason and "years" in far.reason
    t = one(nlp, "Rebels attacked the town yesterday.", "yesterday", None)
    assert t.value is None and t.reason == "needs a report date"
    absolute = one(nlp, "Rebels attacked the town on October 8, 2021.", "October 8, 2021", None)
    assert absolute.value == "2021-10-08"
    ana = one(nlp, "Rebels attacked the town and left the next day.", "the next day")
    assert ana.value is None and ana.reason


def test_names_and_numbers_are_not_dates(nlp: Language) -> None:
    ts = times(nlp, "Theresa May said 2000 soldiers may march to the border.")
    assert ts == []
    ts = times(nlp, "Ruby Tuesday sold 1500 burgers.")
    assert ts == []


def test_offsets_and_no_exceptions(nlp: Language) -> None:
    texts = ["", "2021", "On 31/31/2021 and 99:99", "May May May 5 5 5", "the 0th century",
             "Q5 2020, Q1", "between 2016 and 2014", "from May 30 to June 2, 2021",
             "fall of 1999 and spring"]
    for text in texts:
        doc = nlp(text)
        for report in (REPORT, None):
            for t in find_times(doc, report):
                assert doc.text[t.start:t.end] == t.text
                if t.value is None:
                    assert t.reason and t.start_date is None


def test_range_year_propagates(nlp: Language) -> None:
    ts = times(nlp, "The talks ran from May 30 to June 2, 2021.")
    rng = [t for t in ts if t.type == "DURATION"]
    assert rng and (rng[0].start_date, rng[0].end_date) == ("2021-05-30", "2021-06-02")


def _trigger(doc_text: str, word: str, nlp: Language) -> tuple[object, int]:
    doc = nlp(doc_text)
    idx = next(t.i for t in doc if t.text == word)
    return doc, idx


def test_event_date_attached_sentence_report(nlp: Language) -> None:
    doc = nlp("Police said on Monday that rebels attacked the village on Saturday.")
    ts = find_times(doc, REPORT)
    said = next(t.i for t in doc if t.text == "said")
    attacked = next(t.i for t in doc if t.text == "attacked")
    d1 = event_date(doc, attacked, ts, REPORT)
    assert (d1.start, d1.resolved_by, d1.text) == ("2023-06-10", "attached", "Saturday")
    d2 = event_date(doc, said, ts, REPORT)
    assert (d2.start, d2.resolved_by) == ("2023-06-12", "attached")

    doc = nlp("On Friday a bomb exploded in the market and the police later arrested three men.")
    ts = find_times(doc, REPORT)
    arrested = next(t.i for t in doc if t.text == "arrested")
    d3 = event_date(doc, arrested, ts, REPORT)
    assert (d3.start, d3.resolved_by) == ("2023-06-09", "sentence")

    doc = nlp("Rebels attacked the village. Officials met on Monday and on Friday.")
    ts = find_times(doc, REPORT)
    d4 = event_date(doc, 1, ts, REPORT)
    assert (d4.start, d4.end, d4.text, d4.resolved_by) == ("2023-06-13", "2023-06-13", None,
                                                           "report_date")
    d5 = event_date(doc, 1, ts, None)
    assert (d5.start, d5.resolved_by) == (None, "report_date")


def test_event_date_range_and_noun_trigger(nlp: Language) -> None:
    doc = nlp("Fighting raged on Saturday and Sunday near the border.")
    ts = find_times(doc, REPORT)
    raged = next(t.i for t in doc if t.text == "raged")
    d = event_date(doc, raged, ts, REPORT)
    assert (d.start, d.end, d.resolved_by) == ("2023-06-10", "2023-06-11", "attached")
    doc = nlp("Officials condemned Saturday's attack, which they blamed on rebels, on Monday.")
    ts = find_times(doc, REPORT)
    attack = next(t.i for t in doc if t.text == "attack")
    d = event_date(doc, attack, ts, REPORT)
    assert (d.start, d.resolved_by) == ("2023-06-10", "attached")


@pytest.mark.skipif(not GOLD.exists(), reason="shared MEANTIME gold not available")
def test_meantime_dev_figures(nlp: Language) -> None:
    from tidings.evaluate_times import evaluate_times

    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    result = evaluate_times(records, nlp)
    assert result["gold_date"] > 100
    assert result["date_correct_value"] >= 0.85
    assert result["date_precision_window"] >= 0.9


FINANCIAL = dt.date(2008, 10, 15)  # a Wednesday, two weeks after the third quarter ended


@pytest.mark.parametrize("text,phrase,value,start,end", [
    ("Net income rose to $2.1 billion in the first half of 2008.", "the first half of 2008",
     "2008-H1", "2008-01-01", "2008-06-30"),
    ("Analysts expect a recovery in the second half of next year.",
     "the second half of next year", "2009-H2", "2009-07-01", "2009-12-31"),
    ("Ford's first-half loss widened to $9.7 billion.", "first-half", "2008-H1", "2008-01-01",
     "2008-06-30"),
    ("Honda's profit fell in the January-March quarter.", "the January-March quarter", "2008-Q1",
     "2008-01-01", "2008-03-31"),
    ("The company will report third-quarter earnings on November 7.", "third-quarter",
     "2008-Q3", "2008-07-01", "2008-09-30"),
])
def test_halves_and_quarters(nlp: Language, text: str, phrase: str, value: str, start: str,
                             end: str) -> None:
    t = one(nlp, text, phrase, FINANCIAL)
    assert (t.type, t.value, t.start_date, t.end_date) == ("DATE", value, start, end)


def test_first_half_of_a_match_is_not_a_date(nlp: Language) -> None:
    assert [t.text for t in times(nlp, "Arsenal scored twice in the first half.", FINANCIAL)] == []


@pytest.mark.parametrize("text,phrase,value", [
    ("Ford lost money in fiscal 2009.", "fiscal 2009", "FY2009"),
    ("Profit for the first quarter of fiscal 2009 fell.", "the first quarter of fiscal 2009",
     "FY2009-Q1"),
    ("Apple sold 21 million iPods during the first quarter of the financial year.",
     "the first quarter of the financial year", "FY2008-Q1"),
])
def test_fiscal_periods(nlp: Language, text: str, phrase: str, value: str) -> None:
    t = one(nlp, text, phrase, FINANCIAL)
    assert (t.value, t.start_date, t.reason is not None) == (value, None, True)


@pytest.mark.parametrize("text,phrase,value", [
    ("Ford posted a second-quarter profit, compared with a loss in the year-ago quarter.",
     "the year-ago quarter", "2007-Q2"),
    ("GM lost $2.5 billion in the third quarter, compared with $1.6 billion in the same period "
     "a year earlier.", "the same period a year earlier", "2007-Q3"),
    ("Sales rose 5 percent in September. The rise compares with a fall in the same month last "
     "year.", "the same month last year", "2007-09"),
    ("Sales fell 20 percent from the same period last year.", "the same period last year",
     "2007"),
    ("The company's sales in the first quarter of the financial year doubled compared to the "
     "same period of the last year.", "the same period of the last year", "FY2007-Q1"),
])
def test_same_period_a_year_back(nlp: Language, text: str, phrase: str, value: str) -> None:
    assert one(nlp, text, phrase, FINANCIAL).value == value


def test_same_time_is_not_a_period(nlp: Language) -> None:
    ts = times(nlp, "At the same time, the company cut its dividend.", FINANCIAL)
    assert ts == []


@pytest.mark.parametrize("text,phrase,value", [
    ("Car sales fell 27 percent in October from a year earlier.", "a year earlier", "2007-10"),
    ("Sales fell 20 percent from a year earlier.", "a year earlier", "2007"),
    ("The strike began on Sept. 24. It ended two days later.", "two days later", "2008-09-26"),
    ("The company was founded in 1998 and went public two years later.", "two years later",
     "2000"),
    ("The A380 arrived on November 11, three days later than originally planned.",
     "three days later than originally planned", "2007-11-11"),
    ("Sales fell in 2007 after rising 5 percent the previous year.", "the previous year", "2006"),
    ("The plant opened in March 2005 and closed the following month.", "the following month",
     "2005-04"),
    ("The Dow fell 7 percent last week after falling 4 percent the previous week.",
     "the previous week", "2008-W40"),
    ("The talks began on June 3 and ended the next day.", "the next day", "2008-06-04"),
    ("Ford lost $12.7 billion in 2006, and the year before it earned $2 billion.",
     "the year before", "2005"),
])
def test_counted_from_another_time(nlp: Language, text: str, phrase: str, value: str) -> None:
    t = one(nlp, text, phrase, FINANCIAL)
    assert (t.type, t.value) == ("DATE", value)


def test_counted_without_anchor(nlp: Language) -> None:
    later = one(nlp, "The strike ended a week later.", "a week later", FINANCIAL)
    assert later.value is None and later.reason
    # "the previous year" alone counts from the report date
    prev = one(nlp, "Exports rose 5 percent the previous year.", "the previous year", FINANCIAL)
    assert prev.value == "2007"
    # a coarser time (a month) cannot anchor "that day"
    day = one(nlp, "They stormed the compound in January 2013 and killed hostages there that day.",
              "that day", FINANCIAL)
    assert day.value is None
    # "two days before the vote" counts from an event: a duration
    ts = times(nlp, "The army withdrew two days before the vote.", FINANCIAL)
    assert [(t.text, t.type) for t in ts] == [("two days", "DURATION")]


@pytest.mark.parametrize("text,phrase,value,start,end", [
    ("The deal is expected to close by year-end.", "year-end", "2008", "2008-08-29",
     "2008-12-31"),
    ("Deliveries are due in September.", "September", "2009-09", "2009-09-01", "2009-09-30"),
    ("The offer is valid until June.", "June", "2009-06", "2009-06-01", "2009-06-30"),
    ("Prices are up 5 percent since January.", "January", "2008-01", "2008-01-01", "2008-01-31"),
    ("Shares are up 9 percent since Monday.", "Monday", "2008-10-13", "2008-10-13", "2008-10-13"),
])
def test_period_end_and_preposition_cues(nlp: Language, text: str, phrase: str, value: str,
                                         start: str, end: str) -> None:
    t = one(nlp, text, phrase, FINANCIAL)
    assert (t.value, t.start_date, t.end_date) == (value, start, end)


def test_time_zone_in_parentheses_span(nlp: Language) -> None:
    text = "The ceasefire starts at 22:00 local time (09:00 GMT) on Friday."
    assert one(nlp, text, "09:00 GMT", FINANCIAL).type == "TIME"  # without the ")"
    t = one(nlp, "The plane landed at 6:40 p.m. (GMT +8) in Singapore.", "6:40 p.m. (GMT +8)",
            FINANCIAL)
    assert t.type == "TIME"


@pytest.mark.parametrize("text,phrase,value", [
    # the report date is Tuesday 13 June 2023
    ("The body was found on Tuesday last week.", "Tuesday last week", "2023-06-06"),
    ("They will meet Friday next week.", "Friday next week", "2023-06-23"),
    ("Monday of last week was calm.", "Monday of last week", "2023-06-05"),
])
def test_a_weekday_of_a_named_week(nlp: Language, text: str, phrase: str, value: str) -> None:
    assert one(nlp, text, phrase).value == value


@pytest.mark.parametrize("text,value", [
    ("The strike began on the 15th.", "2023-05-15"),  # past: the last 15th before the report
    ("Talks will resume on the 20th, officials said.", "2023-06-20"),
    ("The talks resume on the 2nd.", "2023-07-02"),  # scheduled: the coming 2nd
    ("The court ruled on the 31st.", "2023-05-31"),
])
def test_a_bare_day_of_the_month(nlp: Language, text: str, value: str) -> None:
    found = one(nlp, text, text.split("on ")[1].split(",")[0].rstrip("."))
    assert (found.value, found.granularity) == (value, "day")


def test_an_ordinal_before_a_noun_is_not_a_day(nlp: Language) -> None:
    assert times(nlp, "He lives on the 5th floor.") == []
    assert times(nlp, "They struck on the 3rd day of the siege.") == []


def test_a_bare_day_missing_from_the_neighbouring_month(nlp: Language) -> None:
    # February has no 31st: the last 31st before 1 March is in January
    assert one(nlp, "It happened on the 31st.", "the 31st", dt.date(2023, 3, 1)).value == \
        "2023-01-31"
    assert one(nlp, "It will happen on the 30th.", "the 30th", dt.date(2024, 1, 31)).value == \
        "2024-03-30"
