"""Per-document views of a parsed article, built once and shared by the coding stages.

Reading a spaCy ``Doc`` token by token (``doc[i]``, ``tok.lower_``, ``tok.lemma_``) builds a new
``Token`` object and looks its strings up again on every access. The coder, the pattern matcher
and the place finder read the same few attributes of the same tokens many times per article, so
:func:`doc_view` reads them once per document into plain lists (``tokens``, ``lower``,
``lemma``) and keeps the view of the document last asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, HEAD, IDX, LEMMA, LOWER, ORTH, POS, SPACY
from spacy.tokens import Doc, Span, Token


class DocView:
    """The tokens of one ``Doc`` and their most read strings, by token index."""

    __slots__ = ("doc", "tokens", "lower", "lemma", "pos", "dep", "head", "memo", "_kids",
                 "_child_toks", "_bags", "_hyphen", "_sent_of", "text", "orth", "idx",
                 "end")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        #: ``doc[i]`` for every ``i`` (one ``Token`` object per token, reused)
        self.tokens: list[Token] = list(doc)
        if len(doc):
            cols = doc.to_array([LOWER, LEMMA, POS, DEP, ORTH, SPACY, IDX]).T.tolist()
            # heads are stored as offsets from the token (negative ones wrap around)
            offsets = doc.to_array(HEAD).astype("int64").tolist()
        else:
            cols, offsets = [[], [], [], [], [], [], []], []
        strings = doc.vocab.strings
        #: ``tok.text``
        self.orth: list[str] = _strings(cols[4], strings, False)
        #: ``tok.idx``
        self.idx: list[int] = cols[6]
        #: ``tok.idx + len(tok)``
        self.end: list[int] = [i + len(t) for i, t in zip(self.idx, self.orth, strict=True)]
        #: ``doc.text`` (spaCy joins the tokens' texts on every access)
        self.text: str = "".join([t + " " if sp else t
                                  for t, sp in zip(self.orth, cols[5], strict=True)])
        #: ``tok.lower_``
        self.lower: list[str] = _strings(cols[0], strings, False)
        #: ``tok.lemma_.lower()``
        self.lemma: list[str] = _strings(cols[1], strings, True)
        #: ``tok.pos_``
        self.pos: list[str] = _strings(cols[2], strings, False)
        #: ``tok.dep_``
        self.dep: list[str] = _strings(cols[3], strings, False)
        #: ``tok.head.i``
        self.head: list[int] = [i + o for i, o in enumerate(offsets)]
        #: results that depend on the document only, kept by the functions computing them
        self.memo: dict[Any, Any] = {}
        self._kids: list[list[int]] | None = None
        self._child_toks: dict[int, list[Token]] = {}
        self._bags: dict[int, frozenset[str]] = {}
        self._hyphen: dict[int, str] = {}
        self._sent_of: list[tuple[int, int]] | None = None

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` for ``0 <= start <= end <= len(doc)``."""
        if start >= end:
            return ""
        return self.text[self.idx[start]:self.end[end - 1]]

    def kids(self, i: int) -> list[int]:
        """Indices of the children of token ``i``, in order (as ``tok.children``)."""
        kids = self._kids
        if kids is None:
            kids = [[] for _ in self.head]
            for j, h in enumerate(self.head):
                if h != j:
                    kids[h].append(j)
            self._kids = kids
        return kids[i]

    def subtree(self, i: int) -> list[int]:
        """Indices of token ``i``'s subtree, in the order of ``tok.subtree`` (each left child's
        subtree, the token, each right child's subtree)."""
        out: list[int] = []
        kids = self.kids

        def walk(j: int) -> None:
            ks = kids(j)
            for c in ks:
                if c < j:
                    walk(c)
            out.append(j)
            for c in ks:
                if c > j:
                    walk(c)

        walk(i)
        return out

    def children(self, tok: Token) -> list[Token]:
        """``list(tok.children)`` with the view's token objects (a shared list: do not
        change it)."""
        i = tok.i
        out = self._child_toks.get(i)
        if out is None:
            toks = self.tokens
            out = self._child_toks[i] = [toks[j] for j in self.kids(i)]
        return out

    def _once(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, computed once per document and kept in ``memo``."""
        out = self.memo.get(key)
        if out is None:
            out = self.memo[key] = build()
        return out

    def sents(self) -> list[Span]:
        """``list(doc.sents)`` (a shared list: do not change it)."""
        out: list[Span] = self._once("sents", lambda: list(self.doc.sents))
        return out

    def ents(self) -> tuple[Span, ...]:
        """``doc.ents`` (rebuilt by spaCy on every access)."""
        out: tuple[Span, ...] = self._once("ents", lambda: tuple(self.doc.ents))
        return out

    def noun_chunks(self) -> list[Span]:
        """``list(doc.noun_chunks)`` (a shared list: do not change it)."""
        out: list[Span] = self._once("noun_chunks", lambda: list(self.doc.noun_chunks))
        return out

    def sentence_of(self, i: int) -> tuple[int, int]:
        """``(start, end)`` of the sentence of token ``i`` (as ``doc[i].sent``)."""
        bounds = self._sent_of
        if bounds is None:
            bounds = []
            for s in self.sents():
                bounds.extend([(s.start, s.end)] * (s.end - s.start))
            self._sent_of = bounds
        return bounds[i]

    def sentence_words(self, start: int, end: int) -> frozenset[str]:
        """Lowercased words and lemmas of the sentence ``doc[start:end]`` (cached)."""
        bag = self._bags.get(start)
        if bag is None:
            lower, lemma = self.lower, self.lemma
            bag = frozenset([*lower[start:end], *lemma[start:end]])
            self._bags[start] = bag
        return bag

    def hyphen_surface(self, i: int) -> str:
        """``sabre - rattling`` written without spaces, ending at token ``i``, lowercased
        ("sabre-rattling"); the token's own lowercase form when it is not such a word."""
        hit = self._hyphen.get(i)
        if hit is None:
            toks = self.tokens
            start = i
            while (start >= 2 and toks[start - 1].text == "-" and not toks[start - 1].whitespace_
                   and not toks[start - 2].whitespace_):
                start -= 2
            hit = self.span_text(start, i + 1).lower() if start < i else self.lower[i]
            self._hyphen[i] = hit
        return hit


#: string (and lowercased string) of a string-store key: keys are hashes of their strings
#: (or fixed symbol ids), the same in every vocabulary
_STRINGS: tuple[dict[int, str], dict[int, str]] = ({}, {})
_STRINGS_MAX = 500_000


def _strings(keys: list[int], store: Any, lowered: bool) -> list[str]:
    known = _STRINGS[lowered]
    out: list[Any] = list(map(known.get, keys))
    if None in out:
        for n, k in enumerate(keys):
            if out[n] is None:
                if len(known) > _STRINGS_MAX:
                    known.clear()
                s = store[k]
                if lowered:
                    s = s.lower()
                known[k] = s
                out[n] = s
    return out


_LOCAL = threading.local()


def children(tok: Token) -> list[Token]:
    """``list(tok.children)``, from the view of the token's document (a shared list: do not
    change it)."""
    return doc_view(tok.doc).children(tok)


def doc_view(doc: Doc) -> DocView:
    """The view of ``doc`` (the last one built in this thread is kept)."""
    last: DocView | None = getattr(_LOCAL, "view", None)
    if last is not None and last.doc is doc and len(last.tokens) == len(doc):
        return last
    view = DocView(doc)
    _LOCAL.view = view
    return view


__all__ = ["DocView", "children", "doc_view"]
