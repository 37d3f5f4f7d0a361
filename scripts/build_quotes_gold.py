"""Rebuild gold/quotes.dev.jsonl from the hand annotations below and the shared texts.

Each annotation names a quote by its first and last words (the span runs from the first to the
last, inside the quote marks) and its speaker by the text of the mention and where it stands
(``b``: the nearest mention before the quote, ``a``: the nearest after it), or None. The script
computes the character offsets and checks them (a quote must sit between quote marks).

Texts: Voice of America (public domain, credit VOA) and MEANTIME Wikinews articles (Wikinews,
CC BY 2.5). Run from the repository root with ``../shared/data`` beside it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
MARKS = "\"“”‘’'"

# (article id, first words, last words, speaker mention, where)
ANNOTATIONS: list[tuple[str, str, str, str | None, str]] = [
    # VOA 8011115
    ("8011115", "successfully eliminated", "successfully eliminated",
     "Iraqi Prime Minister Mohammed Shia al-Sudani", "b"),
    ("8011115", "significant security achievement", "achievement.", "Sudani", "b"),
    ("8011115", "Today the fugitive leader", "intrepid warfighters,", "Trump", "a"),
    ("8011115", "His miserable life", "Kurdish Regional Government.", "Trump", "b"),
    ("8011115", "maintained the ability", "field commanders.", "The U.N. report", "b"),
    # VOA 8011117
    ("8011117", "the beginning of a new history", "torture by mercy.", "Al-Sharaa", "b"),
    ("8011117", "The so-called constitutional declaration", "by the Baath government,",
     "The Kurdish-led Autonomous Administration", "b"),
    ("8011117", "The draft speaks generally", "other ethnic groups,", "Jian Badrakhan", "a"),
    ("8011117", "However, Article 1 explicitly", "elsewhere in the document.", "Jian Badrakhan", "b"),
    ("8011117", "the absence of any reference", "multicultural identity.", "Badrakhan", "b"),
    ("8011117", "This effectively denies", "Yazidis and Druze,", "Badrakhan", "a"),
    ("8011117", "Over time, this provision", "from formal recognition.", "Badrakhan", "b"),
    ("8011117", "The constitution says there is separation", "clearly false,", "Sarbast Nabi", "a"),
    ("8011117", "Article 24 stipulates", "legislative branches,", "Sarbast Nabi", "b"),
    ("8011117", "will not achieve stability", "stability in Syria.", "Sarbast Nabi", "b"),
    ("8011117", "to ensure fair representation", "and efficiency.", "The constitution", "b"),
    ("8011117", "The declaration oversteps", "the Syrian people,", "Anwar al-Bunni", "b"),
    ("8011117", "All ethnicities and religions", "constitutional guarantees,", "al-Bunni", "a"),
    ("8011117", "Since this is a temporary document", "points and issues.", "al-Bunni", "b"),
    ("8011117", "hopes this [constitutional", "inclusive transition.", "Geir Pedersen", "b"),
    # VOA 8010694
    ("8010694", "What began as a plea", "conflicts of our time,", "Pederson", "a"),
    ("8010694", "The conflict exposed", "search for the missing.", "Pederson", "b"),
    ("8010694", "are a positive reminder", "territorial integrity.", "Pedersen", "b"),
    ("8010694", "credible and inclusive transitional", "genuine transitional justice.",
     "Pedersen", "b"),
    # VOA 8010476
    ("8010476", "the preferred shipping line", "procurement agents.", "the State Department", "b"),
    ("8010476", "remains focused on preventing", "accountable through sanctions.",
     "A spokesperson", "b"),
    ("8010476", "security officials in two", "two Western countries", "The Financial Times", "b"),
    ("8010476", "Ships carrying highly sensitive", "conscious of that,", "Brew", "a"),
    ("8010476", "to intercept and stop", "currently underway", "Eight Republican U.S. senators", "b"),
    ("8010476", "We do not comment on Congressional", "Congressional correspondence.",
     "a U.S. State Department press officer", "b"),
    # VOA 8010842
    ("8010842", "We called for Russia", "implementing it fully,", "the diplomats", "a"),
    ("8010842", "We discussed imposing", "and other means.", "the diplomats", "b"),
    ("8010842", "unwavering support for Ukraine", "sovereignty and independence.", "The statement", "b"),
    ("8010842", "Suffice to say", "complex situation,", "Rubio", "a"),
    ("8010842", "All G7 foreign ministers agree", "supported by Ukrainians,", "Malie Joly", "b"),
    ("8010842", "The ball is now", "comes to Ukraine.", "Malie Joly", "b"),
    ("8010842", "there is unity that now", "for Russia to accept it.", "David Lammy", "b"),
    ("8010842", "coalition of the willing", "coalition of the willing", "Lammy", "b"),
    ("8010842", "security architecture", "security architecture", "Lammy", "b"),
    ("8010842", "drag out the process", "drag out the process.", "Zelenskyy", "b"),
    ("8010842", "An unconditional 30-day", "and lasting peace,", "Zelenskyy", "a"),
    ("8010842", "concerned with China", "nuclear weapons arsenal.", "The G7 joint statement", "b"),
    ("8010842", "to engage in strategic", "through transparency.", "the group", "b"),
    ("8010842", "Whether they agree", "well-being of the world,", "Rubio", "a"),
    ("8010842", "I don’t think an endless", "see growing threats,", "Rubio", "a"),
    ("8010842", "In many ways, we could", "the European continent,", "the top U.S. diplomat", "a"),
    # VOA 8010030
    ("8010030", "just and lasting peace in Ukraine", "just and lasting peace in Ukraine",
     "host country Canada", "b"),
    ("8010030", "Peace and stability is", "illegal aggression.",
     "Canadian Foreign Minister Melanie Joly", "b"),
    ("8010030", "growing the use of growing", "dark vessels", "Joly", "b"),
    ("8010030", "sabotage of critical", "undersea infrastructure.", "Joly", "b"),
    ("8010030", "an immediate, interim 30-day", "30-day ceasefire.", "Ukraine", "b"),
    ("8010030", "Ukraine is committed to moving", "and decent peace,", "Volodymyr Zelenskyy", "a"),
    ("8010030", "Ukraine was ready for an air", "sea ceasefire,", "Volodymyr Zelenskyy", "b"),
    ("8010030", "welcomed", "welcomed", "Volodymyr Zelenskyy", "b"),
    ("8010030", "Ceasefire, they can't", "to be very firm,", "Kaja Kallas", "a"),
    ("8010030", "What we need to keep in mind", "want to use it,", "Kallas", "a"),
    ("8010030", "are massively increasing", "are massively increasing", "Kallas", "b"),
    ("8010030", "defense investments", "defense investments.", "Kallas", "b"),
    ("8010030", "one of the things we'll", "that could happen.", "Rubio", "b"),
    # MEANTIME (Wikinews)
    ("MEANTIME-101354", "a nominal charge", "a nominal charge", "Steve Jobs", "b"),
    ("MEANTIME-10450", "Wayne ’ s World", "World for radio", "Steve", "b"),
    ("MEANTIME-10450", "hottest thing going", "going in radio", "Steve", "b"),
    ("MEANTIME-10450", "exciting", "exciting", "Steve", "b"),
    ("MEANTIME-10450", "switch", "switch", "Steve Jobs", "b"),
    ("MEANTIME-10450", "a secret double life", "a secret double life", "Jobs", "b"),
    ("MEANTIME-10450", "been compiled for Intel", "for five years.", "Jobs", "b"),
    ("MEANTIME-10450", "getting ready", "getting ready", "Jobs", "b"),
    ("MEANTIME-190356", "Stop me if you", "already seen this.", "Jobs", "b"),
    ("MEANTIME-190356", "the biggest leap", "the original iPhone.", "Jobs", "b"),
    ("MEANTIME-190356", "the thinnest smartphone", "on the planet", "Jobs", "b"),
    ("MEANTIME-190356", "the most advanced mobile", "in the world.", "Jobs", "b"),
    ("MEANTIME-195869", "a very small percentage", "percentage of users", "Jobs", "b"),
    ("MEANTIME-195869", "has been blown so out", "it is incredible.", "Jobs", "b"),
]


def _texts() -> dict[str, dict[str, str | None]]:
    out: dict[str, dict[str, str | None]] = {}
    for line in (DATA / "corpus" / "voa_sample.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        out[r["id"]] = {"date": (r.get("published") or "")[:10] or None, "title": r["title"],
                        "text": r["text"], "source": "VOA (public domain)", "url": r.get("url")}
    for line in (DATA / "gold" / "meantime_dates.dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        out[r["id"]] = {"date": r.get("date"), "title": r.get("title"), "text": r["text"],
                        "source": "MEANTIME / Wikinews (CC BY 2.5)", "url": None}
    return out


def build() -> list[dict[str, object]]:
    texts = _texts()
    records: dict[str, dict[str, object]] = {}
    last_end: dict[str, int] = {}
    for aid, first, last, speaker, where in ANNOTATIONS:
        rec = texts[aid]
        text = str(rec["text"])
        start = text.find(first, last_end.get(aid, 0))
        if start < 0:
            raise SystemExit(f"{aid}: quote start {first!r} not found")
        end = text.find(last, start) + len(last)
        if end < len(last):
            raise SystemExit(f"{aid}: quote end {last!r} not found")
        while end > start and text[end - 1] in " ,":
            end -= 1
        before = text[:start].rstrip()[-1:]
        after = text[end:].lstrip(" ,.")[:1]
        if before not in MARKS or after not in MARKS:
            raise SystemExit(f"{aid}: {text[start:end]!r} is not between quote marks")
        last_end[aid] = end
        spk = None
        if speaker is not None:
            pos = text.rfind(speaker, 0, start) if where == "b" else text.find(speaker, end)
            if pos < 0:
                raise SystemExit(f"{aid}: speaker {speaker!r} not found ({where})")
            spk = {"text": speaker, "start": pos, "end": pos + len(speaker)}
            assert text[pos:pos + len(speaker)] == speaker
        r = records.setdefault(aid, {"id": aid, "date": rec["date"], "title": rec["title"],
                                     "text": text, "source": rec["source"], "quotes": []})
        quotes = r["quotes"]
        assert isinstance(quotes, list)
        quotes.append({"start": start, "end": end, "text": text[start:end], "speaker": spk})
    return list(records.values())


def main() -> None:
    out = ROOT / "gold" / "quotes.dev.jsonl"
    recs = build()
    with out.open("w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    n = sum(len(q) for r in recs if isinstance(q := r["quotes"], list))
    print(f"wrote {out} ({len(recs)} articles, {n} quotes)", file=sys.stderr)


if __name__ == "__main__":
    main()
