"""The sentence-level event-type classifier: packaged model, explanations, and the trainer."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from tidings.coding.classifier import (
    MODEL_PATH,
    EventTypeClassifier,
    Featuriser,
    load_classifier,
)

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "data" / "gold" / "plover_gsr.dev.jsonl"
PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
                "ASSAULT"}


@pytest.fixture(scope="module")
def clf() -> EventTypeClassifier:
    c = load_classifier()
    assert c is not None, f"packaged model missing: {MODEL_PATH}"
    return c


@pytest.fixture(scope="module")
def trainer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_classifier",
                                                  ROOT / "scripts" / "train_classifier.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["train_classifier"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_packaged_model_is_small_and_cached(clf: EventTypeClassifier) -> None:
    assert MODEL_PATH.stat().st_size < 20 * 1024 * 1024
    assert load_classifier() is clf
    assert set(clf.labels) == PLOVER_TYPES
    assert 0.0 < clf.threshold < 1.0


def test_predict_shapes_and_probabilities(clf: EventTypeClassifier) -> None:
    texts = ["Rebel fighters shelled the northern town overnight, killing twelve civilians.",
             "Officials threatened to impose sanctions if the talks fail.", ""]
    preds = clf.predict(texts)
    assert len(preds) == 3
    for label, p in preds:
        assert label in PLOVER_TYPES and 0.0 < p <= 1.0
    assert clf.predict([]) == []
    probs = clf.predict_proba(texts)
    assert probs.shape == (3, 16) and np.allclose(probs.sum(1), 1.0, atol=1e-6)


@pytest.mark.parametrize(("text", "expected"), [
    ("Rebel fighters shelled the northern town overnight, killing twelve civilians.", "ASSAULT"),
    ("Officials threatened to impose sanctions if the talks fail.", "THREATEN"),
    ("Thousands of protesters marched through the capital demanding the president resign.",
     "PROTEST"),
])
def test_clear_sentences_get_their_type(clf: EventTypeClassifier, text: str,
                                        expected: str) -> None:
    label, p = clf.predict([text])[0]
    assert label == expected
    assert p >= clf.threshold


def test_explain_names_features_of_the_sentence(clf: EventTypeClassifier) -> None:
    text = "Thousands of protesters marched through the capital demanding the president resign."
    ex = clf.explain(text)
    label, p = clf.predict([text])[0]
    assert ex["type"] == label and ex["probability"] == pytest.approx(p, abs=1e-4)
    assert ex["runner_up"]["type"] != label
    assert ex["runner_up"]["probability"] <= ex["probability"]
    feats = clf.featuriser.features(text)
    assert ex["features"], "an explanation must name at least one feature"
    for f in ex["features"]:
        assert f["feature"] in feats and f["weight"] > 0
    assert any(f["feature"] in {"protester", "march"} for f in ex["features"])


def test_featuriser_stems_and_bigrams() -> None:
    cfg = json.loads((MODEL_PATH.parent / "event_classifier_features.json").read_text())
    feat = Featuriser.from_config(cfg)
    fs = feat.features("The protesters marched, and police arrested them.")
    assert {"protester", "march", "police", "arrest", "protester march"} <= fs
    assert "the" not in fs and "the protester" in fs


def test_gold_dev_accuracy_floor(clf: EventTypeClassifier) -> None:
    if not GOLD.exists():
        pytest.skip("shared gold data not present")
    recs = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    preds = clf.predict([r["text"] for r in recs])
    ok = [p in {e["plover"] for e in r["events"]} for (p, _), r in zip(preds, recs, strict=True)]
    assert sum(ok) / len(ok) >= 0.35  # measured 0.418 when the model was built
    confident = [o for (_, p), o in zip(preds, ok, strict=True) if p >= clf.threshold]
    assert confident and sum(confident) / len(confident) >= 0.55  # measured 0.685


def test_trainer_learns_and_round_trips(trainer: ModuleType, tmp_path: Path) -> None:
    cfg = json.loads((MODEL_PATH.parent / "event_classifier_features.json").read_text())
    feat = Featuriser.from_config(cfg)
    rows = []
    for town in ["Aden", "Homs", "Gao", "Kidal", "Mosul", "Sirte"]:
        rows.append({"label": "ASSAULT", "text": f"Troops shelled {town}, killing civilians."})
        rows.append({"label": "PROTEST", "text": f"Demonstrators rallied in {town} against tax."})
        rows.append({"label": "AID", "text": f"Donors delivered food aid to {town}."})
    model = trainer.train(rows, feat, min_df=1, l2=1e-4, epochs=150, meta={"threshold": 0.4})
    unseen = ["Troops shelled the village.", "Demonstrators rallied outside parliament.",
              "Donors delivered medicine."]
    assert [p for p, _ in model.predict(unseen)] == ["ASSAULT", "PROTEST", "AID"]
    path = tmp_path / "m.npz"
    model.save(path)
    again = EventTypeClassifier.load(path)
    assert again.threshold == 0.4
    assert [p for p, _ in again.predict(unseen)] == ["ASSAULT", "PROTEST", "AID"]
    np.testing.assert_allclose(again.predict_proba(unseen), model.predict_proba(unseen),
                               atol=2e-3)


def test_threshold_table_and_choice(trainer: ModuleType) -> None:
    table = trainer.threshold_table([0.9, 0.6, 0.3, 0.1], [True, True, False, False],
                                    [0.0, 0.5, 0.8])
    assert [r["predicted"] for r in table] == [4, 2, 1]
    assert [r["precision"] for r in table] == [0.5, 1.0, 1.0]
    assert trainer.choose_threshold(table, 0.9) == 0.5


def test_classifier_fallback_codes_only_when_asked() -> None:
    """The opt-in fallback codes a strike the dictionaries miss, and says why."""
    import datetime as dt

    from tidings.model import Article
    from tidings.pipeline import Pipeline

    art = Article(id="x", date=dt.date(2024, 1, 1),
                  text="Thousands of Kenyan teachers walked out of classrooms over unpaid wages.")
    (plain,) = Pipeline().process([art])
    (learned,) = Pipeline(learned_fallback=True).process([art])
    assert not isinstance(plain, Exception) and not isinstance(learned, Exception)
    assert plain.events == []
    (ev,) = learned.events
    assert ev.plover.type == "PROTEST" and ev.source.code == "KENEDU"
    assert ev.explanation["rule"] == "learned classifier"
    assert ev.explanation["classifier"]["features"]
