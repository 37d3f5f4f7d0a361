"""A learned sentence-level PLOVER event-type classifier (an optional fallback for the coder).

The dictionary coder finds events through CAMEO verb patterns; a sentence whose trigger is not in
the dictionary yields no event. This layer predicts the sentence's PLOVER event type from a bag
of words (lower-cased tokens, light suffix stripping, unigrams and bigrams) with a multinomial
logistic regression, so that a caller can add an event where the dictionary found none and the
classifier is confident enough.

The model is packaged as ``data/event_classifier.npz`` (rebuilt by
``scripts/train_classifier.py`` from the synthetic PLOVER stories, MIT, NGEC; see
``data/NOTICE.md``). It holds its own featurisation settings, vocabulary, weights and the
thresholds measured when it was built, so run time needs only numpy.

Every prediction can be explained: ``explain(text)`` lists the words and word pairs that pushed
the sentence towards the predicted type, with their contributions.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "data" / "event_classifier.npz"


class Featuriser:
    """Sentence text → set of feature strings (unigram stems without stop words, bigrams)."""

    def __init__(self, token_pattern: str, suffixes: list[tuple[str, str]], min_stem: int,
                 stopwords: set[str]) -> None:
        self.token_re = re.compile(token_pattern)
        self.suffixes = [(s, r) for s, r in suffixes]
        self.min_stem = min_stem
        self.stopwords = stopwords

    def config(self) -> dict[str, Any]:
        return {"token_pattern": self.token_re.pattern, "min_stem": self.min_stem,
                "suffixes": [list(x) for x in self.suffixes], "stopwords": sorted(self.stopwords)}

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> Featuriser:
        return cls(str(cfg["token_pattern"]), [(str(a), str(b)) for a, b in cfg["suffixes"]],
                   int(cfg["min_stem"]), {str(w) for w in cfg["stopwords"]})

    def stem(self, word: str) -> str:
        for suffix, repl in self.suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= self.min_stem:
                return word[: -len(suffix)] + repl
        return word

    def features(self, text: str) -> set[str]:
        stems = [self.stem(t) for t in self.token_re.findall(text.lower())]
        out = {s for s in stems if s not in self.stopwords}
        out.update(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False))
        return out


class EventTypeClassifier:
    """Multinomial logistic regression over a sparse, L2-scaled binary bag of words."""

    def __init__(self, labels: list[str], vocab: list[str], weights: np.ndarray, bias: np.ndarray,
                 featuriser: Featuriser, meta: dict[str, Any] | None = None) -> None:
        if weights.shape != (len(vocab), len(labels)) or bias.shape != (len(labels),):
            raise ValueError("weights must be (vocabulary, labels) and bias (labels,)")
        self.labels = labels
        self.vocab = vocab
        self.index = {f: i for i, f in enumerate(vocab)}
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.featuriser = featuriser
        self.meta: dict[str, Any] = meta or {}

    @property
    def threshold(self) -> float:
        """Probability above which predictions are recommended for use (chosen at build time)."""
        return float(self.meta.get("threshold", 0.5))

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> EventTypeClassifier:
        with np.load(path, allow_pickle=False) as z:
            labels = [str(x) for x in z["labels"]]
            vocab = [str(x) for x in z["vocab"]]
            weights = np.asarray(z["weights"], dtype=np.float32)
            bias = np.asarray(z["bias"], dtype=np.float32)
            meta = json.loads(str(z["meta"]))
        return cls(labels, vocab, weights, bias, Featuriser.from_config(meta["features"]), meta)

    def save(self, path: str | Path) -> None:
        meta = {**self.meta, "features": self.featuriser.config()}
        np.savez_compressed(path, labels=np.array(self.labels), vocab=np.array(self.vocab),
                            weights=self.weights.astype(np.float16),
                            bias=self.bias.astype(np.float32), meta=np.array(json.dumps(meta)))

    def _ids(self, text: str) -> np.ndarray:
        idx = self.index
        return np.array(sorted(idx[f] for f in self.featuriser.features(text) if f in idx),
                        dtype=np.int64)

    def _proba(self, ids: np.ndarray) -> np.ndarray:
        z = self.bias.astype(np.float64)
        if len(ids):
            z = z + self.weights[ids].sum(axis=0) / np.sqrt(len(ids))
        z = np.exp(z - z.max())
        out: np.ndarray = z / z.sum()
        return out

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Probabilities of every label (columns in ``self.labels`` order), one row a text."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        return np.vstack([self._proba(self._ids(t)) for t in texts])

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        """(PLOVER type, probability) of each text's most probable type."""
        out = []
        for row in self.predict_proba(texts):
            k = int(row.argmax())
            out.append((self.labels[k], round(float(row[k]), 4)))
        return out

    def explain(self, text: str, top: int = 8) -> dict[str, Any]:
        """Why the text gets its type: the features that raise it most over the runner-up."""
        ids = self._ids(text)
        p = self._proba(ids)
        order = np.argsort(-p)
        k, runner = int(order[0]), int(order[1])
        scale = 1.0 / np.sqrt(len(ids)) if len(ids) else 0.0
        contrib = (self.weights[ids, k] - self.weights[ids, runner]) * scale
        best = np.argsort(-contrib)[:top]
        return {
            "type": self.labels[k],
            "probability": round(float(p[k]), 4),
            "confident": bool(p[k] >= self.threshold),
            "threshold": self.threshold,
            "runner_up": {"type": self.labels[runner], "probability": round(float(p[runner]), 4)},
            "features": [{"feature": self.vocab[int(ids[i])],
                          "weight": round(float(contrib[i]), 4)}
                         for i in best if contrib[i] > 0],
            "known_features": int(len(ids)),
            "model": {key: self.meta[key] for key in ("version", "trained_on") if key in self.meta},
        }


@functools.lru_cache(maxsize=1)
def load_classifier() -> EventTypeClassifier | None:
    """The packaged classifier, loaded once; None when the model file is not installed."""
    if not MODEL_PATH.exists():
        return None
    return EventTypeClassifier.load(MODEL_PATH)
