"""Tidings' actor knowledge base: actors (with date-aware codes), agents and discards.

The packaged knowledge base (``default_actor_knowledge()``) is compiled by
``scripts/build_knowledge.py`` from the Phoenix/PETRARCH dictionaries, CountryInfo, PLOVER's
country table and the curated overlays in ``data/`` (see ``data/NOTICE.md``). Users can load
their own PETRARCH-format dictionaries with ``ActorDictionary.load_files`` (and the agent and
discard equivalents) and ``extend`` the packaged ones with them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from tidings.knowledge.actors import (
    DATA_DIR,
    ActorDictionary,
    ActorMatch,
    country_of_code,
    split_code,
)
from tidings.knowledge.agents import (
    AgentDictionary,
    AgentMatch,
    DiscardMatch,
    Discards,
    load_json,
)
from tidings.knowledge.petrarch import norm_token

ACTORS_FILE = DATA_DIR / "actors.json"
AGENTS_FILE = DATA_DIR / "agents.json"
DISCARDS_FILE = DATA_DIR / "discards.json"


@dataclass
class ActorKnowledge:
    actors: ActorDictionary
    agents: AgentDictionary
    discards: Discards


@functools.lru_cache(maxsize=1)
def default_actor_knowledge() -> ActorKnowledge:
    """The packaged knowledge base (loaded once per process)."""
    return ActorKnowledge(
        actors=ActorDictionary.from_json(load_json(ACTORS_FILE)),
        agents=AgentDictionary.from_json(load_json(AGENTS_FILE)),
        discards=Discards.from_json(load_json(DISCARDS_FILE)),
    )


__all__ = [
    "ActorDictionary",
    "ActorKnowledge",
    "ActorMatch",
    "AgentDictionary",
    "AgentMatch",
    "DiscardMatch",
    "Discards",
    "country_of_code",
    "default_actor_knowledge",
    "norm_token",
    "split_code",
]
