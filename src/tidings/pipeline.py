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
from tidings.errors import InputError
from tidings.model import Actor, Article, ArticleResult
from tidings.nlp import DEFAULT_MODEL, load_nlp
from tidings.quotes import SpeakerResolver, find_quotes
from tidings.when import event_date, find_times
from tidings.where import event_location, find_places

Item = Article | InputError


@dataclass(frozen=True)
class PipelineConfig:
    """Everything a worker needs to rebuild the pipeline (picklable)."""

    model: str = DEFAULT_MODEL
    batch_size: int = 32


class Pipeline:
    """Parse and code articles. Build once; reuse for many batches."""

    def __init__(self, model: str = DEFAULT_MODEL, *, knowledge: Knowledge | None = None,
                 batch_size: int = 32) -> None:
        self.config = PipelineConfig(model=model, batch_size=batch_size)
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
            self._coder = Coder(self._knowledge)
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
        for chunk in doc.noun_chunks:
            root = chunk.root
            if root.pos_ != "NOUN" or root.lemma_.lower() in out:
                continue
            a = self.coder.actors.code_head(root, date)
            if a is not None and a.country and a.sector:
                out[root.lemma_.lower()] = a
        return out

    def analyse(self, doc: Doc, article: Article) -> ArticleResult:
        """Everything Tidings finds in one parsed article."""
        ctx = ArticleContext(date=article.date)
        people = self.coder.person_index(doc, article.date)
        quotes = find_quotes(doc, self.speaker_resolver(article.date, ctx, people))
        events = self.coder.code_doc(doc, article, ctx, quotes=quotes)
        times = find_times(doc, article.date)
        places = find_places(doc, article.date)
        for ev in events:
            tok = int(ev.explanation["trigger_token"])
            ev.counts = find_counts(doc, tok)
            ev.date = event_date(doc, tok, times, article.date)
            ev.location = event_location(doc, tok, places)
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
                                   batch_size=config.batch_size)


def _work(batch: list[Item]) -> list[ArticleResult | InputError]:
    pipeline: Pipeline = _WORKER["pipeline"]
    return pipeline.process_batch(batch)
