"""Users' own PETRARCH/TABARI-format dictionaries, alone or on top of the packaged knowledge.

Research groups keep years of work in actor, agent, verb and discard dictionaries. They load
unchanged::

    from tidings.knowledge.custom import load_knowledge
    kb = load_knowledge(actors=["my.actors.txt"], verbs=["my.verbs.txt"])
    Pipeline(knowledge=kb)

By default the user's files extend the packaged knowledge base, and a user's entry wins over a
packaged one for the same phrase (or, for verbs, the same verb); ``defaults=False`` uses only the
user's files. Files are read in the order given, a later file winning over an earlier one.
Used alone, the user's dictionaries are read as PETRARCH reads them: a state named as an actor
keeps its bare country code (``Knowledge.country_as_government`` is False).

Malformed lines do not stop loading: each gives one warning ``file:line: message`` and the rest
of the file loads. The warnings of the user's files are kept on the result
(``CustomKnowledge.warnings``).

The same can be written in a TOML file (paths relative to the file)::

    [knowledge]
    actors = ["dictionaries/our.actors.txt"]
    agents = ["dictionaries/our.agents.txt"]
    verbs = ["dictionaries/our.verbs.txt"]
    discards = []
    defaults = true

and read with :func:`load_knowledge_config`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.coding.coder import Knowledge
from tidings.errors import KnowledgeError
from tidings.knowledge import (
    ActorDictionary,
    ActorKnowledge,
    AgentDictionary,
    Discards,
    default_actor_knowledge,
)
from tidings.knowledge.verbs import VerbDictionary, default_verbs

PathLike = str | Path
KINDS: tuple[str, ...] = ("actors", "agents", "verbs", "discards")


@dataclass
class CustomKnowledge(Knowledge):
    """A :class:`Knowledge` built from user files, with the warnings their loaders gave."""

    warnings: list[str] = field(default_factory=list)
    files: dict[str, list[str]] = field(default_factory=dict)  # kind → paths, in load order
    defaults: bool = True


@dataclass(frozen=True)
class KnowledgeSpec:
    """Which dictionary files to load (what a config file or the command line says)."""

    actors: tuple[Path, ...] = ()
    agents: tuple[Path, ...] = ()
    verbs: tuple[Path, ...] = ()
    discards: tuple[Path, ...] = ()
    defaults: bool = True

    @property
    def empty(self) -> bool:
        """True when the spec names no file and keeps the defaults (the packaged knowledge)."""
        return self.defaults and not (self.actors or self.agents or self.verbs or self.discards)

    def then(self, other: KnowledgeSpec) -> KnowledgeSpec:
        """This spec's files followed by ``other``'s (which win); defaults only if both keep
        them."""
        return KnowledgeSpec(
            actors=self.actors + other.actors, agents=self.agents + other.agents,
            verbs=self.verbs + other.verbs, discards=self.discards + other.discards,
            defaults=self.defaults and other.defaults)

    def load(self) -> CustomKnowledge:
        return load_knowledge(self.actors, self.agents, self.verbs, self.discards,
                              defaults=self.defaults)


def _paths(paths: Sequence[PathLike], kind: str) -> list[Path]:
    if isinstance(paths, str | Path):
        paths = [paths]
    out: list[Path] = []
    for p in paths:
        path = Path(p).expanduser()
        if not path.is_file():
            raise KnowledgeError(f"{path}: {kind} dictionary file not found")
        out.append(path)
    return out


def load_knowledge(actors: Sequence[PathLike] = (), agents: Sequence[PathLike] = (),
                   verbs: Sequence[PathLike] = (), discards: Sequence[PathLike] = (), *,
                   defaults: bool = True) -> CustomKnowledge:
    """The packaged knowledge extended with the user's dictionary files (the user's entries
    win), or only the user's files with ``defaults=False``.

    Raises :class:`KnowledgeError` when a file is missing or unreadable; malformed lines only
    give warnings (``result.warnings``, each ``file:line: message``). The packaged dictionaries
    are copied, never changed.
    """
    actor_paths = _paths(actors, "actor")
    agent_paths = _paths(agents, "agent")
    verb_paths = _paths(verbs, "verb")
    discard_paths = _paths(discards, "discard")
    warnings: list[str] = []

    user_actors = ActorDictionary.load_files(actor_paths)
    user_agents = AgentDictionary.load_files(agent_paths)
    user_discards = Discards.load_files(discard_paths)
    try:
        user_verbs = VerbDictionary.load_files(verb_paths)
    except (OSError, UnicodeError) as exc:
        raise KnowledgeError(f"cannot read verb dictionary ({exc})") from exc
    for d in (user_actors, user_agents, user_verbs, user_discards):
        warnings.extend(d.warnings)

    if defaults:
        base = default_actor_knowledge()
        actor_dict = ActorDictionary()
        actor_dict.extend(base.actors)
        agent_dict = AgentDictionary()
        agent_dict.extend(base.agents)
        discard_dict = Discards()
        discard_dict.extend(base.discards)
        verb_dict = default_verbs().copy()
        if actor_paths:
            actor_dict.extend(user_actors)
        if agent_paths:
            agent_dict.extend(user_agents)
        if discard_paths:
            discard_dict.extend(user_discards)
        if verb_paths:
            verb_dict.extend(user_verbs, override=True)
    else:
        actor_dict, agent_dict, discard_dict, verb_dict = (
            user_actors, user_agents, user_discards, user_verbs)

    return CustomKnowledge(
        actors=ActorKnowledge(actors=actor_dict, agents=agent_dict, discards=discard_dict),
        verbs=verb_dict,
        warnings=warnings,
        files={"actors": [str(p) for p in actor_paths], "agents": [str(p) for p in agent_paths],
               "verbs": [str(p) for p in verb_paths],
               "discards": [str(p) for p in discard_paths]},
        defaults=defaults,
        # PETRARCH-format dictionaries used alone keep their own codes: a state is its bare
        # country code, as the dictionaries' authors wrote them
        country_as_government=defaults,
        # their patterns spell out negation and modality themselves, and their agents join any
        # actor code
        modality_recoding=defaults,
        actor_code_concatenation=not defaults,
        surface_patterns=not defaults,
        untargeted_events=not defaults,
        nominal_table=defaults,
    )


def _config_list(table: Mapping[str, Any], key: str, base: Path, where: str) -> tuple[Path, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"{where}: [knowledge] {key} must be a list of file paths")
    return tuple((base / Path(v).expanduser()) for v in value)


def read_knowledge_config(path: PathLike) -> KnowledgeSpec:
    """Read the ``[knowledge]`` table of a TOML file (relative paths: from the file's folder)."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnowledgeError(f"{p}: cannot read knowledge config ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{p}: not valid TOML ({exc})") from exc
    table = data.get("knowledge")
    if not isinstance(table, dict):
        raise KnowledgeError(f"{p}: no [knowledge] table")
    unknown = sorted(set(table) - {*KINDS, "defaults"})
    if unknown:
        raise KnowledgeError(f"{p}: unknown [knowledge] key(s): {', '.join(unknown)} "
                             f"(expected {', '.join(KINDS)}, defaults)")
    defaults = table.get("defaults", True)
    if not isinstance(defaults, bool):
        raise KnowledgeError(f"{p}: [knowledge] defaults must be true or false")
    base = p.resolve().parent
    return KnowledgeSpec(
        actors=_config_list(table, "actors", base, str(p)),
        agents=_config_list(table, "agents", base, str(p)),
        verbs=_config_list(table, "verbs", base, str(p)),
        discards=_config_list(table, "discards", base, str(p)),
        defaults=defaults,
    )


def load_knowledge_config(path: PathLike) -> CustomKnowledge:
    """:func:`load_knowledge` with the files and ``defaults`` named in a TOML config file."""
    return read_knowledge_config(path).load()


__all__ = ["CustomKnowledge", "KnowledgeSpec", "load_knowledge", "load_knowledge_config",
           "read_knowledge_config"]
