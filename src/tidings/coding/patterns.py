"""Matching verb-dictionary patterns against a spaCy dependency parse.

Given a trigger token (a verb, or the head of a nominal trigger) and the dictionary entries for
its lemma, :func:`match_verb` finds the most specific pattern whose words are found among the
trigger's dependents:

* a pattern noun (``AID``, ``{HUMANITARIAN AID}``, ``&TOWN``) matches a dependent whose lemma or
  form is the phrase's head word, the other words appearing in order in that noun phrase
  (``A_B``: adjacent);
* a prepositional phrase ``(FOR X)`` matches a ``prep`` dependent "for" whose ``pobj`` matches X;
  ``(FOR)`` matches any "for" phrase;
* words after ``*`` are looked for after the trigger (objects, complements, particles, adverbs,
  and prepositional phrases attached to the trigger or to its objects), words before ``*``
  before it (subject, adverbs, auxiliaries).

Multi-word verbs ("cordon off", "ask for") apply when their other words are present as a
particle, a preposition or a neighbouring word; they are then preferred to the bare verb, and
the object of a prepositional particle counts as a direct object ("asked for aid"). The longest
pattern wins; without one the verb's own code is used. A result with code ``---`` means "no
event" (the coder may still use the trigger when composing codes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

from tidings.docview import DocView, doc_view
from tidings.docview import children as _kids
from tidings.knowledge.verbs import (
    NULL_CODE,
    Marker,
    NounPhrase,
    PatternElement,
    PatternWord,
    PrepPhrase,
    VerbEntry,
    VerbPattern,
)

POST_WORD_DEPS = frozenset({
    "dobj", "obj", "attr", "oprd", "dative", "acomp", "npadvmod", "advmod", "prt", "xcomp",
    "ccomp", "nmod", "appos", "compound", "amod", "nummod", "quantmod",
})
PRE_SKIP_DEPS = frozenset({"punct", "cc", "mark", "det", "case"})
PREP_DEPS = frozenset({"prep", "agent"})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


@dataclass(frozen=True)
class PatternMatch:
    code: str
    pattern: VerbPattern | None  # None: the verb's own code
    tokens: tuple[int, ...]  # token indices matched (doc indices)
    entry: VerbEntry
    reciprocal: str | None = None  # second half of a paired code ("042:043" → "043")


# --------------------------------------------------------------------------- word matching


def _word_ok(w: PatternWord, view: DocView, i: int) -> bool:
    """Whether pattern word ``w`` (not a synset) can be token ``i``: its lowercase form or
    lemma, or a hyphenated word written without spaces ending there."""
    forms = w.forms
    if view.lower[i] in forms or view.lemma[i] in forms:
        return True
    return "-" in w.text and view.hyphen_surface(i) in forms


def _match_seq(words: Sequence[PatternWord], toks: Sequence[int], end: int,
               exact: bool, view: DocView) -> list[int] | None:
    """Match ``words`` in order on the tokens ``toks`` (doc indices) so the last one is at
    position ``end`` (exact) or before it; the positions in ``toks`` matched."""
    if not words:
        return []
    if end < 0:
        return None
    w = words[-1]
    prev_joined = len(words) > 1 and words[-2].joined
    positions = (end,) if exact else range(end, -1, -1)
    if w.synset is None:
        forms = w.forms
        lower, lemma = view.lower, view.lemma
        hyphen = "-" in w.text
        for p in positions:
            i = toks[p]
            if lower[i] in forms or lemma[i] in forms or (
                    hyphen and view.hyphen_surface(i) in forms):
                if len(words) == 1:
                    return [p]
                rest = _match_seq(words[:-1], toks, p - 1, prev_joined, view)
                if rest is not None:
                    return rest + [p]
        return None
    for p in positions:
        for alt in _synset_candidates(w, view, toks[p]):
            got = _match_seq(alt, toks, p, True, view)
            if not got:
                continue
            rest = _match_seq(words[:-1], toks, min(got) - 1, prev_joined, view)
            if rest is not None:
                return rest + got
    return None


_SYNSET_INDEX: dict[int, tuple[PatternWord, dict[str, list[int]], list[int]]] = {}


def _synset_candidates(w: PatternWord, view: DocView,
                       i: int) -> Sequence[tuple[PatternWord, ...]]:
    """The members of synset ``w`` whose last word can be token ``i``, in dictionary order:
    those with a fixed form of their last word that is the token's lowercase form or lemma,
    and those whose last word has no fixed forms. (An empty member never matches.)"""
    assert w.synset is not None
    hit = _SYNSET_INDEX.get(id(w))
    if hit is None or hit[0] is not w:
        built: dict[str, list[int]] = {}
        always: list[int] = []
        for k, alt in enumerate(w.synset):
            if not alt:
                continue
            forms = _word_needs(alt[-1])
            if forms is None:
                always.append(k)
                continue
            for f in forms:
                built.setdefault(f, []).append(k)
        hit = (w, built, always)
        _SYNSET_INDEX[id(w)] = hit
    _, index, always = hit
    a = index.get(view.lower[i])
    b = index.get(view.lemma[i])
    if not always and (b is None or a is b):
        ks: Sequence[int] = a or ()
    elif not always and a is None:
        ks = b or ()
    else:
        ks = sorted({*(a or ()), *(b or ()), *always})
    return [w.synset[k] for k in ks]


def match_phrase(phrase: NounPhrase, head: Token) -> list[int] | None:
    """Doc indices matched when ``phrase`` is read on the noun phrase headed by ``head``; a
    phrase may also end at a noun compounded with the head ("ARTILLERY": "artillery shells")."""
    if not phrase.words:
        return None
    view = doc_view(head.doc)
    hi = head.i
    # the noun phrase ending at ``head``: its left dependents' words, then the head
    key = ("left_edge", hi)
    left = view.memo.get(key)
    if left is None:
        left = view.memo[key] = head.left_edge.i
    toks = range(left, hi + 1)
    last = _word_needs(phrase.words[-1])  # the phrase's head word must be the one it ends at
    lower, lemma = view.lower, view.lemma

    def ends_at(i: int) -> bool:
        return last is None or lower[i] in last or lemma[i] in last

    got = _match_seq(phrase.words, toks, len(toks) - 1, True, view) if ends_at(hi) else None
    if got is None:
        tokens = view.tokens
        for p in range(len(toks) - 2, -1, -1):
            if not ends_at(toks[p]):
                continue
            t = tokens[toks[p]]
            if t.dep_ == "compound" and t.head.i == hi and t.pos_ in NOMINAL_POS:
                got = _match_seq(phrase.words, toks, p, True, view)
                if got is not None:
                    break
    if got is None:
        return None
    return [toks[p] for p in got]


# --------------------------------------------------------------------------- trigger context


@dataclass
class _Context:
    pre_words: list[Token]
    post_words: list[Token]
    pre_preps: list[tuple[Token, Token | None]]
    post_preps: list[tuple[Token, Token | None]]


def _with_conj(tok: Token) -> list[Token]:
    v = doc_view(tok.doc)
    dep = v.dep
    return [tok, *(c for c in v.children(tok) if dep[c.i] == "conj")]


def _preps_of(tok: Token, depth: int = 2) -> list[tuple[Token, Token | None]]:
    """Prepositional phrases attached to ``tok`` (and to their objects, ``depth`` levels)."""
    out: list[tuple[Token, Token | None]] = []
    v = doc_view(tok.doc)
    dep = v.dep
    for c in v.children(tok):
        if dep[c.i] not in PREP_DEPS:
            continue
        objs = [o for g in v.children(c) if dep[g.i] == "pobj" for o in _with_conj(g)]
        if not objs:
            out.append((c, None))
        for o in objs:
            out.append((c, o))
            if depth > 1:
                out.extend(_preps_of(o, depth - 1))
    return out


def _context(tok: Token, particle_objects: Sequence[Token]) -> _Context:
    pre_words: list[Token] = []
    post_words: list[Token] = []
    v = doc_view(tok.doc)
    dep, pos = v.dep, v.pos
    kids = v.children(tok)
    ti = tok.i
    passive = any(dep[c.i] in {"nsubjpass", "csubjpass"} for c in kids)
    for c in kids:
        ci = c.i
        d = dep[ci]
        if d in PREP_DEPS or d in PRE_SKIP_DEPS:
            continue
        if ci < ti:
            pre_words.extend(_with_conj(c))
            if passive and d == "nsubjpass":  # the logical object
                post_words.extend(_with_conj(c))
        elif d in POST_WORD_DEPS or d == "nsubjpass":
            post_words.extend(_with_conj(c) if pos[ci] in NOMINAL_POS else [c])
    for o in particle_objects:
        post_words.extend(_with_conj(o))
    pre_preps: list[tuple[Token, Token | None]] = []
    post_preps: list[tuple[Token, Token | None]] = []
    for prep, obj in _preps_of(tok):
        (pre_preps if prep.i < ti else post_preps).append((prep, obj))
    for w in post_words:
        if pos[w.i] in NOMINAL_POS:
            post_preps.extend(_preps_of(w))
    return _Context(pre_words, post_words, pre_preps, post_preps)


# --------------------------------------------------------------------------- pattern matching


def _compound(tok: Token | None) -> bool:
    """Whether ``tok`` (or the object of preposition ``tok``) heads conjoined noun phrases."""
    if tok is not None and tok.dep_ in PREP_DEPS:
        tok = next((c for c in _kids(tok) if c.dep_ == "pobj"), None)
    return tok is not None and any(c.dep_ == "conj" and c.pos_ in NOMINAL_POS
                                   for c in _kids(tok))


def _match_elements(elements: Sequence[object], words: Sequence[Token],
                    preps: Sequence[tuple[Token, Token | None]], used: set[int],
                    verb: Token | None = None) -> list[int] | None:
    """Match pattern elements in order. ``%`` (a compound actor) requires the phrase matched
    just before it, or the verb's subject when nothing was matched before it, to be
    conjoined ("Philippines and France agree": ``% *``; "agrees with X and Y": ``* WITH %``).
    A single preposition written as a bare word ("* WITH %") matches a prepositional phrase."""
    matched: list[int] = []
    last: Token | None = None
    after_prep: list[Token] = []
    for el in elements:
        if isinstance(el, Marker):
            if el.symbol == "%":
                anchor = last
                if anchor is None and verb is not None:
                    anchor = next((c for c in _kids(verb)
                                   if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if not _compound(anchor):
                    return None
            continue
        hit: list[int] | None = None
        if isinstance(el, NounPhrase):
            for cand in (*after_prep, *words):
                if cand.i in used:
                    continue
                got = match_phrase(el, cand)
                if got is not None and not used.intersection(got):
                    hit = got
                    break
            after_prep = []
            if hit is None and len(el.words) == 1:
                # a preposition (or a set of them: "&PREPOSIT1 RESOLUTION") written as a word;
                # the next word may then be its object
                p: Token | None = None
                if preps:
                    pview = doc_view(preps[0][0].doc)
                    p = next((p for p, _ in preps if p.i not in used
                              and _match_seq(el.words, (p.i,), 0, True, pview) is not None),
                             None)
                if p is not None:
                    hit = [p.i]
                    after_prep = [o for g in _kids(p) if g.dep_ == "pobj"
                                  for o in _with_conj(g)]
        elif isinstance(el, PrepPhrase):
            for p, obj in preps:
                if p.i in used or not _prep_ok(el.prep, p):
                    continue
                if el.noun is None:
                    hit = [p.i]
                    break
                if obj is None or obj.i in used:
                    continue
                got = match_phrase(el.noun, obj)
                if got is not None and not used.intersection(got):
                    hit = [p.i, *got]
                    break
        if hit is None:
            return None
        used.update(hit)
        matched.extend(hit)
        last = verb.doc[hit[-1]] if verb is not None else None
    return matched


def _prep_ok(prep: str, tok: Token) -> bool:
    if " " not in prep:
        return tok.lower_ == prep
    words = prep.split()
    doc = tok.doc
    start = tok.i - len(words) + 1
    if start < 0:
        return False
    return [t.lower_ for t in doc[start:tok.i + 1]] == words


def match_pattern(pattern: VerbPattern, tok: Token,
                  particle_objects: Sequence[Token] = ()) -> list[int] | None:
    """Doc indices matched by ``pattern`` around trigger ``tok``, or None if it does not match."""
    return _match_pattern(pattern, _context(tok, particle_objects), tok)


def _merged_runs(elements: Sequence[PatternElement]) -> tuple[PatternElement, ...] | None:
    """Runs of bare words (``DIPLOMATIC TIES``) merged into one phrase, or None if none.

    Words written apart must appear in order, other words allowed between them: read as one
    noun phrase they match "full diplomatic ties" (a modifier and its head), which separate
    dependents of the verb would not."""
    out: list[PatternElement] = []
    merged = False
    for el in elements:
        if isinstance(el, NounPhrase) and out and isinstance(out[-1], NounPhrase):
            out[-1] = NounPhrase((*out[-1].words, *el.words))
            merged = True
        else:
            out.append(el)
    return tuple(out) if merged else None


def _plain_words(elements: Sequence[PatternElement],
                 stop_at_target: bool) -> list[PatternWord] | None:
    """The words of ``elements`` in order, skipping markers; None when an element is not plain
    words (or, with ``stop_at_target``, when a ``%`` marker asks for a target)."""
    words: list[PatternWord] = []
    for el in elements:
        if isinstance(el, Marker):
            if stop_at_target and el.symbol == "%":
                return None
            continue
        if not isinstance(el, NounPhrase):
            return None
        words.extend(el.words)
    return words


def _surface_pre(elements: Sequence[PatternElement], tok: Token) -> list[int] | None:
    """Words before the verb read on the sentence's surface, in order ("INDICATED WOULD * NOW":
    "indicated it would act"; "&NEGATVAUXVRB *": "didn't clash"): words written apart may have
    others between them, words joined with "_" may not. Only for elements that are all words."""
    words = _plain_words(elements, stop_at_target=False)
    if not words:
        return None
    view = doc_view(tok.doc)
    start = view.sentence_of(tok.i)[0]
    toks = range(start, tok.i)
    got = _match_seq(words, toks, len(toks) - 1, False, view)
    return None if got is None else [toks[p] for p in got]


def _surface_post(elements: Sequence[PatternElement], tok: Token,
                  used: set[int]) -> list[int] | None:
    """Words after the verb read in order on the surface of the verb's own phrase (its
    subtree: "allowed that Mordor isn't a really pleasant place" for "* REALLY_PLEASANT";
    "welcomed memos on economic issue from Bree" for "* &MEMO FROM"), as TABARI/PETRARCH
    dictionaries were written, when the parse does not give the words as the verb's
    dependents. Only for elements that are all words."""
    words = _plain_words(elements, stop_at_target=True)
    if not words:
        return None
    doc = tok.doc
    # a conjoined verb's words are its own clause ("launched a bombing and shelling X")
    skip = set(used)
    for c in _kids(tok):
        if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}:
            skip.update(range(c.left_edge.i, c.right_edge.i + 1))
    toks = [i for i in range(tok.i + 1, tok.right_edge.i + 1) if i not in skip]
    got = _match_seq(words, toks, len(toks) - 1, False, doc_view(doc))
    return None if got is None else [toks[p] for p in got]


_ALTS: dict[int, tuple[VerbPattern, list[Sequence[PatternElement]],
                      list[Sequence[PatternElement]]]] = {}


def _alternatives(pattern: VerbPattern) -> tuple[list[Sequence[PatternElement]],
                                                 list[Sequence[PatternElement]]]:
    """The element sequences tried before and after the verb (see :func:`_merged_runs`),
    remembered by pattern."""
    hit = _ALTS.get(id(pattern))
    if hit is None or hit[0] is not pattern:
        if len(_ALTS) > 200_000:
            _ALTS.clear()
        pre: list[Sequence[PatternElement]] = [
            e for e in (_merged_runs(pattern.pre), pattern.pre) if e is not None]
        post: list[Sequence[PatternElement]] = [
            e for e in (_merged_runs(pattern.post), pattern.post) if e is not None]
        hit = (pattern, pre, post)
        _ALTS[id(pattern)] = hit
    return hit[1], hit[2]


def _match_pattern(pattern: VerbPattern, ctx: _Context, tok: Token,
                   surface: bool = False) -> list[int] | None:
    pre_alts, post_alts = _alternatives(pattern)
    for pre_els in pre_alts:
        for post_els in post_alts:
            used = {tok.i}
            pre = _match_elements(pre_els, ctx.pre_words, ctx.pre_preps, used, tok)
            if pre is None and surface:
                pre = _surface_pre(pre_els, tok)
                if pre is not None:
                    used.update(pre)
            if pre is None:
                continue
            if pattern.pre_adjacent and (not pre or max(pre) != tok.i - 1):
                continue
            post = _match_elements(post_els, ctx.post_words, ctx.post_preps, used, tok)
            if post is None and surface:
                post = _surface_post(post_els, tok, used)
            if post is None:
                continue
            return pre + post
    return None


# --------------------------------------------------------------------------- positional markers


def _np_end(doc: Any, start: int, stop: int) -> int | None:
    """Index of the first noun-phrase head at or after ``start`` (before ``stop``): a nominal
    word that does not modify a later word ("the Prince", "Ithilen 's army" → army)."""
    for i in range(start, stop):
        t = doc[i]
        if t.pos_ not in NOMINAL_POS:
            continue
        if t.head.i > t.i and t.dep_ in {"compound", "amod", "nmod", "poss", "nummod"}:
            continue
        return i
    return None


def marker_target(pattern: VerbPattern, verb: Token) -> Token | None:
    """The target a pattern names by position, as TABARI/PETRARCH dictionaries write it:
    after the verb, ``+`` is the noun phrase that follows the words before it, and ``^`` skips
    one noun phrase ("WARN * THEIR ^ ABOUT +": "warned their populations about X" → X;
    "* AT ^ +": "warned at the Gondor of X" → X). The words are read on the surface of the
    verb's own phrase; None when the pattern has no ``+`` after the verb or the walk fails."""
    if not any(isinstance(e, Marker) and e.symbol == "+" for e in pattern.post):
        return None
    doc = verb.doc
    stop = max(verb.right_edge.i + 1, verb.i + 1)
    pos = verb.i
    for el in pattern.post:
        if isinstance(el, Marker):
            if el.symbol == "^":
                end = _np_end(doc, pos + 1, stop)
                if end is None:
                    return None
                pos = end
            elif el.symbol == "+":
                end = _np_end(doc, pos + 1, stop)
                return doc[end] if end is not None else None
            continue
        words = el.words if isinstance(el, NounPhrase) else None
        if words is None:
            return None
        toks = range(pos + 1, stop)
        view = doc_view(doc)
        got = None
        for p in range(len(toks)):
            got = _match_seq(words, toks, p, True, view)
            if got is not None:
                break
        if not got:
            return None
        pos = toks[max(got)]
    return None


# --------------------------------------------------------------------------- multi-word verbs


def _particle_tokens(tok: Token, entry: VerbEntry) -> list[Token] | None:
    """Tokens carrying a multi-word verb's other words, or None when they are missing."""
    doc = tok.doc
    found: list[Token] = []
    for side, words in ((1, entry.particle_after), (-1, entry.particle_before)):
        for k, word in enumerate(words):
            hit = next((c for c in _kids(tok) if c.lower_ == word and c not in found
                        and (c.i - tok.i) * side > 0), None)
            if hit is None:  # fall back to the words next to the verb
                j = tok.i + 1 + k if side > 0 else tok.i - len(words) + k
                if 0 <= j < len(doc) and doc[j].lower_ == word:
                    hit = doc[j]
            if hit is None:
                return None
            found.append(hit)
    return found


# --------------------------------------------------------------------------- quick rejection


_NEEDS: dict[int, tuple[VerbPattern, tuple[frozenset[str], ...] | None]] = {}
_ALL_NEEDS: dict[int, tuple[Any, Any]] = {}


def _sentence_words(tok: Token) -> frozenset[str]:
    """Lowercased words and lemmas of the token's sentence (computed once per sentence)."""
    view = doc_view(tok.doc)
    return view.sentence_words(*view.sentence_of(tok.i))


_WORD_NEEDS: dict[int, tuple[PatternWord, frozenset[str] | None]] = {}


def _word_needs(w: PatternWord) -> frozenset[str] | None:
    """Forms one of which must be in the sentence for ``w`` to match (None: no constraint)."""
    if w.synset is None:
        return None if "-" in w.text or not w.forms else w.forms
    hit = _WORD_NEEDS.get(id(w))
    if hit is not None and hit[0] is w:
        return hit[1]
    needs = _synset_needs(w)
    _WORD_NEEDS[id(w)] = (w, needs)
    return needs


def _synset_needs(w: PatternWord) -> frozenset[str] | None:
    if w.synset is not None:
        out: set[str] = set()
        for alt in w.synset:
            if not alt:
                return None
            sub = _word_needs(alt[-1])
            if sub is None:
                return None
            out |= sub
        return frozenset(out)
    if "-" in w.text or not w.forms:
        return None
    return w.forms


def _pattern_needs(pattern: VerbPattern) -> tuple[frozenset[str], ...] | None:
    """For each element of the pattern, the forms one of which must occur (cached)."""
    hit = _NEEDS.get(id(pattern))
    if hit is not None and hit[0] is pattern:
        return hit[1]
    needs: list[frozenset[str]] = []
    for el in (*pattern.pre, *pattern.post):
        words: tuple[PatternWord, ...] = ()
        if isinstance(el, NounPhrase):
            words = el.words
        elif isinstance(el, PrepPhrase):
            needs.extend(frozenset({w}) for w in el.prep.split())
            words = el.noun.words if el.noun is not None else ()
        for w in words[-1:]:
            n = _word_needs(w)
            if n is not None:
                needs.append(n)
    # () marks an empty pattern (nothing to match), None one without word constraints
    result = () if pattern.size == 0 else (tuple(needs) if needs else None)
    _NEEDS[id(pattern)] = (pattern, result)
    return result


def _possible(pattern: VerbPattern, bag: frozenset[str]) -> bool:
    """False when the pattern is empty or some word it needs is nowhere in the sentence."""
    hit = _NEEDS.get(id(pattern))
    needs = hit[1] if hit is not None and hit[0] is pattern else _pattern_needs(pattern)
    if needs == ():
        return False
    if needs is None:
        return True
    for n in needs:
        if bag.isdisjoint(n):
            return False
    return True


_Filter = tuple[list[tuple[VerbPattern, Any]], list[int], dict[str, list[int]]]


def _pattern_filter(patterns: Sequence[VerbPattern]) -> _Filter:
    """An entry's patterns with what each needs (see :func:`_pattern_needs`), the positions
    of those without word constraints, and the others' positions by the forms of their first
    needed word (cached)."""
    hit = _ALL_NEEDS.get(id(patterns))
    if hit is not None and hit[0] is patterns:
        return hit[1]
    pats: list[tuple[VerbPattern, Any]] = []
    always: list[int] = []
    by_form: dict[str, list[int]] = {}
    for k, pat in enumerate(patterns):
        needs = _pattern_needs(pat)
        pats.append((pat, needs))
        if needs is None:
            always.append(k)
        elif needs:
            for f in needs[0]:
                by_form.setdefault(f, []).append(k)
    out = (pats, always, by_form)
    _ALL_NEEDS[id(patterns)] = (patterns, out)
    return out


def _possible_patterns(patterns: Sequence[VerbPattern],
                       bag: frozenset[str]) -> list[VerbPattern]:
    """The patterns, in order, that are not empty and whose needed words all occur in the
    sentence (as :func:`_possible`)."""
    pats, always, by_form = _pattern_filter(patterns)
    ks = set(always)
    for w in bag:
        hit = by_form.get(w)
        if hit is not None:
            ks.update(hit)
    out: list[VerbPattern] = []
    for k in sorted(ks):
        pat, needs = pats[k]
        if needs is not None and any(bag.isdisjoint(n) for n in needs):
            continue
        out.append(pat)
    return out


def _specific(code: str) -> bool:
    return code not in {NULL_CODE, ""}


def match_verb(token: Token, entries: Sequence[VerbEntry], *,
               surface: bool = False) -> PatternMatch | None:
    """The code of trigger ``token`` from its dictionary ``entries``.

    ``surface``: words of a pattern before the verb may also be read on the sentence's surface
    (see :func:`_surface_pre`), as dictionaries written for TABARI/PETRARCH expect.

    Multi-word entries whose other words are present take precedence over single-word ones.
    Among the applicable entries' patterns the one matching the most words wins (ties: a
    multi-word entry, then dictionary order); without a matching pattern the first applicable
    entry with a code gives its own code. Returns None when no entry applies; a match with code
    ``---`` means the verb, as used here, is not an event.
    """
    multi: list[tuple[VerbEntry, list[Token]]] = []
    single: list[VerbEntry] = []
    for e in entries:
        if e.particle_before or e.particle_after:
            parts = _particle_tokens(token, e)
            if parts is not None:
                multi.append((e, parts))
        else:
            single.append(e)
    applicable = multi or [(e, []) for e in single]
    if not applicable:
        return None

    best: tuple[int, int, PatternMatch] | None = None
    bag = _sentence_words(token)
    cache: dict[tuple[int, tuple[int, ...]], list[tuple[VerbPattern, list[int]]]] = {}
    order = 0
    for entry, parts in applicable:
        particle_objects = [g for p in parts if p.dep_ in PREP_DEPS for g in _kids(p)
                            if g.dep_ == "pobj"]
        key = (id(entry.patterns), tuple(t.i for t in particle_objects))
        hits = cache.get(key)
        if hits is None:
            ctx = _context(token, particle_objects)
            hits = []
            for pat in _possible_patterns(entry.patterns, bag):
                got = _match_pattern(pat, ctx, token, surface)
                if got is not None:
                    hits.append((pat, got))
            cache[key] = hits
        for pat, got in hits:
            order -= 1
            if best is not None and (pat.size, order) <= best[:2]:
                continue
            idx = tuple(sorted({token.i, *(p.i for p in parts), *got}))
            best = (pat.size, order, PatternMatch(pat.code, pat, idx, entry, pat.reciprocal))
    if best is not None:
        return best[2]
    entry, parts = next(((e, p) for e, p in applicable if _specific(e.code)), applicable[0])
    idx = tuple(sorted({token.i, *(p.i for p in parts)}))
    return PatternMatch(entry.code, None, idx, entry, entry.reciprocal)


__all__ = ["PatternMatch", "marker_target", "match_pattern", "match_phrase", "match_verb"]
