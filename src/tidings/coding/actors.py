"""Coding noun phrases as actors: countries, organisations, people and roles, as of a date.

A noun phrase is coded by scanning its words for dictionary entries: named actors (countries,
organisations, office-holders: ``ActorDictionary``) and agents (role nouns such as "police" or
"minister": ``AgentDictionary``). A country plus an agent combine ("Somali police" → SOMCOP), a
named actor with its own sector wins over a bare country. Pronouns and short references ("he",
"the ministry", "the group") resolve to an earlier actor of the same article (``ArticleContext``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

from spacy.tokens import Doc, Span, Token

from tidings.docview import DocView, doc_view
from tidings.knowledge import ActorKnowledge, ActorMatch, AgentMatch, country_of_code
from tidings.knowledge.actors import PhraseIndex
from tidings.model import Actor
from tidings.nlp import doc_text

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
GROUP_PRONOUNS = {"they", "them", "their", "it", "its", "we", "us", "our", "i", "me", "my"}
# Nouns that take the sector of the other party in the clause ("met his Somali counterpart").
RELATIONAL_NOUNS = {"counterpart", "counterparts", "opposite number", "peer", "peers"}
_SKIP_DEPS = {"relcl", "acl", "punct", "cc", "prep", "advcl", "appos_skip"}
_NP_RIGHT_DEPS = {"compound", "appos", "flat", "nmod", "amod", "poss", "nummod", "pobj"}


@dataclass
class ArticleContext:
    """What earlier sentences of the article said: antecedents for pronouns and short references."""

    date: dt.date | None
    recent: list[Actor] = field(default_factory=list)
    persons: list[Actor] = field(default_factory=list)

    def remember(self, actor: Actor, *, person: bool) -> None:
        self.recent.append(actor)
        if person:
            self.persons.append(actor)

    def last_with_country(self, sector: str | None = None) -> Actor | None:
        """The most recent actor with a country; for a non-state armed ``sector`` (listed in
        ``knowledge/data/antecedents.json``), the most recent one of that sector when there is
        one ("the militants" after "al-Shabaab … a Kenyan police post" are al-Shabaab's)."""
        if sector and sector in _same_sector_sectors():
            for a in reversed(self.recent):
                if a.country and a.sector == sector:
                    return a
        for a in reversed(self.recent):
            if a.country:
                return a
        return None


@functools.lru_cache(maxsize=1)
def _same_sector_sectors() -> frozenset[str]:
    raw = json.loads(resources.files("tidings.knowledge").joinpath(
        "data/antecedents.json").read_text(encoding="utf-8"))
    return frozenset(raw["same_sector_sectors"])


_Scan = tuple[list[str], list[tuple[int, ActorMatch]], list[tuple[int, AgentMatch]]]


def np_tokens(head: Token) -> list[Token]:
    """The tokens of the noun phrase headed by ``head`` (no relative clauses or PPs)."""
    v = doc_view(head.doc)
    hi = head.i
    toks = v.tokens
    key = ("np_tokens", hi)
    hit = v.memo.get(key)
    if hit is not None:
        out = list(hit[0])
        if out[hit[1]] is not head:
            out[hit[1]] = head
        return out
    dep, lower, kids = v.dep, v.lower, v.kids
    found: list[int] = []

    def walk(i: int) -> None:
        children = kids(i)
        for c in children:
            if c < i and dep[c] not in _SKIP_DEPS:
                walk(c)
        found.append(i)
        for c in children:
            if c > i and (dep[c] in _NP_RIGHT_DEPS or (
                dep[c] == "prep" and lower[c] == "of" and lower[i] not in {"one", "some"}
            )):
                walk(c)

    walk(hi)
    found.sort()
    out = [head if i == hi else toks[i] for i in found]
    v.memo[key] = (tuple([toks[i] for i in found]), found.index(hi))
    return out


def phrase_starts(v: DocView, index: PhraseIndex) -> list[bool]:
    """For each token of the view's document, whether a phrase of ``index`` may start at its
    lowercase form (see :meth:`PhraseIndex.starts`); built once per document and index."""
    key = ("phrase_starts", index)
    hit = v.memo.get(key)
    maxlen = index.maxlen
    if hit is None or hit[0] is not maxlen or hit[1] != len(maxlen):
        flags = [False] * len(v.lower)
        for i in index.starts(v.lower):
            flags[i] = True
        hit = v.memo[key] = (maxlen, len(maxlen), flags)
    flags_out: list[bool] = hit[2]
    return flags_out


def _words(tokens: Sequence[Token]) -> list[str]:
    lower = doc_view(tokens[0].doc).lower
    return [lower[t.i] for t in tokens]


class ActorCoder:
    """Codes spans of a parsed sentence with the actor knowledge base."""

    def __init__(self, kb: ActorKnowledge, *, country_as_government: bool = True,
                 concatenate_codes: bool = False) -> None:
        """``country_as_government``: code a state named as an actor ("Somalia accused …")
        as its government (SOMGOV), as ICEWS does; False keeps PETRARCH's bare code (SOM).

        ``concatenate_codes``: build a phrase's code as PETRARCH does, prefix agents + the
        actor's whole code + the other agents' codes, each three-letter part once ("MSF Arnor
        diplomat" → NGO + ARN + GOV); an agent without an actor is ``---`` + its code. An actor
        code outside the country table then counts as a country of its own (ARN)."""
        self.kb = kb
        self._memo_doc: Doc | None = None
        self._memo: dict[tuple[int, int, int, dt.date | None], Actor | None] = {}
        self._scan_doc: Doc | None = None
        self._scans: dict[tuple[tuple[int, ...], dt.date | None, bool], _Scan] = {}
        self.country_as_government = country_as_government
        self.concatenate_codes = concatenate_codes
        #: other codes of an actor whose dictionary entry gives several ("ELR/GAL"), by
        #: (start, end, code) of the coded mention
        self.alternatives: dict[tuple[int, int, str], tuple[str, ...]] = {}

    def expand(self, actor: Actor) -> list[Actor]:
        """The actor, then one copy per further code of its entry ("Lorien" → ELR, GAL)."""
        more = self.alternatives.get((actor.start, actor.end, actor.code or ""))
        if not more:
            return [actor]
        out = [actor]
        for code in more:
            out.append(Actor(text=actor.text, code=code, country=actor.country,
                             sector=actor.sector, start=actor.start, end=actor.end,
                             name=actor.name, matched=[*actor.matched, f"also coded {code}"]))
        return out

    def code_tokens(self, tokens: Sequence[Token], date: dt.date | None,
                    ctx: ArticleContext | None = None) -> Actor | None:
        """Code a noun phrase given as tokens; None when nothing in it is in the dictionaries.

        Without an article context the result depends on the tokens and the date only, so it
        is remembered for the document (the same phrase is coded as a mention, an antecedent
        and a speaker)."""
        if ctx is not None or not tokens:
            return self._code_tokens(tokens, date, ctx)
        doc = tokens[0].doc
        key = (tokens[0].i, tokens[-1].i, len(tokens), date)
        if self._memo_doc is not doc:
            self._memo_doc, self._memo = doc, {}
        if key not in self._memo:
            self._memo[key] = self._code_tokens(tokens, date, None)
        hit = self._memo[key]
        if hit is None:
            return None
        return Actor(text=hit.text, code=hit.code, country=hit.country, sector=hit.sector,
                     start=hit.start, end=hit.end, name=hit.name, matched=list(hit.matched))

    def _scan(self, tokens: Sequence[Token], date: dt.date | None) -> _Scan:
        """The phrase's words, and the named actors and agents found in them by position.
        Depends on the tokens and the date only: remembered for the document."""
        doc = tokens[0].doc
        if self._scan_doc is not doc:
            self._scan_doc, self._scans = doc, {}
        key = (tuple([t.i for t in tokens]), date, self.concatenate_codes)
        hit = self._scans.get(key)
        if hit is not None:
            return hit
        words = _words(tokens)
        named: list[tuple[int, ActorMatch]] = []
        agents: list[tuple[int, AgentMatch]] = []
        i = 0
        v = doc_view(doc)
        actor_at = phrase_starts(v, self.kb.actors.index)
        agent_at = phrase_starts(v, self.kb.agents.index)
        # no actor or agent phrase starts elsewhere
        todo = [k for k, t in enumerate(tokens) if actor_at[t.i] or agent_at[t.i]]
        for k in todo:
            if k < i:
                continue
            i = k
            m = self.kb.actors.match(words, i, date)
            if m is not None and m.length == 1 and tokens[i].pos_ == "PRON":
                m = None  # "us" the pronoun is not the US
            if m is not None:
                named.append((i, m))
                i += m.length
                continue
            a = self.kb.agents.match(words, i)
            if a is not None:
                # PETRARCH reads an agent word anywhere in the phrase ("a senior official
                # news agency" → ---GOV); otherwise only one that names the referent counts
                if self.concatenate_codes or _modifies_head(tokens[i:i + a.length]):
                    agents.append((i, a))
                i += a.length
                continue
            i += 1
        out = (words, named, agents)
        self._scans[key] = out
        return out

    def _code_tokens(self, tokens: Sequence[Token], date: dt.date | None,
                     ctx: ArticleContext | None = None) -> Actor | None:
        if not tokens:
            return None
        words, named, agents = self._scan(tokens, date)
        start = tokens[0].idx
        end = tokens[-1].idx + len(tokens[-1].text)
        text = doc_text(tokens[0].doc)[start:end]
        if not named and not agents:
            return self._pronoun(tokens, words, ctx, text, start, end)
        if self.concatenate_codes:
            return self._concatenated(named, agents, text, start, end)
        matched: list[str] = []
        country: str | None = None
        sector: str | None = None
        code: str | None = None
        name: str | None = None
        # The most specific named actor: one with a sector beats a bare country.
        best: ActorMatch | None = None
        for _, m in named:
            matched.append(f"actor:{m.phrase}→{m.code} ({m.entry})")
            if best is None or (m.sector and not best.sector):
                best = m
        if best is not None:
            code = best.code
            country = best.country
            sector = best.sector
            name = best.name
        agent_code: str | None = None
        if agents:
            # The head noun's agent is the most informative: take the last one in the phrase.
            _, ag = agents[-1]
            agent_code = ag.code
            matched.append(f"agent:{ag.phrase}→{ag.code} ({ag.entry})")
        if agent_code and not sector:
            sector = agent_code
            if country is None and ctx is not None and _is_definite_reference(tokens):
                prev = ctx.last_with_country(agent_code)
                if prev is not None:
                    country = prev.country
                    matched.append(f"context:{prev.text}→{prev.country}")
            base = country if country else ""
            code = (base + agent_code) if base else agent_code
        if code is None:
            return None
        if (self.country_as_government and best is not None and not sector and country
                and code == country and _names_state(tokens, named[0][0], best.length)):
            sector = "GOV"
            code = country + sector
            matched.append("rule:a state named as an actor is its government")
        return Actor(text=text, code=code, country=country, sector=sector, start=start, end=end,
                     name=name, matched=matched)

    def _concatenated(self, named: list[tuple[int, ActorMatch]],
                      agents: list[tuple[int, AgentMatch]], text: str, start: int,
                      end: int) -> Actor:
        """PETRARCH's code for a phrase: prefix agents, the actor's code, the other agents."""
        matched: list[str] = []
        best: ActorMatch | None = None
        for _, m in named:
            matched.append(f"actor:{m.phrase}→{'/'.join(m.codes or (m.code,))} ({m.entry})")
            if best is None:
                best = m
        pre: list[str] = []
        post: list[str] = []
        for _, ag in agents:
            matched.append(f"agent:{ag.phrase}→{ag.code} ({ag.entry})")
            (pre if ag.prefix else post).append(ag.code)

        def build(base: str) -> str:
            parts = [base[k:k + 3] for k in range(0, len(base), 3)]
            out = base
            for c in post:
                for k in range(0, len(c), 3):
                    part = c[k:k + 3]
                    if part not in parts:
                        parts.append(part)
                        out += part
            for c in reversed(pre):
                if c[:3] not in parts:
                    parts.insert(0, c[:3])
                    out = c + out
            return out

        if best is None:
            code = build("---")
            if pre:
                code = code.replace("---", "", 1)
            role = code[3:] if code.startswith("---") else code
            return Actor(text=text, code=code, country=None, sector=role or None,
                         start=start, end=end, matched=matched)
        codes = best.codes or (best.code,)
        code = build(codes[0])
        country: str | None = best.country or (best.code[:3] if best.code[:3].isalpha()
                                               else None)
        if country == "IGO" or best.code[:3] in {"NGO", "NGM", "IMG", "MNC", "UIS"}:
            country = best.country
        sector = code[3:] or None if country else code
        if len(codes) > 1:
            self.alternatives[(start, end, code)] = tuple(build(c) for c in codes[1:])
        return Actor(text=text, code=code, country=country, sector=sector, start=start,
                     end=end, name=best.name, matched=matched)

    def _pronoun(self, tokens: Sequence[Token], words: list[str], ctx: ArticleContext | None,
                 text: str, start: int, end: int) -> Actor | None:
        if ctx is None or len(words) != 1:
            return None
        w = words[0]
        prev: Actor | None = None
        if w in PERSON_PRONOUNS:
            prev = ctx.persons[-1] if ctx.persons else None
        elif w in {"they", "them", "their", "it", "its"}:
            prev = ctx.recent[-1] if ctx.recent else None
        if prev is None:
            return None
        return Actor(text=text, code=prev.code, country=prev.country, sector=prev.sector,
                     start=start, end=end, name=prev.name or prev.text,
                     matched=[f"coref:{w}→{prev.text}"])

    def code_head(self, head: Token, date: dt.date | None,
                  ctx: ArticleContext | None = None) -> Actor | None:
        """Code the noun phrase headed by ``head``."""
        toks = np_tokens(head)
        if self.concatenate_codes:
            parts = _coordinated(toks)
            if parts:
                return self._coordination(parts, date, ctx) or self.code_tokens(toks, date, ctx)
        actor = self.code_tokens(toks, date, ctx)
        if self.concatenate_codes and actor is not None and actor.code \
                and actor.code.startswith("---"):
            return self._agent_of_place(head, actor, date) or actor
        return actor

    def _coordination(self, parts: list[list[Token]], date: dt.date | None,
                      ctx: ArticleContext | None) -> Actor | None:
        """A coordination the parse left inside one phrase ("Fornost and the evil awful
        Gondor"): the last conjunct (the phrase's head) is the actor, the others' codes its
        further codes (see :meth:`expand`). None when fewer than two conjuncts are coded."""
        coded = [a for a in (self.code_tokens(p, date, ctx) for p in parts)
                 if a is not None and a.code]
        if len(coded) < 2:
            return None
        main = coded[-1]
        others: list[str] = []
        for a in coded[:-1]:
            for code in (a.code or "", *self.alternatives.get((a.start, a.end, a.code or ""),
                                                               ())):
                if code and code != main.code and code not in others:
                    others.append(code)
        if others:
            key = (main.start, main.end, main.code or "")
            self.alternatives[key] = (*self.alternatives.get(key, ()), *others)
        main.matched.append("rule:coordination inside the phrase")
        return main

    def _agent_of_place(self, head: Token, agent: Actor, date: dt.date | None) -> Actor | None:
        """"Soldiers from Gondor", "lawmakers in Fornost and Gondor": the agent joins the
        code of each actor named in its 'in', 'from' or 'of' phrase (one per conjunct)."""
        coded: list[Actor] = []
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"in", "from", "of"}:
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                for x in [pobj, *(c for c in pobj.subtree if c.dep_ == "conj"
                                  and c.head.i in {pobj.i} | {g.i for g in pobj.subtree})]:
                    a = self.code_tokens(np_tokens(x), date, None)
                    if a is not None and a.code and not a.code.startswith("---"):
                        coded.append(a)
            if coded:
                break
        if not coded:
            return None
        suffix = agent.code[3:] if agent.code else ""
        codes = []
        for a in coded:
            base = a.code or ""
            parts = {base[k:k + 3] for k in range(0, len(base), 3)}
            extra = "".join(suffix[k:k + 3] for k in range(0, len(suffix), 3)
                            if suffix[k:k + 3] not in parts)
            codes.append(base + extra)
        first = coded[0]
        out = Actor(text=agent.text, code=codes[0], country=first.country,
                    sector=codes[0][3:] or None, start=agent.start, end=agent.end,
                    name=agent.name, matched=[*agent.matched, *first.matched,
                                              f"rule:agent of {first.text}"])
        if len(codes) > 1:
            self.alternatives[(out.start, out.end, codes[0])] = tuple(codes[1:])
        return out

    def code_span(self, span: Span, date: dt.date | None,
                  ctx: ArticleContext | None = None) -> Actor | None:
        return self.code_tokens(list(span), date, ctx)


def _coordinated(tokens: Sequence[Token]) -> list[list[Token]] | None:
    """The conjuncts of a phrase whose words are interrupted by a coordinating conjunction
    after a noun ("Fornost and the evil awful Gondor" parsed as one phrase; not "awful and
    evil minister"), or None."""
    doc = tokens[0].doc if tokens else None
    if doc is None:
        return None
    parts: list[list[Token]] = [[tokens[0]]]
    for prev, tok in zip(tokens, tokens[1:], strict=False):
        if tok.i - prev.i > 1 and prev.pos_ in {"PROPN", "NOUN"} \
                and any(doc[k].dep_ == "cc" for k in range(prev.i + 1, tok.i)):
            parts.append([tok])
        else:
            parts[-1].append(tok)
    return parts if len(parts) > 1 else None


def _names_state(tokens: Sequence[Token], i: int, n: int) -> bool:
    """The matched words name a state (a GPE entity that heads the phrase: "Somalia",
    "the United States"), not a people ("Kenyans") or an adjective ("Somali police")."""
    span = tokens[i:i + n]
    return bool(span) and all(t.ent_type_ == "GPE" for t in span) and any(
        t is tokens[-1] or t.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos",
                                      "dative", "poss"} for t in span)


def _modifies_head(tokens: Sequence[Token]) -> bool:
    """An agent word counts when it names the phrase's referent: the head noun or a compound
    of it ("police post"), not an adjective ("an official protest", "military offensive")."""
    last = tokens[-1]
    return not (last.dep_ in {"amod", "advmod", "acomp"} or last.pos_ == "ADJ")


def _is_definite_reference(tokens: Sequence[Token]) -> bool:
    """'the ministry', 'the group', 'police': a short reference that borrows an earlier country."""
    content = [t for t in tokens if t.pos_ not in {"DET", "PUNCT", "ADJ"}]
    return len(content) <= 2


def is_person(actor: Actor, head: Token) -> bool:
    return head.ent_type_ == "PERSON" or bool(actor.name and actor.sector)


__all__ = ["ActorCoder", "ArticleContext", "np_tokens", "is_person", "country_of_code",
           "RELATIONAL_NOUNS"]
