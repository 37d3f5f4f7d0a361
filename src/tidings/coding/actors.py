"""Coding noun phrases as actors: countries, organisations, people and roles, as of a date.

A noun phrase is coded by scanning its words for dictionary entries: named actors (countries,
organisations, office-holders: ``ActorDictionary``) and agents (role nouns such as "police" or
"minister": ``AgentDictionary``). A country plus an agent combine ("Somali police" → SOMCOP), a
named actor with its own sector wins over a bare country. Pronouns and short references ("he",
"the ministry", "the group") resolve to an earlier actor of the same article (``ArticleContext``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from tidings.knowledge import ActorKnowledge, ActorMatch, AgentMatch, country_of_code
from tidings.model import Actor

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
GROUP_PRONOUNS = {"they", "them", "their", "it", "its", "we", "us", "our", "i", "me", "my"}
# Nouns that take the sector of the other party in the clause ("met his Somali counterpart").
RELATIONAL_NOUNS = {"counterpart", "counterparts", "opposite number", "peer", "peers"}
_SKIP_DEPS = {"relcl", "acl", "punct", "cc", "prep", "advcl", "appos_skip"}


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

    def last_with_country(self) -> Actor | None:
        for a in reversed(self.recent):
            if a.country:
                return a
        return None


def np_tokens(head: Token) -> list[Token]:
    """The tokens of the noun phrase headed by ``head`` (no relative clauses or PPs)."""
    toks: list[Token] = []

    def walk(t: Token) -> None:
        for c in t.lefts:
            if c.dep_ not in _SKIP_DEPS:
                walk(c)
        toks.append(t)
        for c in t.rights:
            if c.dep_ in {"compound", "appos", "flat", "nmod", "amod", "poss", "nummod",
                          "pobj"} or (
                c.dep_ == "prep" and c.lower_ == "of" and t.lower_ not in {"one", "some"}
            ):
                walk(c)

    walk(head)
    return sorted(toks, key=lambda t: t.i)


def _words(tokens: Sequence[Token]) -> list[str]:
    return [t.lower_ for t in tokens]


class ActorCoder:
    """Codes spans of a parsed sentence with the actor knowledge base."""

    def __init__(self, kb: ActorKnowledge, *, country_as_government: bool = True) -> None:
        """``country_as_government``: code a state named as an actor ("Somalia accused …")
        as its government (SOMGOV), as ICEWS does; False keeps PETRARCH's bare code (SOM)."""
        self.kb = kb
        self.country_as_government = country_as_government

    def code_tokens(self, tokens: Sequence[Token], date: dt.date | None,
                    ctx: ArticleContext | None = None) -> Actor | None:
        """Code a noun phrase given as tokens; None when nothing in it is in the dictionaries."""
        if not tokens:
            return None
        words = _words(tokens)
        named: list[tuple[int, ActorMatch]] = []
        agents: list[tuple[int, AgentMatch]] = []
        i = 0
        while i < len(words):
            m = self.kb.actors.match(words, i, date)
            if m is not None and m.length == 1 and tokens[i].pos_ == "PRON":
                m = None  # "us" the pronoun is not the US
            if m is not None:
                named.append((i, m))
                i += m.length
                continue
            a = self.kb.agents.match(words, i)
            if a is not None:
                if _modifies_head(tokens[i:i + a.length]):
                    agents.append((i, a))
                i += a.length
                continue
            i += 1
        start = tokens[0].idx
        end = tokens[-1].idx + len(tokens[-1].text)
        text = tokens[0].doc.text[start:end]
        if not named and not agents:
            return self._pronoun(tokens, words, ctx, text, start, end)
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
                prev = ctx.last_with_country()
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
        return self.code_tokens(np_tokens(head), date, ctx)

    def code_span(self, span: Span, date: dt.date | None,
                  ctx: ArticleContext | None = None) -> Actor | None:
        return self.code_tokens(list(span), date, ctx)


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
