"""Verb dictionary parser, packaged verbs, CAMEO code table and PLOVER crosswalk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tidings.knowledge.events import (
    cameo_info,
    parse_crosswalk,
    plover_legacy,
    plover_of,
    plover_types,
)
from tidings.knowledge.verbs import (
    NounPhrase,
    PrepPhrase,
    VerbDictionary,
    default_verbs,
    parse_verb_file,
    verb_forms,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "knowledge"
PETRARCH = SHARED / "petrarch2"
ROOT = Path(__file__).resolve().parents[1]

needs_shared = pytest.mark.skipif(not PETRARCH.exists(), reason="shared data not available")

SMALL = """\
# a small dictionary in the PETRARCH format
&TOWN
+TOWN
+CITY
+URBAN_CENTER
# a comment inside a synonym set
+KRONER_

&PREPS_
+CITY

&BIG
+&TOWN
+CAPITAL

---  GIVE   [070]  ---
GIVE {GIVES GAVE GIVEN GIVING}
DONATE [071]
+HAND_OVER {+HANDS_OVER +HANDED_OVER +HANDING_OVER}
WIRE_+TAP {WIRE_+TAPS WIRE_+TAPPED WIRE_+TAPPING} [1711]
- * (FOR {HUMANITARIAN AID})   [0233]   # a comment
- POLICE * &TOWN               [042:043]
- * UPROAR (IN)                [:110]
- * (TO {&BIG MARKET}) $       [061]
- * (FOR &UNDEFINED)           [020]
- * BROKEN (PAREN              [020]
- * NO CODE HERE
--- BROKEN HEADER [12
GIVE
"""


@pytest.fixture(scope="module")
def small() -> VerbDictionary:
    return VerbDictionary.from_records([parse_verb_file("small.verbs.txt", SMALL)])


def test_blocks_verbs_and_codes(small: VerbDictionary) -> None:
    give = small.lookup("give")
    assert [(e.lemma, e.code, e.block, e.particle) for e in give] == [
        ("give", "070", "GIVE", None)]
    assert small.lookup("donate")[0].code == "071"
    hand = small.lookup("hand")[0]
    assert (hand.lemma, hand.particle, hand.particle_after, hand.code) == (
        "hand over", "over", ("over",), "070")
    tap = small.lookup("tap")[0]
    assert (tap.lemma, tap.particle, tap.particle_before, tap.code) == (
        "wire tap", "wire", ("wire",), "1711")
    assert give[0].entry == "small.verbs.txt:17"
    assert give[0].patterns is hand.patterns  # a block's patterns are shared by its verbs


def test_forms_map_to_lemma(small: VerbDictionary) -> None:
    assert small.lookup("gave")[0].lemma == "give"
    assert small.lookup("donated")[0].lemma == "donate"  # regular forms generated
    assert small.lookup("handed")[0].lemma == "hand over"
    assert small.lookup("tapped")[0].lemma == "wire tap"
    assert small.lemma_of("handing") == ["hand"]
    assert small.lookup("nothing-like-this") == []
    assert {"tries", "tried", "trying"} <= verb_forms("try")
    assert {"closes", "closed", "closing"} <= verb_forms("close")


def test_patterns_structure(small: VerbDictionary) -> None:
    pats = {p.text.split("[")[0].strip(): p for p in small.lookup("give")[0].patterns}
    aid = pats["- * (FOR {HUMANITARIAN AID})"]
    assert aid.code == "0233" and aid.pre == () and aid.entry == "small.verbs.txt:21"
    (pp,) = aid.post
    assert isinstance(pp, PrepPhrase) and pp.prep == "for"
    assert pp.noun is not None and [w.text for w in pp.noun.words] == ["humanitarian", "aid"]
    assert aid.size == 3
    police = pats["- POLICE * &TOWN"]
    assert (police.code, police.reciprocal) == ("042", "043")
    assert isinstance(police.pre[0], NounPhrase) and police.pre[0].words[0].text == "police"
    uproar = pats["- * UPROAR (IN)"]
    assert (uproar.code, uproar.reciprocal) == ("---", "110")
    market = pats["- * (TO {&BIG MARKET}) $"]
    assert [type(e).__name__ for e in market.post] == ["PrepPhrase", "Marker"]


def test_synsets_plurals_and_nesting(small: VerbDictionary) -> None:
    town = small.synsets["&TOWN"]
    forms = {w.text: w.forms for phrase in town for w in phrase}
    assert "cities" in forms["city"] and "towns" in forms["town"]
    assert forms["kroner"] == frozenset({"kroner"})  # trailing "_": no plural
    urban = next(p for p in town if len(p) == 2)
    assert [w.text for w in urban] == ["urban", "center"] and urban[0].joined
    assert "cities" not in small.synsets["&PREPS"][0][0].forms  # label ending "_": no plurals
    big = small.synsets["&BIG"]
    assert len(big) == len(town) + 1  # nested synset expanded
    # the comment line inside &TOWN did not end the set
    assert len(town) == 4


def test_malformed_lines_warn_and_rest_loads(small: VerbDictionary) -> None:
    w = "\n".join(small.warnings)
    assert "small.verbs.txt:25: undefined synonym set" in w  # pattern ignored
    assert "small.verbs.txt:26: unbalanced" in w
    assert "small.verbs.txt:27: pattern without a [code]" in w
    assert "small.verbs.txt:28: malformed block header" in w
    assert "small.verbs.txt:29: verb outside a verb block" in w
    assert len(small.lookup("give")[0].patterns) == 4


@needs_shared
def test_cameo_dictionary_entries() -> None:
    vd = VerbDictionary.load_files([PETRARCH / "CAMEO.2.0.txt"])
    ask = vd.lookup("ask")
    assert {(e.lemma, e.block, e.code) for e in ask} >= {("ask", "ASK", "020"),
                                                          ("ask for", "ASK", "020")}
    cordon = vd.lookup("cordoned")
    assert [(e.lemma, e.particle, e.block) for e in cordon] == [("cordon off", "off", "EXCLUDE")]
    assert vd.lookup("accuse")[0].code == "112"
    assert all(":" in w.split(": ")[0] for w in vd.warnings)  # "file:line: message"
    assert len(vd.entries) > 1500 and len(vd.warnings) < 20


@needs_shared
def test_validate_verbs_load() -> None:
    vd = VerbDictionary.load_files([PETRARCH / "PETR.Validate.verbs.txt"])
    assert len(vd.entries) > 200
    admit = vd.lookup("admit")[0]
    assert (admit.code, admit.reciprocal) == ("013", "012")
    assert vd.lookup("tapped")[0].lemma == "wire tap"
    assert all(w.startswith("PETR.Validate.verbs.txt:") for w in vd.warnings)
    # user dictionaries extend the default one
    merged = default_verbs().copy()
    n = len(merged.lookup("admit"))
    merged.extend(vd)
    assert len(merged.lookup("admit")) == n + 1
    assert len(default_verbs().lookup("admit")) == n  # the shared default is unchanged


@needs_shared
def test_packaged_verbs_match_source() -> None:
    """The packaged verbs are CAMEO.2.0 with the project's overlay merged in, nothing else."""
    vd = default_verbs()
    src = parse_verb_file(PETRARCH / "CAMEO.2.0.txt")
    overlay = parse_verb_file(ROOT / "src" / "tidings" / "knowledge" / "data" / "overlay_verbs.txt")
    mine = {v[0] for b in overlay["blocks"] for v in b["verbs"]}
    names = {b["name"] for b in overlay["blocks"]}
    kept = sum(1 for b in src["blocks"] for v in b["verbs"]
               if v[0] not in mine or b["name"] in names and v[0] not in mine)
    assert len(vd.entries) == kept + len(mine)
    assert vd.lookup("agree")[0].code == "030"  # the overlay's code replaced the block's
    assert vd.lookup("accelerate")[0].entry.startswith("CAMEO.2.0.txt:")
    assert default_verbs() is vd  # cached


def test_packaged_verbs_load_time() -> None:
    # CPU time of a fresh process (the machine's other load does not count)
    code = ("import time; t = time.process_time(); "
            "from tidings.knowledge.verbs import default_verbs; default_verbs(); "
            "print(time.process_time() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert float(out.stdout.strip()) < 1.0


# --------------------------------------------------------------------------- CAMEO table


def test_cameo_info() -> None:
    info = cameo_info("190")
    assert (info.root, info.quad_class, info.goldstein, info.via) == ("19", 4, -10.0, None)
    assert info.name.startswith("Use conventional military force")
    assert cameo_info("0233").root == "02" and cameo_info("0233").quad_class == 1
    late = cameo_info("1834")  # in the code table, not in the Goldstein table
    assert late.name and late.goldstein == cameo_info("183").goldstein and late.via == "183"
    unknown = cameo_info("999")
    assert unknown.name == "" and unknown.goldstein is None


# --------------------------------------------------------------------------- PLOVER


def test_plover_of() -> None:
    acc = plover_of("112")
    assert (acc.type, acc.mode, acc.via) == ("ACCUSE", "disapprove", "112")
    inv = plover_of("091")
    assert (inv.type, inv.mode) == ("ACCUSE", "investigate")
    assert plover_of("1033").contexts == ("humanitarian",)
    assert plover_of("094").contexts == ("military", "legal")


def test_plover_fallback_to_parent() -> None:
    p = plover_of("1834")
    assert p.type == "ASSAULT" and p.via == "183" and "parent" in p.note
    p = plover_of("0241")
    assert p.type == "REQUEST" and p.via == "0241"
    assert plover_of("010").type == "" and plover_of("010").via == "01"


def test_plover_types_are_current() -> None:
    types = set(plover_types())
    assert len(types) == 16 and "DEMAND" not in types
    table = json.loads((ROOT / "src/tidings/knowledge/data/plover.json").read_text())
    assert {r["type"] for r in table["codes"].values()} <= types
    for code in json.loads((ROOT / "src/tidings/knowledge/data/cameo.json").read_text())["codes"]:
        if not code.startswith("01"):
            assert plover_of(code).type in types, code


def test_legacy_names_map_to_current_types() -> None:
    text = ("10: DEMAND\n100: DEMAND, ,  # Demand\n110: DISAPPROVE, ,  # Disapprove\n"
            "090: INVESTIGATE, , crime; corruption\n190: FIGHT, firearms, military\n"
            "191: BOGUS, ,\nnot a line\n")
    codes, warnings = parse_crosswalk(text, "x.txt", plover_legacy(), set(plover_types()))
    assert codes["100"]["type"] == "REQUEST" and codes["100"]["legacy"] == "DEMAND"
    assert (codes["110"]["type"], codes["110"]["mode"]) == ("ACCUSE", "disapprove")
    assert (codes["090"]["type"], codes["090"]["mode"]) == ("ACCUSE", "investigate")
    assert codes["090"]["contexts"] == ["crime", "corruption"]
    assert (codes["190"]["type"], codes["190"]["mode"]) == ("ASSAULT", "firearms")
    assert "191" not in codes and any("x.txt:6" in w for w in warnings)
    assert any("x.txt:7" in w for w in warnings)


@needs_shared
def test_packaged_plover_matches_crosswalk() -> None:
    text = (SHARED / "plover" / "CAMEO2PLOVER-2021.txt").read_text()
    codes, _ = parse_crosswalk(text, "CAMEO2PLOVER-2021.txt", plover_legacy(),
                               set(plover_types()))
    overridden = {c for c in codes if plover_of(c).note.startswith("PLOVER manual")}
    assert overridden == {"163"} and plover_of("163").type == "SANCTION"
    for code, rec in codes.items():
        if code in overridden:
            continue
        got = plover_of(code)
        assert (got.type, got.mode, got.contexts) == (
            rec["type"], rec["mode"], tuple(rec["contexts"])), code
