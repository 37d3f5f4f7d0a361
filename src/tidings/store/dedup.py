"""Duplicate detection for articles and the root-event key for events.

Articles: an exact copy has the same text hash; a near copy (a wire story republished with a new
headline, a trimmed last paragraph, a corrected typo) has a high Jaccard similarity of its word
shingles. Similarity is estimated with MinHash signatures (``NUM_PERM`` hash functions over
word 3-shingles) and candidates are found with locality-sensitive hashing: the signature is cut
into ``BANDS`` bands of ``ROWS`` values, and two articles sharing any band are compared.

Events: mentions of the same real-world event across articles share a root, keyed by
(event date, source code, target code, CAMEO code), as in GDELT's root events and Phoenix's
one-a-day filter.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 3
NEAR_THRESHOLD = 0.8

_MASK32 = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20240601)
# Multiply-shift hashing: h_i(x) = ((a_i * x + b_i) mod 2**64) >> 32, a_i odd.
_A = (_rng.integers(1, 2**63 - 1, NUM_PERM, dtype=np.uint64) * np.uint64(2)) + np.uint64(1)
_B = _rng.integers(0, 2**63 - 1, NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+", re.UNICODE)


def text_hash(text: str) -> str:
    """SHA-1 of the text with whitespace runs collapsed (exact-duplicate key)."""
    norm = " ".join(text.split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Lower-cased word k-shingles; a text shorter than k words is one shingle."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def _shingle_ids(items: set[str]) -> np.ndarray:
    ids = [int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little")
           for s in items]
    return np.asarray(ids, dtype=np.uint64)


def minhash(text: str) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32 values) of the text's word shingles."""
    ids = _shingle_ids(shingles(text))
    if ids.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        hashed = (ids[None, :] * _A[:, None] + _B[:, None]) >> np.uint64(32)
    return (hashed & _MASK32).min(axis=1).astype(np.uint32)


def signature_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def signature_from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype="<u4").astype(np.uint32)


def band_hashes(sig: np.ndarray) -> list[int]:
    """One 64-bit hash per LSH band of the signature."""
    raw = sig.astype("<u4")
    out: list[int] = []
    for b in range(BANDS):
        chunk = raw[b * ROWS:(b + 1) * ROWS].tobytes()
        out.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little"))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


def jaccard(text_a: str, text_b: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for checks and tests)."""
    sa, sb = shingles(text_a), shingles(text_b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


@dataclass
class DuplicateMatch:
    original: str
    kind: str  # "exact" or "near"
    similarity: float


def best_near_match(sig: np.ndarray, candidates: Sequence[tuple[str, np.ndarray]],
                    threshold: float = NEAR_THRESHOLD) -> DuplicateMatch | None:
    """The most similar candidate at or above the threshold (ties: first given)."""
    best: DuplicateMatch | None = None
    for article_id, other in candidates:
        sim = similarity(sig, other)
        if sim >= threshold and (best is None or sim > best.similarity):
            best = DuplicateMatch(article_id, "near", sim)
    return best


def root_key(event_date: str | None, source_code: str | None, target_code: str | None,
             cameo_code: str | None) -> str:
    """Root-event id: mentions with the same date, dyad and CAMEO code share it."""
    key = f"{event_date or ''}|{source_code or ''}|{target_code or ''}|{cameo_code or ''}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def root_number(root_id: str) -> int:
    """A positive 63-bit integer for a root id (GDELT's GlobalEventID is numeric)."""
    return int(root_id[:15], 16)
