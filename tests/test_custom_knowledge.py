"""Users' own PETRARCH-format dictionaries: extending or replacing the packaged knowledge."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tidings.cli.knowledge_opts import knowledge_from_options, knowledge_options
from tidings.coding.coder import Coder, Knowledge
from tidings.errors import KnowledgeError
from tidings.knowledge import default_actor_knowledge
from tidings.knowledge.custom import (
    CustomKnowledge,
    load_knowledge,
    load_knowledge_config,
)
from tidings.knowledge.verbs import default_verbs
from tidings.model import Article

ACTORS = """\
<!-- a research group's own actors -->
ARNOR_ [ARN]
+ARNORIAN
GONDOR [GON]
FRANCE [XFR]
BROKEN_ENTRY [ABC] [[
RIVENDELL [ELF]
"""

AGENTS = """\
STEWARD [~GOV]
RANGER {} [~MIL]
BAD AGENT LINE WITHOUT CODE
"""

VERBS = """\
--- RESTORE  [064] ---
RESTORE
- * TRADE_TIES  [0643]
- * BROKEN PATTERN [
--- BAMBOOZLE  [1220] ---
BAMBOOZLE
"""

DISCARDS = """\
+QUIDDITCH
"""


def _write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "actors": _write(tmp_path, "our.actors.txt", ACTORS),
        "agents": _write(tmp_path, "our.agents.txt", AGENTS),
        "verbs": _write(tmp_path, "our.verbs.txt", VERBS),
        "discards": _write(tmp_path, "our.discards.txt", DISCARDS),
    }


def _actor(kb: Knowledge, phrase: str) -> str | None:
    m = kb.actors.actors.match(phrase.lower().split(), 0, dt.date(2020, 1, 1))
    return m.code if m else None


def test_user_files_extend_the_defaults(files: dict[str, Path]) -> None:
    kb = load_knowledge([files["actors"]], [files["agents"]], [files["verbs"]],
                        [files["discards"]])
    assert isinstance(kb, CustomKnowledge) and kb.defaults
    assert _actor(kb, "Arnor") == "ARN" and _actor(kb, "Arnorian") == "ARN"
    assert _actor(kb, "Somalia") == "SOM"  # packaged actor still there
    assert _actor(kb, "France") == "XFR"  # the user's entry wins over the packaged one
    steward = kb.actors.agents.match(["steward"], 0)
    assert steward is not None and steward.code == "GOV"
    police = kb.actors.agents.match(["police"], 0)
    assert police is not None and police.code == "COP"
    assert kb.actors.discards.match(["quidditch"], 0) == 1
    assert {e.code for e in kb.verbs.lookup("bamboozle")} == {"1220"}
    assert kb.verbs.lookup("accuse")  # packaged verbs still there
    # the user's RESTORE block replaces the packaged entries for "restore"
    assert [e.code for e in kb.verbs.lookup("restore")] == ["064"]
    assert all(e.entry.startswith("our.verbs.txt:") for e in kb.verbs.lookup("restored"))


def test_defaults_are_not_changed(files: dict[str, Path]) -> None:
    before = len(default_verbs().lookup("restore"))
    load_knowledge([files["actors"]], verbs=[files["verbs"]], discards=[files["discards"]])
    base = default_actor_knowledge()
    assert base.actors.match(["arnor"], 0, None) is None
    assert base.discards.match(["quidditch"], 0) == 0
    assert len(default_verbs().lookup("restore")) == before
    assert not default_verbs().lookup("bamboozle")


def test_only_user_files_without_defaults(files: dict[str, Path]) -> None:
    kb = load_knowledge([files["actors"]], [files["agents"]], [files["verbs"]],
                        defaults=False)
    assert _actor(kb, "Gondor") == "GON"
    assert _actor(kb, "Somalia") is None
    assert kb.actors.agents.match(["police"], 0) is None
    assert not kb.verbs.lookup("accuse") and kb.verbs.lookup("bamboozle")


def test_later_file_wins(tmp_path: Path, files: dict[str, Path]) -> None:
    newer = _write(tmp_path, "newer.actors.txt", "GONDOR [GNX]\n")
    kb = load_knowledge([files["actors"], newer], defaults=False)
    assert _actor(kb, "Gondor") == "GNX" and _actor(kb, "Arnor") == "ARN"


def test_malformed_lines_are_reported_and_the_rest_loads(files: dict[str, Path]) -> None:
    kb = load_knowledge([files["actors"]], [files["agents"]], [files["verbs"]],
                        defaults=False)
    assert all(re.match(r"^our\.(actors|agents|verbs)\.txt:\d+: ", w) for w in kb.warnings)
    lines = {w.split(": ", 1)[0] for w in kb.warnings}
    assert "our.actors.txt:6" in lines  # BROKEN_ENTRY [ABC] [[
    assert "our.agents.txt:3" in lines  # no [code]
    assert "our.verbs.txt:4" in lines  # pattern without a code
    assert _actor(kb, "Rivendell") == "ELF"  # the line after the bad one loaded
    ranger = kb.actors.agents.match(["ranger"], 0)
    assert ranger is not None and ranger.code == "MIL"
    restore = kb.verbs.lookup("restore")[0]
    assert [p.code for p in restore.patterns] == ["0643"]


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        load_knowledge(verbs=[tmp_path / "nope.txt"])


def test_toml_config(tmp_path: Path, files: dict[str, Path]) -> None:
    sub = tmp_path / "conf"
    sub.mkdir()
    cfg = _write(sub, "tidings.toml", """\
[knowledge]
actors = ["../our.actors.txt"]
agents = ["../our.agents.txt"]
verbs = ["../our.verbs.txt"]
discards = ["../our.discards.txt"]
defaults = false
""")
    kb = load_knowledge_config(cfg)
    assert not kb.defaults and _actor(kb, "Arnor") == "ARN" and _actor(kb, "Somalia") is None
    assert kb.files["verbs"] == [str(sub / "../our.verbs.txt")]
    assert any(w.startswith("our.verbs.txt:4:") for w in kb.warnings)
    bad = _write(tmp_path, "bad.toml", "[knowledge]\nactor = ['x.txt']\n")
    with pytest.raises(KnowledgeError, match="unknown"):
        load_knowledge_config(bad)


def test_user_dictionaries_code_events(nlp, files: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    kb = load_knowledge([files["actors"]], [files["agents"]], [files["verbs"]],
                        [files["discards"]], defaults=False)
    coder = Coder(kb)
    text = "Gondor bamboozled Arnor on Monday."
    events = coder.code_doc(nlp(text), Article(id="t1", date=dt.date(2020, 1, 1), text=text))
    assert [(e.source.code, e.target.code if e.target else None, e.cameo.code)
            for e in events] == [("GON", "ARN", "1220")]
    text = "Gondor bamboozled Arnor at the Quidditch final."
    assert coder.code_doc(nlp(text), Article(id="t2", date=None, text=text)) == []


@click.command()
@knowledge_options
def _show(**kw: object) -> None:
    kb = knowledge_from_options(**kw)
    click.echo("none" if kb is None else f"verbs={len(kb.verbs)}")


def test_cli_options(files: dict[str, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(_show, [])
    assert res.exit_code == 0 and res.stdout.strip() == "none"
    res = runner.invoke(_show, ["--verbs", str(files["verbs"]), "--no-default-knowledge"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == "verbs=2"
    assert res.stderr.count("\n") == 1 and "our.verbs.txt:4:" in res.stderr
    cfg = _write(tmp_path, "k.toml", '[knowledge]\nverbs = ["our.verbs.txt"]\ndefaults = false\n')
    res = runner.invoke(_show, ["--config", str(cfg), "--actors", str(files["actors"])])
    assert res.exit_code == 0 and res.stdout.strip() == "verbs=2"
    assert "our.actors.txt:6:" in res.stderr


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from tidings.nlp import load_nlp

    return load_nlp()


def test_tidings_code_with_own_dictionaries(files: dict[str, Path], tmp_path: Path) -> None:
    import json

    from tidings.cli import cli as main

    story = _write(tmp_path, "story.txt",
                   "Gondor restored trade ties with Arnor.\nGondor bamboozled the Arnorian "
                   "ranger.\nArnor hoodwinked Gondor.\n")
    more = _write(tmp_path, "more.verbs.txt", "--- HOODWINK  [901] ---\nHOODWINK\n")
    args = ["code", str(story), "--date", "2020-01-02", "--no-default-knowledge",
            "--actors", str(files["actors"]), "--agents", str(files["agents"]),
            "--verbs", str(files["verbs"]), "--verbs", str(more)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    events = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    got = [(e["source"]["code"], e["target"]["code"], e["cameo"]["code"]) for e in events]
    # the user's own pattern code, an agent joined to the user's actor code (ARN + ~MIL), and
    # a code of the user's own that PLOVER does not know, kept with an empty type
    assert got == [("GON", "ARN", "0643"), ("GON", "ARNMIL", "1220"), ("ARN", "GON", "901")]
    assert [e["plover"]["type"] for e in events] == ["COOPERATE", "REJECT", ""]
    assert "our.verbs.txt:4:" in res.stderr
    # with the packaged knowledge the user's actors are unknown: nothing about Arnor
    res = CliRunner().invoke(main, ["code", str(story), "--date", "2020-01-02"])
    assert res.exit_code == 0, res.output
    assert "ARN" not in res.stdout


def test_ingest_takes_own_dictionaries(files: dict[str, Path], tmp_path: Path) -> None:
    from tidings.cli import cli as main
    from tidings.store import Store

    story = _write(tmp_path, "story.txt", "Gondor restored trade ties with Arnor.\n")
    db = tmp_path / "t.duckdb"
    res = CliRunner().invoke(main, ["ingest", str(story), "--db", str(db), "--date",
                                    "2020-01-02", "--no-default-knowledge",
                                    "--actors", str(files["actors"]),
                                    "--verbs", str(files["verbs"]), "--no-progress"])
    assert res.exit_code == 0, res.output
    with Store(str(db)) as store:
        rows = store.con.execute(
            "SELECT source_code, target_code, cameo_code FROM events").fetchall()
    assert rows == [("GON", "ARN", "0643")]
