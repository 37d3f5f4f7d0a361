"""The event coder: from a parsed article to CAMEO/PLOVER events with their provenance.

For each clause of each sentence the coder finds

1. the *trigger*: a verb whose lemma is in the verb dictionary, coded by its most specific
   pattern (``coding.patterns.match_verb``), and composed with its complement ("threatened to
   ban", "agreed to meet", "called on X to withdraw");
2. the *source*: the subject (the agent of a passive; the subject of the governing verb for
   complements and conjoined verbs), conjoined subjects giving one event each;
3. the *target*: the direct object, the object of the pattern's or the verb's preposition
   ("meet with X", "sanctions on X"), or the owner of the object ("support Turkey's efforts");
4. the *modality*: negated, future, hypothetical, reported (inside what someone said) or asserted.

Every event keeps an ``explanation``: the verb entry, the pattern, the dictionary entries that
coded each actor, and the composition applied.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Token

from tidings.coding.actors import (
    RELATIONAL_NOUNS,
    ActorCoder,
    ArticleContext,
    doc_text,
    np_tokens,
    phrase_starts,
)
from tidings.coding.compose import compose_codes
from tidings.coding.patterns import PatternMatch, marker_target, match_verb
from tidings.docview import DocView, doc_view
from tidings.docview import children as _kids
from tidings.knowledge import ActorKnowledge, default_actor_knowledge
from tidings.knowledge.events import cameo_info, plover_dropped, plover_of
from tidings.knowledge.verbs import VerbDictionary, VerbEntry, default_verbs
from tidings.model import Actor, Article, Cameo, Event, Plover, Quote, Sentence, Span

SPEECH_LEMMAS = {"say", "tell", "announce", "report", "claim", "state", "add", "note",
                 "insist", "declare", "write", "confirm", "allege", "believe", "think",
                 "explain", "reiterate", "stress", "assert", "acknowledge", "argue", "suggest"}
FUTURE_LEMMAS = {"plan", "intend", "expect", "schedule", "set", "prepare", "aim", "hope",
                 "want", "seek", "wish", "vow", "pledge", "promise", "due",
                 # predicate adjectives: "is prepared / ready / about to impose"
                 "prepared", "ready", "poised", "about", "willing"}
HYPOTHETICAL_AUX = {"could", "might", "may", "should", "must", "can"}
SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "dative", "obj", "iobj"}
TARGET_PREPS = ("with", "against", "on", "to", "toward", "towards", "at", "into", "upon",
                "from", "for", "over", "about", "of")
FIRST_PERSON = {"we", "i", "us", "me", "our", "my"}
SENTENCE_PRONOUNS = {"it", "they", "he", "she", "we", "its", "their"}
#: CAMEO roots of cooperative acts (consult, support, cooperate, aid, yield) and of coercive
#: or violent ones (sanction, coerce, assault, fight, mass violence).
MENTION_DEPS = SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS | OBJECT_DEPS | {"pobj", "appos"}
#: The CAMEO code given to an event whose PLOVER type comes from the learned classifier: the
#: type's most general CAMEO code.
LEARNED_CODES = {"AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060",
                 "AID": "070", "CONCEDE": "080", "RETREAT": "087", "REQUEST": "100",
                 "ACCUSE": "110", "REJECT": "120", "THREATEN": "130", "PROTEST": "140",
                 "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170", "ASSAULT": "190"}
#: Roots whose verbs make an event without an object: yielding or retreating ("the rebels
#: surrendered"), protesting ("workers demonstrated").
INTRANSITIVE_ROOTS = {"08", "14"}
#: Roots of events that conjoined parties do together ("X and Y agreed/met/cooperated").
SYMMETRIC_ROOTS = {"03", "04", "05", "06"}
COOPERATIVE_ROOTS = {"04", "05", "06", "07", "08"}
COERCIVE_ROOTS = {"16", "17", "18", "19", "20"}
# Governing codes whose complement stays an event of its own: statements (01) and accusations
# (11: "accused X of attacking Y" is also an attack by X).
KEEP_INNER_ROOTS = {"01", "11"}
# "X said Y must …": a statement that someone must act is a demand (CAMEO 10).
OBLIGATION_AUX = {"must", "should"}
CLAUSAL_DEPS = {"xcomp", "ccomp", "advcl", "pcomp", "conj", "relcl", "acl"}


@dataclass
class Knowledge:
    """The dictionaries the coder uses, and how to read them.

    ``country_as_government``: a state named as an actor ("Somalia accused …") codes as its
    government (SOMGOV), as analysts expect; False keeps the dictionary's bare code (SOM), as
    PETRARCH-format dictionaries written for PETRARCH expect.

    ``modality_recoding``: planned, conditional and refused acts are recoded as intents, threats
    and rejections (:func:`recode_for_modality`); False leaves modality to the verb patterns
    ("- &NEGATVAUXVRB * OVER EFFORTS"), as in PETRARCH-format dictionaries.

    ``actor_code_concatenation``: a noun phrase's agent codes join its actor's whole code, as
    PETRARCH does ("Arnor cleric" → ARN + ~REL → ARNREL; "MSF Arnor" → NGO~ + ARN → NGOARN),
    also when the actor code names no known country; False joins agents to known countries
    only.

    ``surface_patterns``: pattern words before the verb ("INDICATED WOULD * NOW",
    "&NEGATVAUXVRB *"), and after it within the verb's own phrase ("* REALLY_PLEASANT" in
    "allowed that Mordor isn't a really pleasant place"), may be read on the sentence's word
    order when the parse does not give them as the verb's dependents, as TABARI/PETRARCH
    dictionaries were written.

    ``untargeted_events``: a verb's own code is coded even when no target is found ("…, the
    news agency said" → an event without a target), as PETRARCH does (its target is the null
    actor ``---``, kept when ``require_dyad`` is off); False drops such events as too weak.

    ``nominal_table``: the packaged table of event nouns after light and stopping verbs ("held
    talks", "broke off relations") codes verbs no pattern matched; False leaves them to the
    verb dictionary alone, as a user's own dictionaries expect.
    """

    actors: ActorKnowledge
    verbs: VerbDictionary
    country_as_government: bool = True
    modality_recoding: bool = True
    actor_code_concatenation: bool = False
    surface_patterns: bool = False
    untargeted_events: bool = False
    nominal_table: bool = True

    @classmethod
    def default(cls) -> Knowledge:
        return cls(actors=default_actor_knowledge(), verbs=default_verbs())


@dataclass
class Trigger:
    token: Token
    match: PatternMatch
    code: str
    composed: list[str] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)
    target_heads: list[Token] | None = None  # set when a rule names the target explicitly


def _children(t: Token, deps: set[str] | frozenset[str]) -> list[Token]:
    v = doc_view(t.doc)
    dep, toks = v.dep, v.tokens
    return [toks[j] for j in v.kids(t.i) if dep[j] in deps]


def _with_conjuncts(t: Token) -> list[Token]:
    """``t`` and the phrases conjoined with it; a list parsed as an apposition that is itself
    conjoined ("Mordor, the Shire, Fornost and Bree": Shire appos, Fornost and Bree its
    conjuncts; "Evil Mordor, the awful Fornost, and good Gondor": Fornost appos, Gondor conj)
    counts as conjuncts too."""
    v = doc_view(t.doc)
    toks = v.tokens
    return [t, *(toks[j] for j in _conjunct_ids(v, t.i)[1:])]


def _conjunct_ids(v: DocView, i: int) -> list[int]:
    out = [i]
    dep, pos = v.dep, v.pos
    for c in v.kids(i):
        if dep[c] == "conj" and pos[c] in {"PROPN", "NOUN", "PRON"}:
            out.extend(_conjunct_ids(v, c))
        elif dep[c] == "appos" and pos[c] in {"PROPN", "NOUN"} and any(
                dep[g] == "conj" and pos[g] in {"PROPN", "NOUN"}
                for g in (*v.kids(c), *v.kids(i))):
            out.extend(_conjunct_ids(v, c))
    return out


class Coder:
    """Codes parsed articles into events. Pure given the knowledge: no I/O, no global state."""

    def __init__(self, knowledge: Knowledge | None = None, *, joint_action: bool = True,
                 learned_fallback: bool = False) -> None:
        """``joint_action``: conjoined parties of a cooperative event act together ("Israel and
        Lebanon renewed negotiations": no target); False codes each party against the other
        (ISR→LBN, LBN→ISR) when no other target is named, as PETRARCH does.

        ``learned_fallback``: sentences where the dictionaries find no event may get one from the
        learned sentence classifier (``coding/classifier.py``), above its threshold, with the
        classifier's evidence as the explanation. Off by default (see docs/classifier.md)."""
        self.knowledge = knowledge or Knowledge.default()
        self.joint_action = joint_action
        self.learned_fallback = learned_fallback
        kb = self.knowledge
        self.actors = ActorCoder(kb.actors, country_as_government=kb.country_as_government,
                                 concatenate_codes=kb.actor_code_concatenation)
        self._quotes: list[Quote] = []
        self._countries: list[str] = []

    # -- public -------------------------------------------------------------------------------
    def code_doc(self, doc: Doc, article: Article, ctx: ArticleContext | None = None,
                 quotes: Sequence[Quote] = ()) -> list[Event]:
        """All events of one parsed article (``doc.text`` is the article text).

        ``quotes`` (with coded speakers) let "we"/"I" inside a quote stand for its speaker.
        """
        ctx = ctx or ArticleContext(date=article.date)
        self._quotes = [q for q in quotes if q.speaker is not None and q.speaker.code]
        self.actors.alternatives.clear()
        events: list[Event] = []
        for si, sent in enumerate(doc_view(doc).sents()):
            events.extend(self._code_sentence(doc, si, sent.start, sent.end, article, ctx))
        return events

    def person_index(self, doc: Doc, date: dt.date | None) -> dict[str, Actor]:
        """Coded people of the article by name word ("Mutua" → Kenya's foreign minister Alfred
        Mutua), so a later short mention or a quote's speaker codes like the full one."""
        out: dict[str, Actor] = {}
        for ent in doc_view(doc).ents():
            if ent.label_ != "PERSON":
                continue
            head = ent.root
            a = self.actors.code_head(head.head if head.dep_ in {"compound", "appos"}
                                      and head.head.pos_ in {"NOUN", "PROPN"} else head, date)
            if a is None:
                a = self.actors.code_head(head, date)
            if a is not None and a.code:
                for w in ent.text.split():
                    out.setdefault(w.lower(), a)
        return out

    def sentences(self, doc: Doc) -> list[Sentence]:
        text = doc_text(doc)
        return [Sentence(index=i, start=s.start_char, end=s.end_char,
                         text=text[s.start_char:s.end_char])
                for i, s in enumerate(doc_view(doc).sents())]

    # -- sentences ----------------------------------------------------------------------------
    def _discarded(self, words: Sequence[str]) -> str | None:
        for i, n in self.knowledge.actors.discards.matches(words):
            # Bare years in the discard list would throw away most history; they are ignored.
            if not all(w.isdigit() for w in words[i:i + n]):
                return " ".join(words[i:i + n])
        return None

    def _code_sentence(self, doc: Doc, si: int, start: int, end: int, article: Article,
                       ctx: ArticleContext) -> list[Event]:
        sent = doc[start:end]
        sentence = Sentence(index=si, start=sent.start_char, end=sent.end_char,
                            text=doc_text(doc)[sent.start_char:sent.end_char])
        v = doc_view(doc)
        words = v.lower[start:end]
        discard = self._discarded(words)
        date = article.date
        if discard:
            self._remember(sent, date, ctx)
            return []
        triggers: dict[int, Trigger] = {}
        pos, dep, lower, lemma = v.pos, v.dep, v.lower, v.lemma
        for k in range(start, end):
            if pos[k] not in {"VERB", "AUX", "NOUN"} or pos[k] == "AUX" and dep[k] == "aux":
                continue
            if pos[k] == "NOUN" and dep[k] not in {"ROOT"}:
                continue
            tok = v.tokens[k]
            entries = self.knowledge.verbs.lookup(lemma[k])
            if lower[k] != lemma[k] and (
                    not entries or self.knowledge.surface_patterns):
                # a dictionary written for TABARI/PETRARCH may list a form as a verb of its
                # own ("LEFT [032:033]" apart from "LEAVE [012]"): the word as written wins
                own = [e for e in self.knowledge.verbs.lookup(lower[k])
                       if e.lemma == lower[k]] if entries else \
                    self.knowledge.verbs.lookup(lower[k])
                if own:
                    entries = own
            if not entries:
                continue
            pm = match_verb(tok, entries, surface=self.knowledge.surface_patterns)
            if pm is None:
                continue
            if pm.pattern is not None and _borrowed_bare_preposition(pm.pattern.text,
                                                                    tok.lemma_.lower()):
                # "beat … with the knowledge of" is not "break with" (the pattern's own verb)
                pm = PatternMatch(code=pm.entry.code, pattern=None, tokens=(), entry=pm.entry)
            triggers[tok.i] = Trigger(token=tok, match=pm, code=pm.code)
        if self.knowledge.nominal_table:
            self._nominal_triggers(sent, triggers)
        self._obligations(sent, triggers)
        self._compose(triggers)
        countries = self._sentence_countries(sent, words, date)
        self._countries = countries
        events: list[Event] = []
        seen: set[tuple[str | None, str | None, str]] = set()
        # a pattern that reached into another trigger's clause ("announced that he will
        # withdraw") gives way to that trigger, which has its own subject and modality
        for t in list(triggers.values()):
            if any(i in triggers and i != t.token.i for i in t.match.tokens) and not t.composed:
                del triggers[t.token.i]
        consumed = _consumed_all(triggers)
        live = [t for t in sorted(triggers.values(), key=lambda t: t.token.i)
                if t.token.i not in consumed and codable(t.code)]
        for trig in live:
            info = cameo_info(trig.code)
            plover = plover_of(trig.code)
            if _elaborates(trig, live):
                continue
            sources, (reported, reported_by) = self._sources(trig.token, date, ctx)
            sources = [self._fill_country(a, countries, ctx) for a in sources]
            marked = (marker_target(trig.match.pattern, trig.token)
                      if self.knowledge.surface_patterns and trig.target_heads is None
                      and trig.match.pattern is not None else None)
            if marked is not None:
                # the pattern names its target by position ("WARN * THEIR ^ ABOUT +")
                trig.target_heads = [x for x in _with_conjuncts(marked)]
            if trig.target_heads is not None:
                targets = [a for a in (self.actors.code_head(h, date, ctx)
                                       for h in trig.target_heads) if a]
                if marked is not None and not targets:
                    targets = self._targets(trig.token, date, ctx, exclude=sources)
            else:
                targets = self._targets(trig.token, date, ctx, exclude=sources)
            targets = [self._fill_country(a, countries, ctx) for a in targets]
            sources = [x for a in sources for x in self.actors.expand(a)]
            targets = [x for a in targets for x in self.actors.expand(a)]
            if self.joint_action and len(sources) > 1 and trig.code[:2] in SYMMETRIC_ROOTS \
                    and not any(m in {"target:object", "target:prep:with"} for a in targets
                                for m in a.matched):
                # "Israel and Lebanon renewed negotiations on …": the parties act together
                targets = []
            # without joint action, conjoined parties with no other target act on each other
            pair_sources = not self.joint_action and not targets and len(sources) > 1
            target_options: list[Actor | None] = list(targets) or [None]
            if not targets and not pair_sources and trig.match.pattern is None \
                    and not trig.composed and trig.code[:2] not in INTRANSITIVE_ROOTS \
                    and not self.knowledge.untargeted_events:
                # A verb's default code with no pattern and no target is too weak to code:
                # "the party continued" is not an event about anyone.
                continue
            for src in sources:
                options = ([a for a in sources if a.start != src.start] if pair_sources
                           else target_options)
                for tgt in options:
                    if tgt is not None and src.code == tgt.code and src.start == tgt.start:
                        continue
                    if tgt is not None and _relational(tgt, doc) and src.sector:
                        tgt = _with_sector(tgt, src.sector)
                    if src is not None and _relational(src, doc) and tgt is not None \
                            and tgt.sector:
                        src = _with_sector(src, tgt.sector)
                    key = (src.code, tgt.code if tgt else None, trig.code)
                    if key in seen:
                        continue
                    seen.add(key)
                    modality = self._modality(trig.token, reported, bool(trig.composed))
                    in_condition = any(c.dep_ == "mark" and c.lower_ in {"if", "unless"}
                                       for c in _kids(trig.token))
                    code, modality, note = trig.code, modality, ""
                    if self.knowledge.modality_recoding:
                        code, modality, note = recode_for_modality(
                            trig.code, modality, reported, in_condition=in_condition)
                    if note:
                        trig.composed.append(note)
                        info = cameo_info(code)
                        plover = plover_of(code)
                        trig.code = code
                    trig_span = _trigger_span(trig)
                    explanation: dict[str, Any] = {
                        "verb": {"lemma": trig.match.entry.lemma, "block": trig.match.entry.block,
                                 "entry": trig.match.entry.entry, "code": trig.match.entry.code},
                        "pattern": (trig.match.pattern.text if trig.match.pattern else None),
                        "pattern_entry": (trig.match.pattern.entry if trig.match.pattern
                                          else None),
                        "composition": trig.composed,
                        "source": src.matched,
                        "target": tgt.matched if tgt else [],
                        "plover_via": plover.via,
                        "rule": _rule_name(trig),
                        "trigger_token": trig.token.i,
                    }
                    events.append(Event(
                        event_id=Event.make_id(article.id, si, trig_span.start, src.code,
                                               tgt.code if tgt else None, trig.code),
                        article_id=article.id,
                        report_date=article.date.isoformat() if article.date else None,
                        sentence=sentence,
                        trigger=trig_span,
                        source=src,
                        target=tgt,
                        cameo=Cameo(code=info.code, root=info.root, name=info.name,
                                    goldstein=info.goldstein, quad_class=info.quad_class),
                        plover=Plover(type=plover.type, mode=plover.mode,
                                      contexts=list(plover.contexts)),
                        modality=modality,
                        date=None,
                        location=None,
                        explanation=explanation,
                        reported_by=reported_by,
                    ))
                    back = trig.match.reciprocal
                    if back and tgt is not None and codable(back) and not note \
                            and self.knowledge.surface_patterns \
                            and (tgt.code, src.code, back) not in seen:
                        # "[032:033]" in a TABARI/PETRARCH dictionary: the target does the
                        # paired act towards the source ("left for Minas Tirith": GON hosts
                        # the visitor)
                        seen.add((tgt.code, src.code, back))
                        rinfo, rplover = cameo_info(back), plover_of(back)
                        events.append(dataclasses.replace(
                            events[-1],
                            event_id=Event.make_id(article.id, si, trig_span.start, tgt.code,
                                                   src.code, back),
                            source=tgt, target=src,
                            cameo=Cameo(code=rinfo.code, root=rinfo.root, name=rinfo.name,
                                        goldstein=rinfo.goldstein,
                                        quad_class=rinfo.quad_class),
                            plover=Plover(type=rplover.type, mode=rplover.mode,
                                          contexts=list(rplover.contexts)),
                            explanation={**explanation, "source": tgt.matched,
                                         "target": src.matched, "plover_via": rplover.via,
                                         "reciprocal_of": trig.code}))
        if not events and self.learned_fallback:
            events.extend(self._learned_event(sent, sentence, article, ctx))
        self._remember(sent, date, ctx)
        return events

    def _learned_event(self, sent: Any, sentence: Sentence, article: Article,
                       ctx: ArticleContext) -> list[Event]:
        """The opt-in learned fallback: a sentence with no coded event whose main verb has a
        coded subject gets the event type the classifier predicts above its threshold."""
        from tidings.coding.classifier import load_classifier

        clf = load_classifier()
        root = sent.root
        if clf is None or root.pos_ not in {"VERB", "AUX"}:
            return []
        date = article.date
        sources, (reported, reported_by) = self._sources(root, date, ctx)
        if not sources:
            return []
        explained = clf.explain(sent.text)
        if not explained.get("confident"):
            return []
        ptype = str(explained["type"])
        code = LEARNED_CODES.get(ptype)
        if code is None:
            return []
        targets = self._targets(root, date, ctx, exclude=sources)
        info, plover = cameo_info(code), plover_of(code)
        start = root.idx
        trig_span = Span(text=root.text, start=start, end=start + len(root.text))
        out = []
        for src in sources:
            tgt = targets[0] if targets else None
            out.append(Event(
                event_id=Event.make_id(article.id, sentence.index, start, src.code,
                                       tgt.code if tgt else None, code),
                article_id=article.id,
                report_date=article.date.isoformat() if article.date else None,
                sentence=sentence, trigger=trig_span, source=src, target=tgt,
                cameo=Cameo(code=info.code, root=info.root, name=info.name,
                            goldstein=info.goldstein, quad_class=info.quad_class),
                plover=Plover(type=ptype, mode=plover.mode, contexts=list(plover.contexts)),
                modality=self._modality(root, reported), date=None, location=None,
                explanation={"rule": "learned classifier", "classifier": explained,
                             "source": src.matched, "target": tgt.matched if tgt else [],
                             "trigger_token": root.i, "composition": [], "verb": None,
                             "pattern": None, "plover_via": code},
                reported_by=reported_by))
        return out

    def _sentence_countries(self, sent: Any, words: Sequence[str],
                            date: dt.date | None) -> list[str]:
        """Countries named in the sentence, in order (for actors named only by their role)."""
        out: list[str] = []
        v = doc_view(sent.doc)
        pos = v.pos
        start = sent.start
        actors = self.knowledge.actors.actors
        at = phrase_starts(v, actors.index)
        i = 0
        # no phrase starts elsewhere than at these positions
        for k in [k for k in range(len(words)) if at[start + k]]:
            if k < i:
                continue
            i = k
            m = actors.match(words, i, date)
            if m is None or (m.length == 1 and pos[start + i] == "PRON"):
                i += 1
                continue
            if m.country and m.country != "IGO" and m.country not in out:
                out.append(m.country)
            i += m.length
        return out

    def _fill_country(self, actor: Actor, countries: list[str], ctx: ArticleContext) -> Actor:
        """A role without a country ("police", "President X") takes the article's country so
        far, else the sentence's only named country."""
        if actor.country or not actor.sector or self.actors.concatenate_codes or any(
                m.startswith("actor:") for m in actor.matched):
            return actor
        prev = ctx.last_with_country()
        country = prev.country if prev is not None else None
        why = f"context:{prev.text}→{country}" if prev is not None else ""
        if country is None and len(countries) == 1:
            country = countries[0]
            why = f"sentence country→{country}"
        if country is None:
            return actor
        return Actor(text=actor.text, code=country + actor.sector, country=country,
                     sector=actor.sector, start=actor.start, end=actor.end, name=actor.name,
                     matched=[*actor.matched, why])

    def _nominal_triggers(self, sent: Any, triggers: dict[int, Trigger]) -> None:
        """Event nouns as objects of light verbs ("held talks", "renewed negotiations",
        "staged a hunger strike") or of verbs of stopping or easing ("suspended aid",
        "lifted the curfew"). A matching verb pattern wins over this table."""
        table = nominal_triggers()
        v = doc_view(sent.doc)
        for k in range(sent.start, sent.end):
            if v.pos[k] not in {"VERB", "AUX"}:
                continue
            have = triggers.get(k)
            if have is not None and (have.match.pattern is not None or have.composed):
                continue
            lemma = v.lemma[k]
            objs = [v.tokens[j] for j in v.kids(k) if v.dep[j] in _NOMINAL_OBJECT_DEPS]
            if not objs:
                continue
            tok = v.tokens[k]
            for obj in objs:
                found = _nominal_entry(obj, table["nouns"])
                if found is None:
                    continue
                phrase, spec = found
                if lemma in table["ease_verbs"] and "ease" in spec:
                    code, how = spec["ease"], "ease"
                elif lemma in table["stop_verbs"] and "stop" in spec:
                    code, how = spec["stop"], "stop"
                elif lemma in table["light_verbs"]:
                    code, how = spec["code"], "light"
                else:
                    continue
                entry = VerbEntry(lemma=lemma, code=code, block="NOMINAL",
                                  entry=f"nominal_triggers.json:{phrase}", patterns=(),
                                  particle=None, verb=lemma)
                pm = PatternMatch(code=code, pattern=None, tokens=(obj.i,), entry=entry)
                trig = Trigger(token=tok, match=pm, code=code)
                trig.composed.append(f"{how} verb '{tok.text}' + event noun '{phrase}' → {code}")
                triggers[tok.i] = trig
                break

    def _obligations(self, sent: Any, triggers: dict[int, Trigger]) -> None:
        """"X said Y must/should V": X demands that Y act (CAMEO 10, composed with V's code)."""
        v = doc_view(sent.doc)
        for k in range(sent.start, sent.end):
            # (``lemma`` is lowercased: a lemma in the set is one whose lowercase form is)
            if v.lemma[k] not in SPEECH_LEMMAS:
                continue
            tok = v.tokens[k]
            if tok.lemma_ not in SPEECH_LEMMAS:
                continue
            for c in v.children(tok):
                if c.dep_ != "ccomp" or not any(a.lower_ in OBLIGATION_AUX for a in _kids(c)
                                                if a.dep_ == "aux"):
                    continue
                subj = _children(c, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
                entries = self.knowledge.verbs.lookup("demand")
                if not subj or not entries:
                    continue
                inner = triggers.get(c.i)
                code = "100"
                if inner is not None:
                    code = compose_codes("100", inner.code, "demand") or "100"
                pm = PatternMatch(code=code, pattern=None, tokens=(), entry=entries[0])
                trig = Trigger(token=tok, match=pm, code=code, target_heads=subj)
                trig.composed.append(f"{tok.text} … {c.text} with '{' '.join(a.text for a in _kids(c) if a.dep_ == 'aux')}': demand")
                if inner is not None:
                    trig.consumed.add(c.i)
                    trig.consumed |= inner.consumed
                triggers[tok.i] = trig
                break

    # -- composition --------------------------------------------------------------------------
    def _compose(self, triggers: dict[int, Trigger]) -> None:
        """Fold complements into their governing verb ("threatened to ban" → 13x).

        A complement without its own subject ("met … to discuss", "agreed to re-open") is part
        of the governing event: it is folded in, with the composed code when CAMEO has one, else
        the governing code. Accusations keep the accused act as an event of its own ("accused
        X of attacking Y" is also X → Y), and so do clauses with their own subject.
        """
        for i, outer in sorted(triggers.items()):
            for c in _kids(outer.token):
                if c.dep_ not in {"xcomp", "ccomp", "pcomp", "prep", "advcl"} or c.i == i:
                    continue
                inner_tok = c
                if c.dep_ == "prep":  # "accused X of attacking": prep → pcomp
                    pc = [g for g in _kids(c) if g.dep_ == "pcomp"]
                    if not pc:
                        continue
                    inner_tok = pc[0]
                inner = triggers.get(inner_tok.i)
                if inner is None or inner_tok.i in outer.consumed:
                    continue
                if c.dep_ == "ccomp" and outer.token.lemma_ in SPEECH_LEMMAS \
                        and outer.match.entry.block != "DEMAND":
                    continue  # what someone said is an event of its own, reported by them
                own_subject = any(g.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
                                  for g in _kids(inner_tok))
                if c.dep_ == "advcl" and own_subject:
                    continue  # "…, as authorities cracked down": a clause of its own
                if outer.match.entry.block == "NOMINAL":
                    new: str | None = outer.code  # "continued their hunger strike to demand"
                else:
                    new = compose_codes(outer.code, inner.code, outer.token.lemma_.lower())
                if new is None:
                    if own_subject or outer.code[:2] in KEEP_INNER_ROOTS or \
                            outer.code in {"---", ""}:
                        continue
                    if inner.code[:2] != outer.code[:2] and c.dep_ == "advcl":
                        continue
                    new = outer.code
                outer.composed.append(f"{outer.code}+{inner.code}→{new} "
                                      f"({outer.token.text} … {inner.token.text})")
                outer.code = new
                outer.consumed.add(inner_tok.i)
                outer.consumed |= inner.consumed

    # -- actors -------------------------------------------------------------------------------
    def _subject_heads(self, verb: Token) -> tuple[list[Token], bool]:
        """Subject tokens of a verb (climbing to the governing verb when needed), and passivity."""
        t: Token | None = verb
        hops = 0
        via_adjective = False
        while t is not None and hops < 4:
            agents = [g for c in _kids(t) if c.dep_ == "agent" for g in _kids(c)
                      if g.dep_ == "pobj"]
            if agents:
                return [x for a in agents for x in _with_conjuncts(a)], True
            subj = _children(t, SUBJECT_DEPS)
            if subj and via_adjective:
                # "Arnor is about to restore …"; a pronoun there ("it is prepared to …") is
                # not followed further
                subj = [x for x in subj if x.pos_ != "PRON"]
                if not subj:
                    return [], False
            if subj:
                return [x for s in subj for x in _with_conjuncts(s)], False
            if _children(t, PASSIVE_SUBJECT_DEPS):
                return [], True
            if t.dep_ == "relcl" and t.head.pos_ in {"NOUN", "PROPN", "PRON"}:
                return [t.head], False
            if t.dep_ == "conj" and t.head is not t:
                # "X was indicted … and will resign": the surface subject of the first verb
                subj = _children(t.head, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
                if subj:
                    return [x for s in subj for x in _with_conjuncts(s)], False
            if t.dep_ in {"xcomp", "conj", "advcl", "pcomp", "acl", "acomp"} and t.head is not t:
                via_adjective = via_adjective or t.dep_ == "acomp"
                # "accused X of attacking": the accused is the subject of the gerund
                if t.dep_ == "pcomp" and t.head.dep_ == "prep":
                    objs = _children(t.head.head, OBJECT_DEPS)
                    if objs:
                        return [x for o in objs for x in _with_conjuncts(o)], False
                if t.dep_ == "xcomp":
                    objs = _children(t.head, OBJECT_DEPS)
                    if objs and t.head.lemma_ in {"urge", "ask", "call", "tell", "force",
                                                  "order", "persuade", "allow", "invite",
                                                  "encourage", "press", "help"}:
                        return [x for o in objs for x in _with_conjuncts(o)], False
                t = t.head.head if t.dep_ == "pcomp" else t.head
                hops += 1
                continue
            break
        return [], False

    def _sources(self, verb: Token, date: dt.date | None,
                 ctx: ArticleContext) -> tuple[list[Actor], tuple[bool, Actor | None]]:
        heads, _ = self._subject_heads(verb)
        coded = [(h, self._code_mention(h, verb, date, ctx)) for h in heads]
        if self.actors.concatenate_codes and len(coded) > 1:
            coded = self._share_modifiers(coded)
        out = [a for _, a in coded if a]
        return out, self._reporter(verb, date, ctx)

    def _share_modifiers(self, coded: list[tuple[Token, Actor | None]]
                         ) -> list[tuple[Token, Actor | None]]:
        """Conjoined agents share their phrase's country, as PETRARCH reads a coordination:
        "Danish media and government" → DNKMED, DNKGOV (the first conjunct's country word
        before its head); "lawmakers and officials in Fornost and Gondor" → FORLEG, GONLEG,
        FORGOV, GONGOV (a place conjoined right after an agent's 'in'/'of'/'from' phrase is
        part of that phrase, not an actor of its own)."""
        doc = coded[0][0].doc
        # places conjoined onto an agent's place phrase
        places: list[Actor] = []
        absorbed: set[int] = set()
        for h, _a in coded:
            for p in _kids(h):
                if p.dep_ != "prep" or p.lower_ not in {"in", "from", "of"}:
                    continue
                for obj in (c for c in _kids(p) if c.dep_ == "pobj"):
                    edge = obj.right_edge.i
                    for h2, a2 in coded:
                        if a2 is None or h2.i <= edge or h2.pos_ != "PROPN" \
                                or not a2.code or len(a2.code) != 3 or a2.code.startswith("-"):
                            continue
                        if all(doc[k].dep_ in {"cc", "punct"} for k in range(edge + 1, h2.i)):
                            absorbed.add(h2.i)
                            place = self.actors.code_head(obj, None, None)
                            if place is not None and place.code and place not in places:
                                places.append(place)
                            places.append(a2)
                            edge = h2.right_edge.i
        out: list[tuple[Token, Actor | None]] = []
        first: Actor | None = None
        for h, a in coded:
            if h.i in absorbed:
                continue
            if a is not None and a.code and places and (a.code.startswith("---")
                                                        or a.code[:3] == places[0].code):
                suffix = a.code[3:]
                codes = [(pl.code or "") + suffix for pl in places]
                b = Actor(text=a.text, code=codes[0], country=places[0].country,
                          sector=a.sector, start=a.start, end=a.end, name=a.name,
                          matched=[*a.matched, "rule:agent of the conjoined places"])
                self.actors.alternatives[(b.start, b.end, codes[0])] = tuple(codes[1:])
                a = b
            elif a is not None and a.code and a.code.startswith("---") and first is not None \
                    and first.country and first.code and len(first.code) > 3 \
                    and any(c.i < h.i and c.dep_ in {"amod", "compound"}
                            for c in _kids(coded[0][0])):
                # "Danish media and government": the country word before the first conjunct
                code = first.code[:-3] + a.code[3:]
                a = Actor(text=a.text, code=code, country=first.country, sector=a.sector,
                          start=a.start, end=a.end, name=a.name,
                          matched=[*a.matched, f"rule:country shared with {first.text}"])
            if first is None:
                first = a
            out.append((h, a))
        return out

    def _code_mention(self, head: Token, verb: Token, date: dt.date | None,
                      ctx: ArticleContext) -> Actor | None:
        """Code a noun phrase; a pronoun first looks for its antecedent in the same sentence:
        the subject of a governing clause ("Japan said it had halted aid")."""
        if head.pos_ == "PRON" and head.lower_ in FIRST_PERSON:
            for q in self._quotes:
                if q.start <= head.idx < q.end and q.speaker is not None:
                    sp = q.speaker
                    return Actor(text=head.text, code=sp.code, country=sp.country,
                                 sector=sp.sector, start=head.idx, end=head.idx + len(head.text),
                                 name=sp.name or sp.text,
                                 matched=[f"quote speaker:{head.text}→{sp.name or sp.text}"])
        if head.pos_ == "PRON" and head.lower_ in SENTENCE_PRONOUNS:
            t = verb
            for _ in range(5):
                if t.head is t:
                    break
                t = t.head
                for s in _children(t, SUBJECT_DEPS):
                    if s.pos_ != "PRON":
                        a = self.actors.code_head(s, date, ctx)
                        if a is not None:
                            return Actor(text=head.text, code=a.code, country=a.country,
                                         sector=a.sector, start=head.idx,
                                         end=head.idx + len(head.text), name=a.name or a.text,
                                         matched=[*a.matched, f"coref:{head.text}→{a.text}"])
        return self.actors.code_head(head, date, ctx)

    def _reporter(self, verb: Token, date: dt.date | None,
                  ctx: ArticleContext) -> tuple[bool, Actor | None]:
        """Whether a speech verb governs the clause ("X said Y attacked Z"), and X coded."""
        t = verb
        for _ in range(4):
            speech: Token | None = None
            if t.dep_ in {"ccomp", "parataxis"} and t.head.lemma_ in SPEECH_LEMMAS:
                speech = t.head
            elif t.dep_ == "ROOT":
                speech = next((c for c in _kids(t) if c.dep_ in {"ccomp", "parataxis"}
                               and c.lemma_ in SPEECH_LEMMAS and c.i > t.i), None)
            if speech is not None and speech.i != verb.i:
                subj = _children(speech, SUBJECT_DEPS)
                return True, (self._code_mention(subj[0], speech, date, ctx) if subj else None)
            if t.head is t:
                break
            t = t.head
        return False, None

    def _targets(self, verb: Token, date: dt.date | None, ctx: ArticleContext,
                 exclude: Sequence[Actor]) -> list[Actor]:
        """Targets in order of evidence; an actor without a country ("army reservists") is
        kept only when no better one is found. Each target records how it was found."""
        found, weak = self._target_candidates(verb, date, ctx, exclude)
        return found or weak

    def _target_candidates(self, verb: Token, date: dt.date | None, ctx: ArticleContext,
                           exclude: Sequence[Actor]) -> tuple[list[Actor], list[Actor]]:
        src_starts = {a.start for a in exclude}
        weak: list[Actor] = []

        def code_all(heads: Iterable[Token], how: str) -> list[Actor]:
            out = []
            for h in heads:
                for x in _with_conjuncts(h):
                    a = self.actors.code_head(x, date, ctx)
                    if a is not None and a.start not in src_starts:
                        a = self._fill_country(a, self._countries, ctx)
                        a.matched.append(f"target:{how}")
                        out.append(a)
            strong = [a for a in out if a.country]
            if not strong and out and not weak:
                weak.extend(out)
            return strong

        v = doc_view(verb.doc)
        dep, lower = v.dep, v.lower
        kids = v.children(verb)
        objs = _children(verb, OBJECT_DEPS)
        passive_subj = _children(verb, PASSIVE_SUBJECT_DEPS)
        if passive_subj and any(dep[c.i] == "agent" for c in kids):
            objs = passive_subj + objs
        for o in objs:
            found = code_all([o], "object")
            if found:
                return found, weak
            # the owner of the object ("support Turkey's efforts"), or its PP ("sanctions on Iran")
            found = code_all(_children(o, {"poss"}), "owner of the object")
            if found:
                return found, weak
            for prep in v.children(o):
                if dep[prep.i] == "prep" and lower[prep.i] in TARGET_PREPS:
                    found = code_all(_children(prep, {"pobj"}), f"object's '{prep.lower_}'")
                    if found:
                        return found, weak
        preps = [c for c in kids if dep[c.i] in {"prep", "dative"}]
        for prep_word in TARGET_PREPS:
            for prep in preps:
                if lower[prep.i] == prep_word:
                    found = code_all(_children(prep, {"pobj"}), f"prep:{prep_word}")
                    if found:
                        return found, weak
        # the subject of a that-clause ("demanded that the government end curbs") for verbs
        # other than speech verbs, whose clause is an event of its own
        if verb.lemma_ not in SPEECH_LEMMAS:
            for c in kids:
                if c.dep_ == "ccomp":
                    found = code_all(_children(c, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS),
                                     "subject of the that-clause")
                    if found:
                        return found, weak
        # the object of a folded complement or purpose clause ("agreed to meet X",
        # "threatened to attack X", "opened fire to disperse demonstrators")
        for c in kids:
            purpose = dep[c.i] == "advcl" and any(dep[g] == "aux" and lower[g] == "to"
                                                  for g in v.kids(c.i))
            if c.dep_ == "ccomp" and verb.lemma_ in SPEECH_LEMMAS:
                continue  # what was said is an event of its own, not the speaker's target
            if (c.dep_ in {"xcomp", "ccomp"} or purpose) and c.pos_ in {"VERB", "AUX"}:
                found, more = self._target_candidates(c, date, ctx, exclude)
                if found:
                    return found, weak
                if more and not weak:
                    weak.extend(more)
        # a threat's target is whoever must act for it not to be carried out ("threatened to
        # stop negotiations if the United States goes ahead")
        for c in kids:
            if dep[c.i] == "advcl" and any(dep[g] == "mark" and lower[g] in {"if", "unless"}
                                           for g in v.kids(c.i)):
                found = code_all(_children(c, SUBJECT_DEPS), "subject of the condition")
                if found:
                    return found, weak
        return self._clause_target(verb, date, ctx, src_starts), weak

    def _clause_target(self, verb: Token, date: dt.date | None, ctx: ArticleContext,
                       src_starts: set[int]) -> list[Actor]:
        """Last resort: the first actor named after the trigger inside its own clause
        ("denounced as an ugly crime Serbia's suppression of …", "agreed to an extension of
        the mandate for the force in Lebanon"), not inside a clause with its own subject."""
        blocked: set[int] = set()
        v = doc_view(verb.doc)
        for c in _kids(verb):
            if c.dep_ in {"advcl", "ccomp", "relcl", "parataxis", "conj", "acl"} and any(
                    g.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for g in _kids(c)):
                blocked.update(v.subtree(c.i))
            if c.dep_ in {"advcl", "parataxis", "conj"} and c.pos_ in {"VERB", "AUX"}:
                blocked.update(v.subtree(c.i))
        pos, dep, vi = v.pos, v.dep, verb.i
        for ti in v.subtree(vi):
            if ti <= vi or ti in blocked or pos[ti] not in {"PROPN", "NOUN"}:
                continue
            if dep[ti] not in {"pobj", "poss", "dobj", "compound", "appos", "conj", "nmod"}:
                continue
            t = v.tokens[ti]
            head = t
            while head.dep_ == "compound" and head.head.pos_ in {"PROPN", "NOUN"} \
                    and head.head.i > head.i:
                head = head.head  # "Osgiliath soldiers": the phrase, not its modifier
            out: list[Actor] = []
            for x in _with_conjuncts(head):  # "ties with Mordor, Rohan and Bree"
                a = self.actors.code_head(x, date, None)
                if a is None and x is head and head is not t:
                    a = self.actors.code_head(t, date, None)
                if a is not None and a.start not in src_starts and a.country:
                    a.matched.append("rule:first actor in the trigger's clause")
                    out.append(a)
                elif x is head:
                    break
            if out:
                return out
        return []

    def _modality(self, verb: Token, reported: bool, composed: bool = False) -> str:
        chain = [verb]
        h = verb
        while h.dep_ in {"xcomp", "conj", "acomp"} and h.head is not h:
            h = h.head
            chain.append(h)
        auxes = [c for t in chain for c in _kids(t) if c.dep_ in {"aux", "auxpass"}]
        if any(c.dep_ == "neg" for t in chain for c in _kids(t)):
            return "negated"
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"}
               for t in chain for c in _kids(t)) or (
                verb.dep_ == "advcl" and any(c.lower_ == "if" for c in _kids(verb))):
            return "hypothetical"
        aux_words = {a.lower_ for a in auxes}
        if aux_words & {"will", "'ll", "shall", "wo"}:
            return "future"
        if aux_words & {"would"}:
            return "future" if reported else "hypothetical"
        if aux_words & HYPOTHETICAL_AUX:
            return "hypothetical"
        if any(t.lemma_ in FUTURE_LEMMAS for t in chain[1:]) or (
                verb.lemma_ in FUTURE_LEMMAS and composed) or (
                verb.lower_ == "going" and any(c.dep_ == "xcomp" for c in _kids(verb))):
            return "future"
        if reported:
            return "reported"
        return "asserted"

    def _remember(self, sent: Any, date: dt.date | None, ctx: ArticleContext) -> None:
        """Record the sentence's actor mentions as antecedents for later references."""
        v = doc_view(sent.doc)
        for k in range(sent.start, sent.end):
            if v.dep[k] in MENTION_DEPS and v.pos[k] in {"PROPN", "NOUN"}:
                toks = np_tokens(v.tokens[k])
                a = self.actors.code_tokens(toks, date, None)
                if a is not None:
                    ctx.remember(a, person=any(x.ent_type_ == "PERSON" for x in toks))


_NOMINAL_OBJECT_DEPS = OBJECT_DEPS | PASSIVE_SUBJECT_DEPS
_PREPOSITIONS = {"WITH", "AGAINST", "ON", "TO", "FOR", "AT", "IN", "OF", "FROM", "BY", "INTO",
                 "OVER", "UPON", "ABOUT", "OUT", "OFF", "UP", "DOWN"}


def _borrowed_bare_preposition(text: str, lemma: str) -> bool:
    """A pattern made of a bare preposition ("- * (WITH) [130] # BREAK") written for another
    verb of its synonym block: the comment names the verb it was found with."""
    body, _, comment = text.partition("#")
    words = body.replace("(", " ").replace(")", " ").split()
    words = [w for w in words if w not in {"-", "*"} and not w.startswith("[")]
    if len(words) != 1 or words[0] not in _PREPOSITIONS:
        return False
    named = {w.strip(",;").lower() for w in comment.split()}
    return bool(named) and lemma not in named


@functools.lru_cache(maxsize=1)
def nominal_triggers() -> dict[str, Any]:
    """The packaged table of event nouns and light, stopping and easing verbs."""
    text = resources.files("tidings.knowledge").joinpath(
        "data/nominal_triggers.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _nominal_entry(noun: Token, nouns: dict[str, Any]) -> tuple[str, dict[str, str]] | None:
    """The table entry for an object noun: its modifier + noun ("hunger strike"), else the
    noun as written, else its lemma."""
    for c in _kids(noun):
        if c.dep_ in {"compound", "amod"} and c.i < noun.i:
            key = f"{c.lower_} {noun.lower_}"
            if key in nouns:
                return key, nouns[key]
    for key in (noun.lower_, noun.lemma_.lower()):
        if key in nouns:
            return key, nouns[key]
    return None


def codable(code: str) -> bool:
    """Whether an event with this CAMEO code is kept: any code but the null one and the CAMEO
    roots PLOVER drops (01, public statements). A user's own code without a PLOVER type is kept,
    with an empty ``plover.type``."""
    return code not in {"---", ""} and not plover_dropped(code)


def recode_for_modality(code: str, modality: str, reported: bool, *,
                        in_condition: bool = False) -> tuple[str, str, str]:
    """CAMEO codes announced intentions and refusals, not only deeds (as PETRARCH does):

    - a planned cooperative act ("will meet", "will provide aid") is an expression of intent
      to cooperate (03x), still marked ``future``;
    - a planned or conditional coercive or violent act ("will impose a blockade", "may halt
      mediation if …") is a threat (13x);
    - a refused cooperative act ("will not accept refugees", "did not meet demands") is a
      rejection (12x), asserted: the refusal itself happened.

    An act inside the condition itself ("if Iran attacks") stays hypothetical. Returns the code,
    the modality and a note for the explanation ("" when unchanged).
    """
    root = code[:2]
    if in_condition:
        return code, modality, ""
    if modality == "future" and root in COOPERATIVE_ROOTS:
        new = compose_codes("030", code) or "030"
        return new, modality, f"planned {code} → intent {new}"
    if modality in {"future", "hypothetical"} and root in COERCIVE_ROOTS:
        new = compose_codes("130", code) or "130"
        return new, ("reported" if reported else "asserted"), f"planned {code} → threat {new}"
    if modality == "negated" and root in COOPERATIVE_ROOTS | {"03"}:
        new = compose_codes("120", code) or "120"
        return new, ("reported" if reported else "asserted"), f"refused {code} → reject {new}"
    return code, modality, ""


def _elaborates(trig: Trigger, live: list[Trigger]) -> bool:
    """A trailing participle ("…, killing three officers") that only elaborates another event
    of the same type in the sentence ("attacked a police post")."""
    tok = trig.token
    if tok.tag_ != "VBG" or tok.dep_ not in {"advcl", "conj", "xcomp"}:
        return False
    ptype = plover_of(trig.code).type
    return any(o is not trig and o.token.i < tok.i and plover_of(o.code).type == ptype
               for o in live)


def _consumed_all(triggers: dict[int, Trigger]) -> set[int]:
    out: set[int] = set()
    for t in triggers.values():
        out |= t.consumed
    return out


def _trigger_span(trig: Trigger) -> Span:
    doc = trig.token.doc
    toks = [trig.token.i, *trig.match.tokens]
    a, b = min(toks), max(toks)
    if b - a > 6:
        a = b = trig.token.i
    start = doc[a].idx
    end = doc[b].idx + len(doc[b].text)
    return Span(text=doc_text(doc)[start:end], start=start, end=end)


def _rule_name(trig: Trigger) -> str:
    if trig.composed:
        return "verb+complement"
    if trig.match.pattern is not None:
        return "verb pattern"
    return "verb"


def _relational(actor: Actor, doc: Doc) -> bool:
    words = doc_text(doc)[actor.start:actor.end].lower().split()
    return bool(words) and words[-1] in RELATIONAL_NOUNS and not actor.sector


def _with_sector(actor: Actor, sector: str) -> Actor:
    code = (actor.country or "") + sector
    return Actor(text=actor.text, code=code, country=actor.country, sector=sector,
                 start=actor.start, end=actor.end, name=actor.name,
                 matched=[*actor.matched, f"relational:{sector} from the other party"])
