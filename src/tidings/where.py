"""Toponyms: find place names in a parsed article, resolve them, and locate events.

How a place is resolved (see docs/places.md):

1. Mentions come from spaCy's GPE/LOC/FAC entities, from gazetteer names on capitalised tokens
   that spaCy missed or mislabelled, and from a dateline at the start of the text.
2. Each mention's candidates (gazetteer entries with that name) are scored: a prior by feature
   type and population, then the article's context: an explicit qualifier ("Tyler, Texas"),
   the countries and first-level divisions that the *other* mentions and the dateline point
   to. The best candidate wins; a near-tie between far-apart places is reported as ambiguous.
3. A capital that is the grammatical subject of a speech or action verb ("Moscow warned") is a
   metonym for a government: it is kept with ``feature="metonym"``, the country, null
   coordinates and a ``reason``.
4. Names not in the gazetteer give a Place with null geo fields and a ``reason``.

``event_location`` then takes the place syntactically attached to an event trigger, else the
dateline's place, else nothing.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tidings.docview import doc_view
from tidings.gazetteer import Entry, Gazetteer, load_gazetteer, normalize
from tidings.model import Location, Place
from tidings.nlp import doc_text

__all__ = ["find_places", "event_location", "evaluate_places", "parse_dateline",
           "haversine_km"]

_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
          r"\s+\d{1,2}(?:,?\s+\d{4})?")
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'.\-]*(?:\s+[A-Z][A-Z'.\-]*){0,3})"
    r"(?:\s*,\s*(?P<qual>[A-Z][A-Za-z'.\-]*(?:\s+[A-Z][A-Za-z'.\-]*){0,3}))?"
    r"(?:\s*,\s*(?P<date>" + _MONTH + r"))?"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    r"\s*(?:-{1,2}|—|–|:)\s"
)


@dataclass(frozen=True)
class _Knowledge:
    entity_labels: frozenset[str]
    recoverable_labels: frozenset[str]
    metonym_verbs: frozenset[str]
    location_preps: frozenset[str]
    weak_location_preps: frozenset[str]
    object_deps: frozenset[str]
    clausal_deps: frozenset[str]
    chain_deps: frozenset[str]
    division_words: frozenset[str]
    directions: frozenset[str]
    not_places: frozenset[str]
    agency_names: frozenset[str]
    disease_words: frozenset[str]
    government_seats: frozenset[str]
    list_separators: frozenset[str]
    city_words: frozenset[str]
    division_words_before: frozenset[str]
    city_words_plural: frozenset[str]
    division_words_plural: frozenset[str]
    locative_preps_before: frozenset[str]
    place_nouns_before_of: frozenset[str]
    place_nouns_after: frozenset[str]
    person_titles: frozenset[str]
    division_offices: frozenset[str]
    institution_words: frozenset[str]
    common_word_names: frozenset[str]
    presence_verbs: frozenset[str]
    facility_nouns_after: frozenset[str]
    name_words_before: frozenset[str]
    named_feature_words: frozenset[str]
    direction_forms: dict[str, str]
    city_offices: frozenset[str]
    office_prefixes: tuple[str, ...]
    qualifier_separators_strict: frozenset[str]
    qualifier_separators_loose: frozenset[str]
    qualifier_separators_explicit: frozenset[str]
    feature_prior: dict[str, float]
    population_weight: dict[str, float]
    numbers: dict[str, float]


@functools.lru_cache(maxsize=1)
def _knowledge() -> _Knowledge:
    ref = resources.files("tidings") / "data" / "gazetteer" / "where.json"
    raw: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw[key])

    numbers = {k: float(v) for k, v in raw.items() if isinstance(v, int | float)}
    return _Knowledge(
        entity_labels=frozenset(raw["entity_labels"]),
        recoverable_labels=frozenset(raw["recoverable_labels"]),
        metonym_verbs=words("metonym_verbs"),
        location_preps=words("location_preps"),
        weak_location_preps=words("weak_location_preps"),
        object_deps=words("object_deps"),
        clausal_deps=words("clausal_deps"),
        chain_deps=words("chain_deps"),
        division_words=words("division_words"),
        directions=words("directions"),
        not_places=words("not_places"),
        agency_names=words("agency_names"),
        disease_words=words("disease_words"),
        government_seats=frozenset(normalize(str(w)) for w in raw["government_seats"]),
        list_separators=frozenset(" ".join(str(w).split()) for w in raw["list_separators"]),
        city_words=words("city_words"),
        division_words_before=words("division_words_before"),
        city_words_plural=words("city_words_plural"),
        division_words_plural=words("division_words_plural"),
        locative_preps_before=words("locative_preps_before"),
        place_nouns_before_of=words("place_nouns_before_of"),
        place_nouns_after=words("place_nouns_after"),
        person_titles=words("person_titles"),
        division_offices=words("division_offices"),
        institution_words=words("institution_words"),
        common_word_names=words("common_word_names"),
        presence_verbs=words("presence_verbs"),
        facility_nouns_after=words("facility_nouns_after"),
        name_words_before=words("name_words_before"),
        named_feature_words=words("named_feature_words"),
        direction_forms={**{str(a).lower(): str(b).lower()
                            for a, b in raw["direction_adjectives"].items()},
                         **{str(b).lower(): str(a).lower()
                            for a, b in raw["direction_adjectives"].items()}},
        city_offices=words("city_offices"),
        office_prefixes=tuple(sorted(words("office_prefixes"))),
        qualifier_separators_strict=frozenset(
            " ".join(str(w).split()) for w in raw["qualifier_separators_strict"]),
        qualifier_separators_loose=frozenset(
            " ".join(str(w).split()) for w in raw["qualifier_separators_loose"]),
        qualifier_separators_explicit=frozenset(
            " ".join(str(w).split()) for w in raw["qualifier_separators_explicit"]),
        feature_prior={k: float(v) for k, v in raw["feature_prior"].items()},
        population_weight={k: float(v) for k, v in raw["population_weight"].items()},
        numbers=numbers,
    )


@functools.lru_cache(maxsize=1)
def _nationalities() -> dict[str, str]:
    """One-word names that the actor dictionaries code as one country, with that country's
    ISO alpha-2 code ("palestinian" -> PS, "kenyan" -> KE)."""
    from tidings.knowledge import default_actor_knowledge

    actors = default_actor_knowledge().actors
    iso2 = {v: k for k, v in load_gazetteer().iso3.items()}
    out: dict[str, str] = {}
    for phrase, idx in actors.index.values.items():
        if " " in phrase or not isinstance(idx, int):
            continue
        codes = {rule[0] for rule in actors.entries[idx].rules}
        cc = iso2.get(codes.pop()) if len(codes) == 1 else None
        if cc:
            out[phrase] = cc
    return out


def _nationality_countries(doc: Doc) -> frozenset[str]:
    """Countries (ISO alpha-2) of the nationalities spaCy finds in a story ("Palestinian
    police", "Israeli troops")."""
    words = _nationalities()
    return frozenset(words[e.text.lower()] for e in doc_view(doc).ents()
                     if e.label_ == "NORP" and e.text.lower() in words)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


# --------------------------------------------------------------------------------------------
# Datelines


@dataclass(frozen=True)
class Dateline:
    """A dateline at the start of a text: the place's offsets, and a qualifier if any."""

    start: int
    end: int
    text: str
    qualifier: str | None
    qualifier_start: int
    qualifier_end: int
    span_end: int  # where the dateline ends (after the dash)


def parse_dateline(text: str) -> Dateline | None:
    """Parse "KABUL, Oct 9 (Reuters) -" or "NAIROBI, Kenya —" at the start of ``text``."""
    m = _DATELINE.match(text[:160])
    if not m:
        return None
    place = m.group("place")
    letters = [c for c in place if c.isalpha()]
    if len(letters) < 3 or not all(c.isupper() for c in letters):
        return None
    qual = m.group("qual")
    if qual and normalize(qual) in ("reuters", "ap", "afp"):
        qual = None
    return Dateline(
        start=m.start("place"), end=m.end("place"), text=place,
        qualifier=qual, qualifier_start=m.start("qual") if qual else -1,
        qualifier_end=m.end("qual") if qual else -1, span_end=m.end(),
    )


# --------------------------------------------------------------------------------------------
# Mentions and candidates


@dataclass
class _Mention:
    start: int  # character offsets into doc.text
    end: int
    text: str
    source: str  # "entity", "gazetteer", "dateline"
    candidates: list[tuple[Entry, bool]]
    tok_start: int = -1
    tok_end: int = -1
    qualifier: _Mention | None = None
    best: Entry | None = None
    margin: float = 0.0
    country_margin: float = 0.0  # over the best candidate in another country
    admin1_margin: float = 0.0  # over the best candidate in another first-level division
    scores: list[tuple[float, Entry]] = field(default_factory=list)
    metonym_of: Entry | None = None
    reason: str | None = None
    peers: list[_Mention] = field(default_factory=list)  # other members of a list
    feature_hint: str | None = None  # "city" or "division", from "the city of X"
    qualifier_strict: bool = True  # "X, Y" (strict) rather than "X in Y" (a hint)
    is_qualifier: bool = False  # the Y of another mention's "X, Y"
    context: _Context | None = None  # the article's other places, once known
    name: str = ""  # the name looked up, when the words are short for it ("North" Korea)


def _candidates(gaz: Gazetteer, text: str, dateline: bool = False
                ) -> list[tuple[Entry, bool]]:
    """Entries for a name, trying forms without a division word or leading direction.

    Outside datelines (written in capitals by convention) a short all-capital name is an
    acronym: it matches aliases ("EU", "UK", "U.S.") and capitalised main names, not a place
    whose name only reads the same without case ("EU" is not the French town of Eu, "GAO" the
    Malian city of Gao, nor "U.N." the Indian town of Un)."""
    kn = _knowledge()
    key = normalize(text)
    found = gaz.lookup_key(key)
    letters = text.replace(".", "")
    if found and not dateline and 2 <= len(letters) <= 4 and letters.isalpha() \
            and letters.isupper():  # "EU", "U.N."
        found = [(e, p) for e, p in found if not p or e.name.isupper()]
    words = key.split()
    if not found and len(words) > 1 and words[-1] in kn.division_words:
        # "Akita Prefecture", "Bas Congo Province", "New York City"
        want_city = words[-1] == "city"
        found = [(e, p) for e, p in gaz.lookup_key(" ".join(words[:-1]))
                 if e.feature in ("admin1", "admin2")
                 or (e.feature == "city" if want_city else e.feature == "region")]
    if not found and len(words) > 1 and words[-1] == "airport":
        # an airport stands for the city it serves ("Da Nang International Airport")
        rest = words[:-2] if len(words) > 2 and words[-2] == "international" else words[:-1]
        found = [(e, p) for e, p in gaz.lookup_key(" ".join(rest)) if e.feature == "city"
                 and e.population >= kn.numbers["entity_city_min_population"]]
    if not found and len(words) > 1 and words[-1] in kn.named_feature_words:
        # a valley, gorge, pass or delta named after the place in it ("Swat Valley", "Khyber
        # Pass"); not after a country or a river that shares a country's name ("the Jordan
        # Valley", "the Niger Delta")
        found = gaz.lookup_key(" ".join(words[:-1]))
        if any(e.feature in ("country", "continent", "region") for e, _ in found):
            found = []
    if not found and len(words) > 1 and words[0] == "greater":
        # a city's metropolitan area ("Greater Mumbai", "Greater Sydney")
        found = [(e, p) for e, p in gaz.lookup_key(" ".join(words[1:]))
                 if e.feature in ("city", "admin1", "admin2")]
    if not found and len(words) > 1 and words[0] in kn.direction_forms:
        # the other form of a leading direction ("South Darfur" is "Southern Darfur")
        found = gaz.lookup_key(" ".join([kn.direction_forms[words[0]], *words[1:]]))
    if not found and len(words) > 1 and words[0] in kn.directions:
        # a part of a place named by direction ("North-Western Sydney", "Mid-Jutland"); not of
        # a small town ("the North Atlantic" is not a part of Atlantic, Iowa)
        rest = words[1:]
        while len(rest) > 1 and rest[0] in kn.directions:
            rest = rest[1:]
        found = [(e, p) for e, p in gaz.lookup_key(" ".join(rest)) if e.feature != "city"
                 or e.population >= kn.numbers["entity_city_min_population"]]
    return found


def _clean_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without leading determiners/directions-as-adjectives or trailing "'s"."""
    v = doc_view(doc)
    lower, orth = v.lower, v.orth
    while start < end and lower[start] in ("the", "a", "an"):
        start += 1
    while end > start and doc[end - 1].tag_ == "POS" or (
            end > start and orth[end - 1] in ("'s", "’s", "'", ".")):
        end -= 1
    return start, end


def _token_ok(tok: Token) -> bool:
    text = tok.text
    return bool(text) and (text[0].isupper() or (text[0].isdigit() is False and text.isupper()))


def _collect_mentions(doc: Doc, gaz: Gazetteer) -> tuple[list[_Mention], Dateline | None]:
    kn = _knowledge()
    mentions: list[_Mention] = []
    taken = [False] * len(doc)
    text = doc_text(doc)

    dateline = parse_dateline(text)
    if dateline is not None:
        span = doc.char_span(dateline.start, dateline.end, alignment_mode="expand")
        raw = dateline.text
        cands = _candidates(gaz, raw, dateline=True)
        if cands and span is not None:
            m = _Mention(dateline.start, dateline.end, raw, "dateline", cands,
                         span.start, span.end)
            mentions.append(m)
            for i in range(span.start, span.end):
                taken[i] = True
            if dateline.qualifier:
                qspan = doc.char_span(dateline.qualifier_start, dateline.qualifier_end,
                                      alignment_mode="expand")
                qc = _candidates(gaz, dateline.qualifier, dateline=True)
                if qc and qspan is not None:
                    q = _Mention(dateline.qualifier_start, dateline.qualifier_end,
                                 dateline.qualifier, "dateline", qc, qspan.start, qspan.end)
                    m.qualifier = q
                    mentions.append(q)
                    for i in range(qspan.start, qspan.end):
                        taken[i] = True
        else:
            dateline = None

    def add(start: int, end: int, source: str, require: bool, name: str | None = None) -> bool:
        """``name``: the name to look up when the words are short for it ("North" in "North
        and South Korea")."""
        start, end = _clean_span(doc, start, end)
        if start >= end or any(taken[start:end]):
            return False
        v = doc_view(doc)
        span_text = v.span_text(start, end)
        if not any(c.isupper() for c in span_text):
            return False  # a common noun ("the swan"), not a name
        cands = _candidates(gaz, name or span_text)
        if not cands and require:
            return False
        if end < len(doc) and v.lower[end] in kn.disease_words:
            return False  # a disease named after a place ("Marburg virus", "Lassa fever")
        if end - start == 1 and not name and (
                v.lower[start] in kn.agency_names
                or _hyphen_compound(doc, start) and not any(
                    _strong(e, p) or e.population >= city_min for e, p in cands)
                or _elliptic_direction(doc, start)):
            return False
        mentions.append(_Mention(v.idx[start], v.end[end - 1], span_text, source, cands,
                                 start, end, name=name or ""))
        for i in range(start, end):
            taken[i] = True
        return True

    # spaCy entities; place entities not in the gazetteer wait until the scan below has had
    # a chance to find names inside them ("Central Africa - Nigeria")
    unknown: list[Span] = []
    city_min = kn.numbers["entity_city_min_population"]
    ents = list(doc_view(doc).ents())  # doc.ents is rebuilt on every access
    # surnames of the story's full personal names ("Juan Manuel Santos"): alone ("Santos
    # said"), such a word is the person, not the town that bears it
    person_words = {e[-1].lower_ for e in ents
                    if e.label_ == "PERSON" and len(e) > 1 and e[-1].text[:1].isupper()} - {
        e.text.lower() for e in ents if e.label_ in ("GPE", "LOC") and len(e) == 1}

    def person(start: int, end: int, cands: list[tuple[Entry, bool]]) -> bool:
        return end - start == 1 and doc[start].lower_ in person_words \
            and not any(_strong(e, p) for e, p in cands)
    for ent in ents:
        if ent.label_ in kn.entity_labels:
            start, end = _extend(doc, gaz, ent.start, ent.end, taken)
            if end - start == len(ent) and (ent[0].lower_ in person_words or _speaker(ent)):
                cands = _candidates(gaz, ent.text)
                if person(ent.start, ent.end, cands) or _speaker(ent) and not any(
                        _strong(e, p) or e.population >= city_min for e, p in cands):
                    continue  # a person spaCy took for a place: "said Nawa" (a Syrian village)
            if not add(start, end, "entity", require=True) \
                    and not _add_conjuncts(doc, gaz, ent, add):
                unknown.append(ent)
        elif ent.label_ in kn.recoverable_labels:
            # mislabelled places: the whole entity is a well-known place name, or a place name
            # where the words around it say it is a place ("a lab in Lelystad")
            start, end = _extend(doc, gaz, ent.start, ent.end, taken)
            if end - start > len(ent) and any(
                    _strong(e, p) for e, p in _candidates(gaz, doc_view(doc).span_text(
                        start, end))) and add(start, end, "entity", require=True):
                continue  # the start of a longer name ("Antigua" + "and Barbuda")
            cands = _candidates(gaz, ent.text)
            if person(ent.start, ent.end, cands):
                continue
            nation = _nationalities().get(ent.text.lower()) if ent.label_ == "NORP" else None
            if nation and not any(e.cc == nation for e, _ in cands):
                continue  # "in Chadian capital N'Djamena": Chad's people, not China's Chadian
            # a nationality or group ("Balkan", "Somali") is a place only where the words say so
            if ent.label_ != "NORP" and any(_strong(e, p) for e, p in cands) or (
                    (ent.label_ != "NORP" and any(p and e.population >= city_min
                                                  for e, p in cands)
                     or _locative_cue(doc, ent.start, ent.end, taken, cands,
                                      conjunct=ent.label_ != "NORP"))
                    and _recoverable_name(doc, ent) and not _speaker(ent)):
                add(ent.start, ent.end, "entity", require=True)

    # gazetteer names on capitalised tokens that no entity covered; inside names of people and
    # organisations only countries, states and regions ("the U.S. Army")
    ent_label = [""] * len(doc)
    ent_last = [False] * len(doc)
    # inside the name of a newspaper, broadcaster or company a place is part of the name ("the
    # New York Times"), up to an "in"/"at" inside the entity ("... Post in Lima")
    in_institution = [False] * len(doc)
    place_nouns = kn.place_nouns_before_of | kn.facility_nouns_after
    for ent in ents:
        label = ent.label_
        if label == "PERSON" and ent[0].lower_ in place_nouns:
            label = "FAC"  # a place noun starts no one's name ("Village Malakal")
        for i in range(ent.start, ent.end):
            ent_label[i] = label
        ent_last[ent.end - 1] = True
        if ent.label_ == "ORG" and any(t.lower_ in kn.institution_words for t in ent):
            for i in range(ent.start, ent.end):
                if doc[i].lower_ in ("in", "at"):
                    break
                in_institution[i] = True
    # names that the story calls places on their own: spaCy's places and the names found so
    # far, less people's names ("Burgos said", "President Cardoso")
    story_places = {e.text.lower() for e in ents
                    if e.label_ in ("GPE", "LOC") and not _speaker(e)} | {
        m.text.lower() for m in mentions
        if m.candidates and m.source != "dateline" and not _speaker(doc[m.tok_start:m.tok_end])}
    story_places -= person_words
    in_unknown = [False] * len(doc)
    for ent in unknown:
        for i in range(ent.start, ent.end):
            in_unknown[i] = True
    view = doc_view(doc)
    toks = view.tokens
    orth = view.orth
    capital = [t[:1].isupper() for t in orth]
    i = 0
    n = len(doc)
    while i < n:
        if taken[i] or not capital[i] or view.lower[i] in ("the", "a", "an"):
            i += 1  # a name starts after its article ("The UN" is the ORG "UN")
            continue
        tok = toks[i]
        inside_name = ent_label[i] in ("PERSON", "ORG") or in_unknown[i]
        if in_institution[i] and not ent_last[i]:
            i += 1
            continue
        matched = False
        # a common word ("South", "New", "Will") only starts a longer name
        smallest = 2 if view.lower[i] in kn.not_places else 1
        for size in range(min(4, n - i), smallest - 1, -1):
            j = i + size
            if any(taken[i:j]) or not capital[j - 1]:
                continue
            span_text = view.span_text(i, j)
            if "\n" in span_text:
                continue
            cands = _candidates(gaz, span_text)
            if not cands:
                continue
            # a name the story calls a place on its own elsewhere ("in Sudan")
            named_elsewhere = ent_label[i] != "PERSON" and span_text.lower() in story_places
            if size == 1 and i > 0 and not tok.is_sent_start and not taken[i - 1] \
                    and orth[i - 1][:1].isupper() and view.pos[i - 1] == "PROPN":
                # the end of a longer unknown name ("Danube Delta"); but a country that ends
                # an organisation's name is its place ("Nestle India", "Coca-Cola Kenya"), and
                # so is a name named elsewhere ("SOS Children's Villages Sudan"), unless the
                # word before it makes another place of it ("Lake Chad", "Mount Kenya")
                country_ends_org = ent_label[i] == "ORG" and ent_last[i] and any(
                    e.feature == "country" and p for e, p in cands)
                before = view.lower[i - 1]
                if not country_ends_org and not (
                        named_elsewhere and before not in kn.name_words_before
                        and before not in kn.directions):
                    continue
            strong = any(_strong(e, p) for e, p in cands)
            if size == 1 and (tok.pos_ == "ADJ" and not any(
                    e.feature in ("country", "region", "continent") for e, _ in cands)
                              or not strong and j < n and not taken[j]
                              and capital[j] and view.pos[j] == "PROPN"
                              and not toks[j].is_sent_start
                              and not any(e.population >= city_min for e, _ in cands)):
                # "Somali forces" (but "the Caribbean nation", and a country's name that the
                # tagger calls an adjective); a small town's name starting a longer name
                # ("Dalai Lama"; but "the Everett Factory")
                continue
            if ent_label[i] == "PERSON" and not any(e.feature == "country" for e, _ in cands):
                strong = False  # a first name ("Victoria Nuland", "Georgia Brown")
            if person(i, j, cands):
                continue
            ok = strong or named_elsewhere and not _speaker(doc[i:j])
            if not ok:
                # a big city ending an organisation's name after "of"/"in"/"at" ("the
                # University of Sarajevo")
                city_ends_org = ent_label[i] == "ORG" and i > 0 \
                    and view.lower[i - 1] in ("of", "in", "at") and ent_last[j - 1] and any(
                        p and e.population >= city_min for e, p in cands)
                # a known town outside names, not speaking (a town's name that speaks is a
                # person's)
                ok = city_ends_org or not inside_name and (
                    size > 1 or tok.pos_ == "PROPN" and not _speaker(doc[i:j])) and any(
                    e.population >= kn.numbers["gazetteer_only_min_population"] and p
                    for e, p in cands)
            if ok and add(i, j, "gazetteer", require=True):
                matched = True
                i = j
                break
        if not matched:
            i += 1
    # a mislabelled name qualified by a place that follows ("Warwick in Queensland"); and one
    # sense per article: a name read as a place once is a place wherever spaCy mislabels it
    # ("Randwick racecourse ... Randwick has been locked down")
    placed = {normalize(m.name or m.text) for m in mentions
              if m.candidates and m.source != "dateline"}
    starts = {m.tok_start: m for m in mentions if m.candidates}
    ends = {m.tok_end - 1 for m in mentions if m.candidates and m.source == "gazetteer"}
    for ent in ents:
        if ent.label_ not in kn.recoverable_labels or any(taken[ent.start:ent.end]):
            continue
        start, end = _clean_span(doc, ent.start, ent.end)
        if start >= end:
            continue
        key = normalize(view.span_text(start, end))
        if not _recoverable_name(doc, ent) or _speaker(ent):
            continue
        if key in placed or (end + 1 < n and view.lower[end] in (",", "in")
                             and end + 1 in starts and _inside(gaz, key, starts[end + 1])):
            add(start, end, "entity", require=True)
            continue
        # joined to a place that only the scan above found ("the Temryuk and Anapa")
        cands = _candidates(gaz, ent.text)
        if ent.label_ != "NORP" and start > 1 and start - 2 in ends \
                and view.lower[start - 1] in (",", "and", "or") \
                and not person(ent.start, ent.end, cands) \
                and _locative_cue(doc, start, end, taken, cands):
            add(start, end, "entity", require=True)
    nations = _nationalities()
    for ent in unknown:
        # a people, not a place: "talks with Ukrainian officials", "Emirati troops"
        after = doc[ent.end] if ent.end < len(doc) else None
        if len(ent) == 1 and (ent[0].tag_ == "JJ" or ent.text.lower() in nations
                              and after is not None and after.tag_ == "NNS"):
            continue
        add(ent.start, ent.end, "entity", require=False)

    mentions.sort(key=lambda m: m.start)
    _link_lists_and_qualifiers(text, mentions)
    _feature_hints(doc, mentions)
    return mentions, dateline


def _add_conjuncts(doc: Doc, gaz: Gazetteer, ent: Span, add: Callable[..., bool]) -> bool:
    """A place entity that spaCy made of several names joined by "and" or commas ("Cattai and
    Wilberforce"), when the whole is not in the gazetteer but each part is: each part is a
    place. A part made only of directions borrows the rest of the last part's name ("North
    and South Korea": North Korea and South Korea). Adds them with ``add`` and says whether
    it did."""
    parts: list[tuple[int, int]] = []
    start = ent.start
    for i in range(ent.start, ent.end + 1):
        if i == ent.end or doc[i].lower_ in ("and", "&", ","):
            if i > start:
                parts.append((start, i))
            start = i + 1
    if len(parts) < 2:
        return False
    view = doc_view(doc)
    directions = _knowledge().directions
    last_start, last_end = parts[-1]
    rest = view.span_text(last_start + 1, last_end) if last_end - last_start > 1 \
        and view.lower[last_start] in directions else ""
    names: list[str] = []
    for a, b in parts:
        name = view.span_text(a, b)
        if all(view.lower[i] in directions for i in range(a, b)):
            if not rest:
                return False
            name = f"{name} {rest}"
        if not _candidates(gaz, name):
            return False
        names.append(name)
    for (a, b), name in zip(parts, names, strict=True):
        add(a, b, "entity", True, name)
    return True


def _hyphen_compound(doc: Doc, i: int) -> bool:
    """Is token ``i`` joined by a hyphen to a lowercase word ("Green-winged teals",
    "mid-Atlantic states")?"""
    n = len(doc)
    return (i + 2 < n and doc[i + 1].text == "-" and doc[i + 2].text[:1].islower()
            and doc[i + 1].idx == doc[i].idx + len(doc[i].text)) or (
        i >= 2 and doc[i - 1].text == "-" and doc[i - 2].text[:1].islower()
        and doc[i].idx == doc[i - 1].idx + 1)


def _elliptic_direction(doc: Doc, i: int) -> bool:
    """Is token ``i`` a direction joined to another one that carries the rest of its name
    ("West and Central African countries")?"""
    kn = _knowledge()
    return doc[i].lower_ in kn.directions and i + 2 < len(doc) \
        and doc[i + 1].lower_ in ("and", "or") and doc[i + 2].lower_ in kn.directions


def _inside(gaz: Gazetteer, key: str, qualifier: _Mention) -> bool:
    """Is some place named ``key`` inside one of the places ``qualifier`` may be? ("Warwick in
    Queensland" yes; "met Obama in Washington": the only Obama is in Japan, no)."""
    return any(_contains(q, e) for e, _ in gaz.lookup_key(key) for q, _ in qualifier.candidates)


def _recoverable_name(doc: Doc, ent: Span) -> bool:
    """Can a mislabelled entity be a place name? Not a common word ("the Church"), a short
    acronym ("UN") or a name after a title ("Mr. Corby")."""
    v = doc_view(doc)
    text = v.span_text(ent.start, ent.end)
    kn = _knowledge()
    if ent.end - ent.start == 1 and text.lower() in kn.not_places:
        return False
    if ent.start > 0 and v.lower[ent.start - 1].rstrip(".") in kn.person_titles:
        return False  # "Mr. Corby in Indonesia"
    return not (text.isupper() and len(text) <= 4)


def _speaker(ent: Span) -> bool:
    """Is the span the subject of a speech or action verb ("Philmont said", "Moscow warned")?"""
    root = ent.root
    return root.dep_ in ("nsubj", "nsubjpass") and \
        root.head.lemma_.lower() in _knowledge().metonym_verbs


def _locative_cue(doc: Doc, start: int, end: int, taken: list[bool],
                  cands: list[tuple[Entry, bool]], conjunct: bool = True) -> bool:
    """Do the words around tokens ``start:end`` say they name one of the places ``cands``?

    A locative preposition before ("in Lelystad"), "the town/island/... of" before (then a
    name the gazetteer has only as another name counts too), a place noun after ("the Fife
    area"), a lowercase facility noun after, alone or after one more noun ("Desaguadero
    hospital", "the Spotswood quarantine station"), an office after ("Ubay Vice-Mayor"),
    "<place noun> called" before, or a place and a comma (or, when ``conjunct``, a
    conjunction) just before ("Guildford, Surrey").
    """
    if not cands:
        return False
    kn = _knowledge()
    v = doc_view(doc)
    lower = v.lower
    if start > 1 and lower[start - 1] == "of" and lower[start - 2] in kn.place_nouns_before_of:
        # "the city of Kitaakita": said outright, so a name the gazetteer has only without its
        # local affix ("Kitaakita-shi") counts too
        return True
    if not any(p for _, p in cands):
        return False
    if start > 0 and lower[start - 1] in kn.locative_preps_before:
        return True
    if end < len(lower) and lower[end] in kn.place_nouns_after:
        return True
    if end < len(lower) and v.orth[end] in kn.facility_nouns_after:  # lowercase only
        return True  # "taken to Desaguadero hospital"
    if end + 1 < len(lower) and v.pos[end] == "NOUN" and v.orth[end].islower() \
            and v.orth[end + 1] in kn.facility_nouns_after:
        return True  # "the Spotswood quarantine station"
    office = _office_after(doc, end)
    if office in kn.city_offices or office in kn.division_offices:
        return True  # "said Ubay Vice-Mayor Rosa Lim"
    if start > 2 and lower[start - 1] in ("called", "named") and (
            lower[start - 2] in kn.place_nouns_before_of
            or lower[start - 3] in kn.place_nouns_before_of):
        return True  # "a village called Anapa"
    # a place and a comma or conjunction just before ("Guildford, Surrey", "Temryuk and Anapa");
    # not for a nationality ("Israeli and Canadian troops")
    return start > 1 and taken[start - 2] and (
        lower[start - 1] == "," or conjunct and lower[start - 1] in ("and", "or"))


def _extend(doc: Doc, gaz: Gazetteer, start: int, end: int, taken: list[bool]
            ) -> tuple[int, int]:
    """Widen an entity by one capitalised token when the wider name is in the gazetteer
    ("Goz Beida" when spaCy found only "Beida")."""
    v = doc_view(doc)
    orth, pos = v.orth, v.pos
    if start > 0 and not taken[start - 1] and orth[start - 1][:1].isupper() \
            and not doc[start - 1].is_sent_start and pos[start - 1] == "PROPN" \
            and gaz.has_key(normalize(v.span_text(start - 1, end))):
        return start - 1, end
    if end < len(orth) and orth[end][:1].isupper() and pos[end] == "PROPN" \
            and gaz.has_key(normalize(v.span_text(start, end + 1))):
        return start, end + 1
    # a country or a region of several named with a lowercase noun ("the Baltic states", "the
    # Palestinian territories"); not a region of one country ("the Caribbean coast")
    if end < len(orth) and orth[end][:1].islower() and not taken[end] and any(
            e.feature == "country" or e.feature == "region" and not e.cc
            for e, _ in gaz.lookup_key(normalize(v.span_text(start, end + 1)))):
        return start, end + 1
    # a longer name that spaCy split in two ("Democratic Republic" + "of the Congo")
    for wider in range(min(len(orth), end + 4), end + 1, -1):
        if any(taken[end:wider]) or not orth[wider - 1][:1].isupper() \
                or "\n" in v.span_text(end, wider):
            continue
        if gaz.has_key(normalize(v.span_text(start, wider))):
            return start, wider
    return start, end


def _strong(entry: Entry, primary: bool) -> bool:
    """Names that are almost always places when capitalised: countries, states, regions."""
    return entry.feature in ("country", "continent", "region") or (
        entry.feature == "admin1" and entry.population >= 500_000)


_LIST_TAIL = re.compile(r"\s*,?\s*(?:and|or|&)\s+[A-Z]")


def _separator(text: str, a: _Mention, b: _Mention) -> str:
    return " ".join(text[a.end:b.start].split()).lower()


def _link_lists_and_qualifiers(text: str, mentions: list[_Mention]) -> None:
    """Lists ("Alberta, Manitoba, Ontario and New Brunswick") and qualifiers.

    Mentions joined by list separators form a run; a run with a conjunction is a list, whose
    members are peers (they tend to be places of one kind) and never qualify each other. Outside
    lists, "Tyler, Texas" / "Austin, in Scott County" (strict: the first place must lie in the
    second) and "Warwick in Queensland" (a hint only) link a qualifier.
    """
    kn = _knowledge()
    seps = [_separator(text, a, b) for a, b in zip(mentions, mentions[1:], strict=False)]
    in_list = [False] * len(mentions)
    start = 0
    for i in range(len(mentions)):
        if i < len(seps) and seps[i] in kn.list_separators \
                and mentions[i].source != "dateline" and mentions[i + 1].source != "dateline":
            continue
        run = mentions[start:i + 1]
        # the conjunction may come before a last member that is not a mention ("and Al-Minya")
        # four or more names joined by commas are a list even where its end is not a name
        # ("New York, Boston, Chicago, Los Angeles, Dubai, and recently ...")
        if len(run) > 1 and (any(sep.split()[-1] in ("and", "or", "&") for sep in seps[start:i])
                             or _LIST_TAIL.match(text, run[-1].end) or len(run) >= 4):
            for k in range(start, i + 1):
                mentions[k].peers = [o for o in run if o is not mentions[k]]
                in_list[k] = True
        start = i + 1
    strict_seps = kn.qualifier_separators_strict
    loose_seps = kn.qualifier_separators_loose
    for i, (a, b) in enumerate(zip(mentions, mentions[1:], strict=False)):
        if a.qualifier is not None or (in_list[i] and in_list[i + 1]):
            continue
        if seps[i] not in strict_seps and seps[i] not in loose_seps:
            continue
        likeliest = max(a.candidates, key=lambda c: _prior(*c))[0] if a.candidates else None
        if any(e.feature in ("country", "continent") and p for e, p in a.candidates) or (
                likeliest is not None and (likeliest.feature in ("country", "continent")
                                           or likeliest.feature == "region"
                                           and not likeliest.cc)):
            # a country or a region of several is not qualified ("China, Japan", "Britain,
            # Canada", "the Baltic states, Washington said")
            continue
        if text.startswith(("'s", "\u2019s"), b.end):
            continue  # "the embassy in Caracas, Italy's embassy in Spain"
        if not any(e.feature in ("country", "admin1", "admin2", "region")
                   for e, _ in b.candidates):
            continue
        inside = any(_contains(qe, e) for qe, _ in b.candidates for e, _ in a.candidates)
        if not inside:
            if seps[i] in loose_seps:
                continue
            likely = max(b.candidates, key=lambda c: _prior(*c))[0]
            if seps[i] not in kn.qualifier_separators_explicit \
                    and any(e.cc == likely.cc for e, _ in a.candidates):
                continue  # siblings in one country ("Cairo, Giza"), not a qualifier
        a.qualifier = b
        a.qualifier_strict = seps[i] in strict_seps
        b.is_qualifier = True


def _office_after(doc: Doc, i: int) -> str:
    """The office named by the words from token ``i`` ("Governor", "Vice-Mayor"), lowercased
    without a "vice"/"deputy" prefix; "" when none starts there."""
    if i < 0 or i >= len(doc):
        return ""
    kn = _knowledge()
    word = doc[i].lower_
    for prefix in kn.office_prefixes:
        if word == prefix and i + 1 < len(doc):
            j = i + 2 if doc[i + 1].text == "-" else i + 1
            return doc[j].lower_ if j < len(doc) else ""
        if word.startswith(prefix + "-"):
            return word[len(prefix) + 1:]
    return word


def _feature_hints(doc: Doc, mentions: list[_Mention]) -> None:
    """ "the city of Sao Paulo" names a city; "the state of Sao Paulo" and "New York state"
    a division."""
    kn = _knowledge()
    for m in mentions:
        after = doc[m.tok_end] if 0 <= m.tok_end < len(doc) else None
        if after is not None and after.text in kn.division_words_before:  # lowercase only
            m.feature_hint = "division"
            continue
        if after is not None and m.peers and (after.text in kn.division_words_plural
                                              or after.text in kn.city_words_plural):
            # "Kandahar and Helmand provinces": every member of the list that ends here
            m.feature_hint = "division" if after.text in kn.division_words_plural else "city"
            for peer in m.peers:
                if peer.start < m.start:
                    peer.feature_hint = m.feature_hint
            continue
        office = _office_after(doc, m.tok_end)
        if office in kn.division_offices:  # "New York Governor Andrew Cuomo"
            m.feature_hint = "division"
            continue
        if office in kn.city_offices:  # "the Ubay vice-mayor"
            m.feature_hint = "city"
            continue
        if m.tok_start < 2 or doc[m.tok_start - 1].lower_ != "of":
            continue
        word = doc[m.tok_start - 2].lower_
        if word in kn.city_words:
            m.feature_hint = "city"
        elif word in kn.division_words_before:
            m.feature_hint = "division"
        elif word in kn.city_words_plural or word in kn.division_words_plural:
            # "the towns of A, B and C": every member of the list that starts here; a later
            # member's own cue ("B province") still decides for it, as it is read after this
            hint = "city" if word in kn.city_words_plural else "division"
            m.feature_hint = hint
            for peer in m.peers:
                if peer.start > m.start:
                    peer.feature_hint = hint


# --------------------------------------------------------------------------------------------
# Scoring


def _contains(outer: Entry, inner: Entry) -> bool:
    """Does ``outer`` (a country, division or region) contain ``inner``?"""
    if outer is inner:
        return False
    if outer.feature == "country":
        return inner.cc == outer.cc
    if outer.feature == "admin1":
        return inner.cc == outer.cc and inner.admin1 == outer.admin1
    if outer.feature == "admin2":
        # a county placed at its state's point ("admin1") only tells the state
        return (inner.cc == outer.cc and inner.admin1 == outer.admin1
                and (outer.derived == "admin1"
                     or haversine_km(inner.lat, inner.lon, outer.lat, outer.lon) < 80))
    if outer.feature == "region" and outer.cc:
        return inner.cc == outer.cc and haversine_km(inner.lat, inner.lon, outer.lat,
                                                     outer.lon) < 600
    return False


def _prior(entry: Entry, primary: bool) -> float:
    kn = _knowledge()
    # a region of one country made of its divisions ("Darfur", "Juba" from Lower and Middle
    # Juba, Greek "Macedonia") weighs like a division, not like a region of many countries:
    # "Juba" is South Sudan's capital, "Macedonia" the country
    kind = "admin1" if entry.feature == "region" and entry.cc else entry.feature
    s = kn.feature_prior.get(kind, 0.0)
    s += kn.population_weight.get(kind, 0.0) * math.log10(entry.population + 1)
    if entry.capital_of:
        s += kn.numbers["capital_bonus"]
    if not primary:
        s -= kn.numbers["alternate_penalty"]
    return s


@dataclass
class _Context:
    countries: Counter[str]
    admin1s: Counter[str]
    main_country: str | None
    list_feature: str | None = None  # the kind of place most of a list's other members are
    list_countries: frozenset[str] = frozenset()
    nationalities: frozenset[str] = frozenset()  # countries named by nationality only


def _world_city(m: _Mention) -> Entry | None:
    """The mention's candidate city of ``world_city_min_population`` people or more that bears
    the name as its main name, if any (the largest)."""
    least = _knowledge().numbers["world_city_min_population"]
    cities = [e for e, p in m.candidates if p and e.feature == "city" and e.population >= least]
    return max(cities, key=lambda e: e.population) if cities else None


def _score(m: _Mention, entry: Entry, primary: bool, ctx: _Context | None,
           world: Entry | None = None) -> float:
    """``world``: the mention's world city (:func:`_world_city`). A place with a small share
    of its people gets nothing from the story's countries and divisions: "London" in a story
    about flights from Los Angeles is London, England, not London, California; the words
    still decide ("London, Ontario", "the town of London")."""
    kn = _knowledge()
    s = _prior(entry, primary)
    if m.source == "dateline" and entry.feature == "city":  # datelines name cities
        s += kn.numbers["dateline_city_bonus"]
    q = m.qualifier
    if q is not None and q.candidates:
        if any(_contains(qe, entry) for qe, _ in q.candidates):
            s += kn.numbers["qualifier_bonus"]
        elif m.qualifier_strict:
            s -= kn.numbers["qualifier_mismatch"]
    if m.feature_hint is not None and (entry.feature == "city") == (m.feature_hint == "city"):
        s += kn.numbers["feature_hint_bonus"]
    namesake = world is not None and entry is not world \
        and entry.population * kn.numbers["world_city_min_ratio"] <= world.population
    if ctx is not None and entry.cc and not namesake:
        if ctx.countries.get(entry.cc, 0) > 0:
            s += kn.numbers["country_context_bonus"]
            if entry.cc == ctx.main_country:
                s += kn.numbers["main_country_bonus"]
        elif entry.cc in ctx.nationalities:
            s += kn.numbers["nationality_context_bonus"]
        if entry.feature not in ("country", "admin1") and ctx.admin1s.get(entry.admin1_key, 0):
            s += kn.numbers["admin1_context_bonus"]
    if ctx is not None and ctx.list_feature == entry.feature and (
            entry.feature == "country" or entry.cc in ctx.list_countries) and (
            _strong(entry, primary) or not any(_strong(e, p) for e, p in m.candidates)):
        # a list of cities does not turn a state's name into a village's ("New York City
        # and Florida")
        s += kn.numbers["list_feature_bonus"]
    return s


def _namesake_cities(m: _Mention) -> dict[int, Entry]:
    """First-level divisions of the mention's candidates (by ``id()``) that stand for their main
    city ("Giza", "Kano"): the city bears the division's name as its own main name and holds a
    good share of its people. News text then means the city unless the words say otherwise
    ("Giza governorate", "the Kano governor", "Buffalo, New York"). Quebec, whose city holds a
    small share, stays the province; "New York", New York City's name only as an alternate,
    stays the state; and "Mexico" stays the country."""
    if m.is_qualifier or m.feature_hint == "division" \
            or any(e.feature == "country" and p for e, p in m.candidates):
        return {}
    share = _knowledge().numbers["namesake_city_min_share"]
    out: dict[int, Entry] = {}
    for div, _ in m.candidates:
        if div.feature != "admin1" or div.population <= 0:
            continue
        for city, primary in m.candidates:
            # a capital may be a district of its own beside the province it names
            # ("Buenos Aires")
            if primary and city.feature == "city" and city.cc == div.cc \
                    and (city.admin1 == div.admin1 or city.capital_of == div.cc) \
                    and city.population >= share * div.population \
                    and (id(div) not in out or city.population > out[id(div)].population):
                out[id(div)] = city
    return out


def _bigger_cities_abroad(m: _Mention, namesakes: dict[int, Entry]) -> dict[int, float]:
    """Lifts (by ``id()`` of the city) for big cities abroad: for each first-level division
    among the mention's candidates that is not named after a city of its own (``namesakes``,
    from :func:`_namesake_cities`), the largest city of another country bearing the name as
    its main name, when the city is big (``entity_city_min_population``) and has more people
    than the division. The lift puts the city's prior clearly above the division's (by more
    than ``ambiguity_margin``)."""
    if m.is_qualifier or m.feature_hint == "division":
        return {}
    kn = _knowledge()
    city_min = kn.numbers["entity_city_min_population"]
    lifts: dict[int, float] = {}
    for div, dp in m.candidates:
        if div.feature != "admin1" or id(div) in namesakes:
            continue
        cities = [e for e, p in m.candidates if p and e.feature == "city" and e.cc != div.cc
                  and e.population >= max(city_min, div.population)]
        if not cities:
            continue
        city = max(cities, key=lambda e: e.population)
        lift = _prior(div, dp) - _prior(city, True) + 2 * kn.numbers["ambiguity_margin"]
        if lift > lifts.get(id(city), 0.0):
            lifts[id(city)] = lift
    return lifts


def _resolve(m: _Mention, ctx: _Context | None) -> None:
    # an alternate name loses more when some place bears the name as its main name
    extra = _knowledge().numbers["alternate_penalty"] if any(p for _, p in m.candidates) else 0
    world = _world_city(m)
    raw = [(_score(m, e, p, ctx, world) - (0 if p else extra), e) for e, p in m.candidates]
    namesakes = _namesake_cities(m)
    # in a list of states, a state ("Virginia, Washington, West Virginia")
    cities = namesakes if ctx is None or ctx.list_feature != "admin1" else {}
    if cities:  # the city stands where its division would: just above it
        lifted = {id(c): sc + 0.01 for sc, d in raw if id(d) in cities
                  for c in (cities[id(d)],)}
        raw = [(max(sc, lifted.get(id(e), sc)), e) for sc, e in raw]
    # a city abroad with more people than a division of the same name stands above it, all
    # else equal ("Manchester" is the English city, not the Jamaican parish); the story's
    # context still decides ("Manchester parish, Jamaica")
    lifts = _bigger_cities_abroad(m, namesakes)
    if lifts:
        raw = [(sc + lifts.get(id(e), 0.0), e) for sc, e in raw]
    scored = sorted(raw, key=lambda x: (-x[0], -x[1].population))
    m.scores = scored
    if not scored:
        m.best = None
        return
    m.best = scored[0][1]
    m.margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 99.0
    m.country_margin = next((scored[0][0] - sc for sc, e in scored[1:] if e.cc != m.best.cc),
                            99.0)
    key = m.best.admin1_key
    m.admin1_margin = next((scored[0][0] - sc for sc, e in scored[1:] if e.admin1_key != key),
                           99.0)


def _context(mentions: list[_Mention], exclude: _Mention,
             dateline_country: str | None, keys: Sequence[str] | None = None,
             nationalities: frozenset[str] = frozenset()) -> _Context:
    """``keys``: ``normalize(m.name or m.text)`` of each mention, when already known.
    ``nationalities``: countries the story names by nationality ("Palestinian police"), a
    weaker hint than a place."""
    countries: Counter[str] = Counter()
    admin1s: Counter[str] = Counter()
    skip = normalize(exclude.name or exclude.text)
    if keys is None:
        keys = [normalize(m.name or m.text) for m in mentions]
    for m, key in zip(mentions, keys, strict=True):
        if m is exclude or m.best is None or m.metonym_of is not None:
            continue
        if key == skip or m.country_margin < 1.0:
            continue
        e = m.best
        if e.cc:
            countries[e.cc] += 1
        if m.admin1_margin >= 1.0 and e.feature != "country" and e.admin1_key:
            admin1s[e.admin1_key] += 1
    if dateline_country:
        countries[dateline_country] += 3
    main = countries.most_common(1)[0][0] if countries else None
    kinds = Counter(p.best.feature for p in exclude.peers
                    if p.best is not None and p.metonym_of is None)
    list_feature = None
    if kinds:
        kind, count = kinds.most_common(1)[0]
        if count * 2 > len(exclude.peers):
            list_feature = kind
    list_countries = frozenset(p.best.cc for p in exclude.peers if p.best is not None)
    return _Context(countries, admin1s, main, list_feature, list_countries, nationalities)


def _metonym(doc: Doc, m: _Mention) -> Entry | None:
    """A capital as the subject of a speech/action verb ("Washington said"); a seat of
    government ("the Kremlin", "the White House") anywhere but after a locative preposition
    ("talks at the White House")."""
    if m.source == "dateline" or m.tok_start < 0:
        return None
    kn = _knowledge()
    if normalize(m.text) in kn.government_seats:
        before = m.tok_start - 1
        if before >= 0 and doc[before].lower_ == "the":
            before -= 1
        if before >= 0 and (doc[before].lower_ in kn.locative_preps_before
                            or doc[before].lower_ == "on"):
            return None
    elif not _speaker(doc[m.tok_start:m.tok_end]):
        return None
    capitals = [e for e, p in m.candidates if p and e.capital_of]
    if not capitals:
        return None
    return max(capitals, key=lambda e: e.population)


# --------------------------------------------------------------------------------------------
# Public API


def find_places(doc: Doc, report_date: datetime.date | None = None) -> list[Place]:
    """Toponyms of an article, resolved with the gazetteer (see the module docstring).

    ``report_date`` is accepted for the pipeline's uniform call; place names are not
    time-dependent in the packaged gazetteer.
    """
    del report_date
    gaz = load_gazetteer()
    mentions, dateline = _collect_mentions(doc, gaz)
    for m in mentions:
        m.metonym_of = _metonym(doc, m)
    # pass 1: each mention on its own (prior + qualifier)
    for m in mentions:
        _resolve(m, None)
    dateline_country = None
    for m in mentions:
        if m.source == "dateline" and m.best is not None and m.best.cc:
            dateline_country = m.best.cc
            break
    # pass 2: with the article's context from the other mentions (and its nationalities)
    keys = [normalize(m.name or m.text) for m in mentions]
    nationalities = _nationality_countries(doc) if mentions else frozenset()
    contexts = [_context(mentions, m, dateline_country, keys, nationalities)
                for m in mentions]
    for m, ctx in zip(mentions, contexts, strict=True):
        m.context = ctx
        _resolve(m, ctx)
    _one_sense(mentions)
    _city_qualifiers(mentions)
    _direction_ellipsis(doc, mentions)
    places = [_to_place(gaz, m, _after_the(doc, m)) for m in mentions]
    return [p for m, p in zip(mentions, places, strict=True)
            if p.lat is not None or not _bare_direction_adjective(m)]


def _city_qualifiers(mentions: list[_Mention]) -> None:
    """A qualifier that names both a division and a big city of that name is the city when
    every place it qualifies lies in that city: "Brooklyn, New York" is New York City, while
    "Buffalo, New York" stays the state."""
    kn = _knowledge()
    qualified: dict[int, list[_Mention]] = {}
    for m in mentions:
        if m.qualifier is not None and m.best is not None:
            qualified.setdefault(id(m.qualifier), []).append(m)
    for q in mentions:
        parts = qualified.get(id(q))
        if not parts or q.best is None or q.best.feature != "admin1":
            continue
        cities = [e for e, _ in q.candidates if e.feature == "city"
                  and e.population >= kn.numbers["world_city_min_population"]
                  and e.cc == q.best.cc and e.admin1 == q.best.admin1]
        for city in cities:
            if all(m.best is not None and m.best is not city and m.best.population
                   < city.population and haversine_km(m.best.lat, m.best.lon, city.lat,
                                                      city.lon) < kn.numbers["city_part_km"]
                   for m in parts):
                q.best = city
                q.scores = [(99.0, city)]
                break


@functools.lru_cache(maxsize=1)
def _direction_words() -> tuple[frozenset[str], frozenset[str]]:
    """The direction nouns ("north", "southeast") and adjectives ("northern") of
    ``direction_adjectives`` in ``where.json``."""
    forms = _knowledge().direction_forms
    nouns = frozenset(w for w, adj in forms.items() if len(adj) > len(w))
    return nouns, frozenset(forms) - nouns


def _bare_direction_adjective(m: _Mention) -> bool:
    """Is the mention a lone "Western" or "Eastern"? Unresolved ("Western-backed", "China
    Eastern Airlines"), it is no place mention."""
    return not m.name and normalize(m.text) in _direction_words()[1]


def _direction_ellipsis(doc: Doc, mentions: list[_Mention]) -> None:
    """"The North" in a story that names North Korea is North Korea, and "the South" in one
    that names South Sudan is South Sudan: a bare direction after "the" stands for the one
    country the story names with that direction."""
    nouns = _direction_words()[0]
    named: dict[str, dict[int, Entry]] = {}
    for m in mentions:
        e = m.best
        if e is None or m.metonym_of is not None or e.feature != "country":
            continue
        words = normalize(e.name).split()
        if len(words) > 1 and words[0] in nouns:
            named.setdefault(words[0], {})[id(e)] = e
    for m in mentions:
        key = normalize(m.text)
        if m.name or len(named.get(key, {})) != 1 or not _after_the(doc, m):
            continue
        entry = next(iter(named[key].values()))
        m.best, m.name, m.metonym_of = entry, entry.name, None
        m.scores = [(99.0, entry)]
        m.margin = m.country_margin = m.admin1_margin = 99.0


def _qualified(m: _Mention) -> bool:
    """Does the mention's explicit qualifier contain its resolution?"""
    q = m.qualifier
    return (m.best is not None and q is not None
            and any(_contains(qe, m.best) for qe, _ in q.candidates))


def _one_sense(mentions: list[_Mention]) -> None:
    """A name that an article once qualified ("Austin, Indiana") keeps that sense elsewhere."""
    sense: dict[str, Entry] = {}
    for m in mentions:
        if m.best is not None and m.metonym_of is None and _qualified(m):
            sense.setdefault(normalize(m.name or m.text), m.best)
    if not sense:
        return
    for m in mentions:
        entry = sense.get(normalize(m.name or m.text))
        if entry is None or m.qualifier is not None or m.metonym_of is not None \
                or m.best is entry:
            continue
        if any(e is entry for e, _ in m.candidates):
            m.best = entry
            m.margin = m.country_margin = m.admin1_margin = 99.0
            m.scores = [(s, e) for s, e in m.scores if e is entry]


def _after_the(doc: Doc, m: _Mention) -> bool:
    """Is the word before the mention "the"?"""
    return m.tok_start > 0 and doc[m.tok_start - 1].lower_ == "the"


def _to_place(gaz: Gazetteer, m: _Mention, after_the: bool) -> Place:
    """``after_the``: the word before the mention is "the" (see :func:`_after_the`)."""
    kn = _knowledge()
    if m.metonym_of is not None:
        cap = m.metonym_of
        iso3 = gaz.country_iso3(cap.capital_of)
        return Place(m.start, m.end, m.text, None, None, None, None, iso3, None, "metonym",
                     reason=f"capital as subject of a speech/action verb: the government of "
                            f"{iso3}, not a place")
    if m.best is None:
        return Place(m.start, m.end, m.text, None, None, None, None, None, None, None,
                     reason="not in the gazetteer")
    best = m.best
    q = m.qualifier
    if q is not None and m.qualifier_strict and q.candidates and not _qualified(m):
        return Place(m.start, m.end, m.text, None, None, None, None, None, None, None,
                     reason=f"no {m.text} in {q.text} in the gazetteer")
    if all(w in kn.directions for w in normalize(m.name or m.text).split()) and (
            m.context is None or m.context.countries.get(best.cc, 0) == 0):
        # "the American South", "fighting in the North": a part of some country, named only
        # by direction; a division of that name counts only in a story about its country
        return Place(m.start, m.end, m.text, None, None, None, None, None, None, None,
                     reason=f"a direction, not a named place: {best.name} "
                            f"({gaz.country_iso3(best.cc)}) is not among the story's countries")
    if best.feature in ("city", "admin1", "admin2") \
            and normalize(m.name or m.text) in kn.common_word_names and (
                m.context is None or m.context.countries.get(best.cc, 0) == 0
                or after_the):
        # "the Commonwealth", "in the Capital", "hit the Earth": an English word that some
        # place is named; after "the" it is the word even in the place's country
        return Place(m.start, m.end, m.text, None, None, None, None, None, None, None,
                     reason=f"a common word: {best.name} ({gaz.country_iso3(best.cc)}) is not "
                            f"among the story's countries")
    stray = _stray(m, best)
    if stray:
        return Place(m.start, m.end, m.text, None, None, None, None, None, None, None,
                     reason=f"only a small place of that name elsewhere ({best.name}, "
                            f"{gaz.country_iso3(best.cc)}) while the article's places are in "
                            f"{gaz.country_iso3(stray)}")
    if len(m.scores) > 1:
        second_score, second = m.scores[1]
        if (m.margin < kn.numbers["ambiguity_margin"] and second.cc != best.cc
                and haversine_km(best.lat, best.lon, second.lat, second.lon) > 161):
            return Place(m.start, m.end, m.text, None, None, None, None, None, None, None,
                         reason=f"ambiguous: {best.name} ({gaz.country_iso3(best.cc)}) or "
                                f"{second.name} ({gaz.country_iso3(second.cc)})")
    return Place(m.start, m.end, m.text, best.name, best.id, best.lat, best.lon,
                 gaz.country_iso3(best.cc), gaz.admin1_name(best), best.feature)


def _stray(m: _Mention, best: Entry) -> str | None:
    """The article's main country when ``best`` is a small place outside every country the
    article's other places are in, and nothing in the text ties the name to it: a local name
    missing from the gazetteer ("Piccadilly" in a London story) rather than that place. A
    place that bears the name only as an alternate name ("Kalam" for India's Kallam, in a
    story about Pakistan) counts as small up to a larger population."""
    ctx = m.context
    kn = _knowledge()
    primary = any(e is best and p for e, p in m.candidates)
    limit = kn.numbers["stray_place_max_population" if primary
                       else "stray_alternate_max_population"]
    if ctx is None or ctx.main_country is None or m.qualifier is not None \
            or m.source == "dateline" or best.feature not in ("city", "admin2") \
            or best.population >= limit \
            or not best.cc or ctx.countries.get(best.cc, 0) > 0 \
            or ctx.countries[ctx.main_country] < kn.numbers["stray_context_min_mentions"]:
        return None
    return ctx.main_country


def _place_root(doc: Doc, place: Place) -> Token | None:
    span: Span | None = doc.char_span(place.start, place.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def event_location(doc: Doc, trigger_index: int, places: list[Place],
                   actors: Sequence[tuple[int, int]] = ()) -> Location | None:
    """The place attached to the event whose trigger is token ``trigger_index``.

    In order: a place in a locative prepositional phrase of the trigger ("met in Doha"),
    of its object ("attacked a village in X"), the trigger's object itself when it is a
    place, any locative phrase elsewhere in the trigger's own clause; else the dateline's
    place; else ``None``.

    ``actors``: character spans of the event's source and target. A place inside one that is
    the trigger's object or hangs off "to"/"from"/"by" names a participant, not where the event
    happened ("accused the United States", "rejected North Korea's demand", "halted aid to
    Serbia"), unless the trigger is a verb of being somewhere ("visited Albania", "shelled
    Juba"); after "in", "at", "near" ... it is still the place ("demonstrated in Serbia").
    """
    if not 0 <= trigger_index < len(doc):
        return None
    kn = _knowledge()
    view = doc_view(doc)
    trigger = view.tokens[trigger_index]
    sent_start = view.sentence_of(trigger_index)[0]
    roots: dict[tuple[int, int], Token | None] = view.memo.setdefault("place_roots", {})
    usable = [p for p in places if p.lat is not None and p.feature != "metonym"]
    participants = [] if trigger.lemma_.lower() in kn.presence_verbs else \
        [(a, b) for a, b in actors if 0 <= a < b]
    best: tuple[int, int, Place] | None = None  # (rank, distance, place)
    for place in usable:
        key = (place.start, place.end)
        if key in roots:
            root = roots[key]
        else:
            root = roots[key] = _place_root(doc, place)
        if root is None or view.sentence_of(root.i)[0] != sent_start:
            continue
        rank = _attachment_rank(trigger, root, kn)
        if rank is None:
            continue
        if rank % 2 == 1 and any(a <= place.start and place.end <= b for a, b in participants):
            continue  # an object or a "to"/"from" phrase naming a participant
        cand = (rank, abs(root.i - trigger.i), place)
        if best is None or cand[:2] < best[:2]:
            best = cand
    if best is not None:
        return _location(best[2], "attached")
    dateline = parse_dateline(view.span_text(0, min(60, len(view.tokens))))
    if dateline is not None:
        for place in usable:
            if place.start < dateline.span_end:
                return _location(place, "dateline")
    return None


def _attachment_rank(trigger: Token, root: Token, kn: _Knowledge) -> int | None:
    """How directly a place's root token hangs off the trigger (smaller is closer)."""
    # climb from the place through name-internal links to the phrase's head
    tok = root
    steps = 0
    while tok.dep_ in kn.chain_deps and tok.head.i != tok.i and steps < 4:
        tok = tok.head
        steps += 1
    # "the city of X": X is pobj of "of" under a noun: climb to that noun
    while tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.i != tok.head.i \
            and steps < 6:
        tok = tok.head.head
        steps += 1
        while tok.dep_ in kn.chain_deps and tok.head.i != tok.i and steps < 6:
            tok = tok.head
            steps += 1
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        prep = tok.head
        if prep.lower_ not in kn.location_preps:
            return None
        weak = 1 if prep.lower_ in kn.weak_location_preps else 0
        anchor = prep.head
        if anchor.i == trigger.i:
            return 0 + weak
        if anchor.head.i == trigger.i and anchor.dep_ in kn.object_deps:
            return 2 + weak
        if _in_clause(trigger, anchor, kn):
            return 4 + weak
        return None
    if tok.i == trigger.i:
        return None
    if tok.head.i == trigger.i and tok.dep_ in kn.object_deps:
        return 3
    return None


def _in_clause(trigger: Token, tok: Token, kn: _Knowledge) -> bool:
    """Is ``tok`` in the trigger's subtree without crossing into another clause?"""
    steps = 0
    while tok.i != trigger.i and steps < 12:
        if tok.dep_ in kn.clausal_deps or tok.head.i == tok.i:
            return False
        tok = tok.head
        steps += 1
    return tok.i == trigger.i


def _location(place: Place, how: str) -> Location:
    return Location(text=place.text, name=place.name, geonameid=place.geonameid,
                    lat=place.lat, lon=place.lon, country=place.country, admin1=place.admin1,
                    feature=place.feature, resolved_by=how, start=place.start, end=place.end)


# --------------------------------------------------------------------------------------------
# Evaluation


def evaluate_places(records: Iterable[dict[str, Any]], nlp: Language) -> dict[str, Any]:
    """Score :func:`find_places` on gold toponyms; see :mod:`tidings.evaluate_places`."""
    from tidings.evaluate_places import evaluate_places as _evaluate

    return _evaluate(records, nlp)
