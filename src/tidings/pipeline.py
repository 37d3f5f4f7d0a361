"""The pipeline: Articles → spaCy Docs → mentions → Events, in one process or a pool.

``Pipeline.process`` keeps input order and passes ``InputError`` values through untouched, so a
caller can report bad records and go on. The same ``analyse`` function runs in the local process
pool and inside Spark partitions (``engines``).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from tidings.coding.actors import ArticleContext
from tidings.coding.coder import Coder, Knowledge
from tidings.counts import find_counts
from tidings.docview import doc_view
from tidings.errors import InputError
from tidings.model import Actor, Article, ArticleResult, Event, EventDate, Time
from tidings.nlp import DEFAULT_MODEL, load_nlp
from tidings.quotes import SpeakerResolver, find_quotes
from tidings.when import event_date, find_times
from tidings.where import event_location, find_places

Item = Article | InputError

#: Which PLOVER event types carry which counts (PLOVER's dead, injured, arrested, size): an
#: accusation or a statement is not where people died, even when the sentence says they did.
COUNT_TYPES: dict[str, frozenset[str]] = {
    "dead": frozenset({"ASSAULT", "COERCE", "PROTEST"}),
    "injured": frozenset({"ASSAULT", "COERCE", "PROTEST"}),
    "arrested": frozenset({"COERCE"}),
    "size": frozenset({"PROTEST", "MOBILIZE", "ASSAULT", "COERCE"}),
}


@dataclass(frozen=True)
class PipelineConfig:
    """Everything a worker needs to rebuild the pipeline (picklable)."""

    model: str = DEFAULT_MODEL
    batch_size: int = 32
    learned_fallback: bool = False


class Pipeline:
    """Parse and code articles. Build once; reuse for many batches."""

    def __init__(self, model: str = DEFAULT_MODEL, *, knowledge: Knowledge | None = None,
                 batch_size: int = 32, learned_fallback: bool = False) -> None:
        self.config = PipelineConfig(model=model, batch_size=batch_size,
                                     learned_fallback=learned_fallback)
        self._knowledge = knowledge
        self._nlp: Language | None = None
        self._coder: Coder | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp(self.config.model)
        return self._nlp

    @property
    def coder(self) -> Coder:
        if self._coder is None:
            self._coder = Coder(self._knowledge,
                                learned_fallback=self.config.learned_fallback)
        return self._coder

    def speaker_resolver(self, date: dt.date | None, ctx: ArticleContext | None = None,
                         people: dict[str, Actor] | None = None) -> SpeakerResolver:
        """Codes a quote's speaker span with the actor knowledge, as of ``date``; a bare name
        ("Mutua") takes the code of the article's fuller mention of that person (``people``)."""
        actors = self.coder.actors
        roles: dict[str, Actor] | None = None

        def same_as(span: SpacySpan, known: Actor) -> Actor:
            return Actor(text=span.text, code=known.code, country=known.country,
                         sector=known.sector, start=span.start_char, end=span.end_char,
                         name=known.name or known.text,
                         matched=[*known.matched, f"same as {known.text!r}"])

        def resolve(span: SpacySpan) -> Actor | None:
            nonlocal roles
            found = actors.code_span(span, date, ctx)
            if found is None and people and span.text.split():
                known = people.get(span.text.split()[-1].lower())
                if known is not None:
                    found = same_as(span, known)
            if (found is None or not found.country) and span.root.pos_ == "NOUN":
                # "the spokesperson" is the article's earlier "a State Department spokesperson"
                if roles is None:
                    roles = self._role_index(span.doc, date)
                known = roles.get(span.root.lemma_.lower())
                if known is not None and known.start < span.start_char:
                    found = same_as(span, known)
            return found

        return resolve

    def _role_index(self, doc: Doc, date: dt.date | None) -> dict[str, Actor]:
        """The first fully coded mention of each role noun in the article."""
        out: dict[str, Actor] = {}
        view = doc_view(doc)
        pos, lemma = view.pos, view.lemma
        for chunk in view.noun_chunks():
            root = chunk.root
            ri = root.i
            if pos[ri] != "NOUN" or lemma[ri] in out:
                continue
            a = self.coder.actors.code_head(root, date)
            if a is not None and a.country and a.sector:
                out[lemma[ri]] = a
        return out

    def analyse(self, doc: Doc, article: Article) -> ArticleResult:
        """Everything Tidings finds in one parsed article."""
        ctx = ArticleContext(date=article.date)
        people = self.coder.person_index(doc, article.date)
        quotes = find_quotes(doc, self.speaker_resolver(article.date, ctx, people))
        events = self.coder.code_doc(doc, article, ctx, quotes=quotes)
        times = find_times(doc, article.date)
        places = find_places(doc, article.date)
        triggers = [int(ev.explanation["trigger_token"]) for ev in events]
        for ev, tok in zip(events, triggers, strict=True):
            ev.counts = {k: v for k, v in find_counts(doc, tok).items()
                         if ev.plover.type in COUNT_TYPES.get(k, ())}
            ev.date = event_date(doc, tok, times, article.date)
            ev.location = event_location(
                doc, tok, places,
                [(a.start, a.end) for a in (ev.source, ev.target) if a is not None])
            _leave_nested(ev, doc, tok, triggers, times, article.date)
        return ArticleResult(article=article, events=events, quotes=quotes, places=places,
                             times=times, sentences=self.coder.sentences(doc))

    def process_batch(self, items: list[Item]) -> list[ArticleResult | InputError]:
        """Parse and code one batch in this process."""
        articles = [a for a in items if isinstance(a, Article)]
        docs = iter(self.nlp.pipe((a.text for a in articles), batch_size=self.config.batch_size))
        out: list[ArticleResult | InputError] = []
        for item in items:
            if isinstance(item, InputError):
                out.append(item)
                continue
            doc = next(docs)
            try:
                out.append(self.analyse(doc, item))
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
                where = item.source or item.id
                out.append(InputError(where, f"could not be coded ({type(exc).__name__}: {exc})"))
        return out

    def process(self, items: Iterable[Item], *, processes: int = 1,
                chunk: int = 64) -> Iterator[ArticleResult | InputError]:
        """Code articles in input order; ``processes > 1`` uses a local process pool."""
        batches = _batched(items, chunk)
        if processes <= 1:
            for batch in batches:
                yield from self.process_batch(batch)
            return
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(processes, initializer=_init_worker,
                      initargs=(self.config, self._knowledge)) as pool:
            for result in pool.imap(_work, batches):
                yield from result


def _leave_nested(ev: Event, doc: Doc, tok: int, triggers: list[int], times: list[Time],
                  report_date: dt.date | None) -> None:
    """An event that governs another event's clause ("accused X of attacking … last week near
    Mandera, killing three") does not take that clause's date, place or counts."""
    head = doc[tok]
    spans = []
    for other in set(triggers):
        t = doc[other]
        if other != tok and t.is_ancestor(head) is False and head.is_ancestor(t):
            spans.append((doc[t.left_edge.i].idx, doc[t.right_edge.i].idx +
                          len(doc[t.right_edge.i])))
    if not spans:
        return

    def inside(start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in spans)

    if ev.date is not None and ev.date.text is not None and any(
            t.text == ev.date.text and inside(t.start, t.end) for t in times):
        ev.date = EventDate(start=report_date.isoformat() if report_date else None,
                            end=report_date.isoformat() if report_date else None,
                            granularity="day" if report_date else None, text=None,
                            resolved_by="report_date")
    if ev.location is not None and ev.location.resolved_by == "attached" and inside(
            ev.location.start, ev.location.end):
        ev.location = None
    ev.counts = {k: v for k, v in ev.counts.items()
                 if not (isinstance(v, dict) and inside(int(v.get("start", -1)),
                                                        int(v.get("end", -1))))}


def _batched(items: Iterable[Item], n: int) -> Iterator[list[Item]]:
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


def speaker_resolver(model: str = DEFAULT_MODEL) -> SpeakerResolver:
    """A speaker resolver with the default knowledge and no report date (for evaluation)."""
    return Pipeline(model).speaker_resolver(None)


_WORKER: dict[str, Any] = {}


def _init_worker(config: PipelineConfig, knowledge: Knowledge | None) -> None:
    _WORKER["pipeline"] = Pipeline(config.model, knowledge=knowledge,
                                   batch_size=config.batch_size,
                                   learned_fallback=config.learned_fallback)


def _work(batch: list[Item]) -> list[ArticleResult | InputError]:
    pipeline: Pipeline = _WORKER["pipeline"]
    return pipeline.process_batch(batch)
