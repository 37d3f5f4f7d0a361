"""The store's table layout, as an ordered list of migrations.

Each migration is a version number and the DDL statements that bring a store from the previous
version to it. ``Store`` (``db.py``) runs the statements; nothing here touches a database. A store
records the versions applied in ``schema_version`` and its identity in ``meta``
(``application = tidings``), which is how a Tidings store is told apart from any other DuckDB file.

Add a migration at the end to change the layout; never edit one that has shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICATION = "tidings"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


_V1 = (
    """CREATE TABLE IF NOT EXISTS meta (
        key VARCHAR PRIMARY KEY,
        value VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY,
        description VARCHAR,
        applied_at TIMESTAMP
    )""",
    # One row per article; text kept so every event can be shown in context.
    """CREATE TABLE articles (
        article_id VARCHAR PRIMARY KEY,
        date DATE,
        title VARCHAR,
        url VARCHAR,
        source VARCHAR,
        outlet VARCHAR,
        text VARCHAR,
        text_hash VARCHAR NOT NULL,
        text_len INTEGER,
        minhash BLOB,
        duplicate_of VARCHAR,
        duplicate_kind VARCHAR,
        similarity DOUBLE,
        n_events INTEGER,
        ingested_at TIMESTAMP
    )""",
    # MinHash LSH bands: articles sharing any (band, hash) are near-duplicate candidates.
    """CREATE TABLE article_bands (
        article_id VARCHAR NOT NULL,
        band SMALLINT NOT NULL,
        hash BIGINT NOT NULL
    )""",
    """CREATE TABLE sentences (
        article_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        start_char INTEGER,
        end_char INTEGER,
        text VARCHAR
    )""",
    # One row per coded event mention; root_id groups mentions of the same real-world event.
    """CREATE TABLE events (
        event_id VARCHAR PRIMARY KEY,
        article_id VARCHAR NOT NULL,
        root_id VARCHAR NOT NULL,
        report_date DATE,
        event_date DATE,
        sentence_index INTEGER,
        sentence_start INTEGER,
        sentence_end INTEGER,
        trigger_text VARCHAR,
        trigger_start INTEGER,
        trigger_end INTEGER,
        source_text VARCHAR,
        source_code VARCHAR,
        source_country VARCHAR,
        source_sector VARCHAR,
        source_name VARCHAR,
        source_start INTEGER,
        source_end INTEGER,
        target_text VARCHAR,
        target_code VARCHAR,
        target_country VARCHAR,
        target_sector VARCHAR,
        target_name VARCHAR,
        target_start INTEGER,
        target_end INTEGER,
        cameo_code VARCHAR,
        cameo_root VARCHAR,
        cameo_name VARCHAR,
        goldstein DOUBLE,
        quad_class TINYINT,
        plover_type VARCHAR,
        plover_mode VARCHAR,
        plover_contexts VARCHAR[],
        modality VARCHAR,
        date_start DATE,
        date_end DATE,
        date_granularity VARCHAR,
        date_text VARCHAR,
        date_resolved_by VARCHAR,
        location_text VARCHAR,
        location_name VARCHAR,
        location_geonameid BIGINT,
        location_lat DOUBLE,
        location_lon DOUBLE,
        location_country VARCHAR,
        location_admin1 VARCHAR,
        location_feature VARCHAR,
        location_resolved_by VARCHAR,
        location_start INTEGER,
        location_end INTEGER,
        reported_by_text VARCHAR,
        reported_by_code VARCHAR,
        counts JSON,
        explanation JSON
    )""",
    """CREATE TABLE quotes (
        article_id VARCHAR NOT NULL,
        quote_index INTEGER NOT NULL,
        start_char INTEGER,
        end_char INTEGER,
        text VARCHAR,
        speaker_text VARCHAR,
        speaker_name VARCHAR,
        speaker_code VARCHAR,
        speaker_country VARCHAR,
        speaker_sector VARCHAR,
        speaker_start INTEGER,
        speaker_end INTEGER,
        cue VARCHAR,
        reason VARCHAR
    )""",
    """CREATE TABLE places (
        article_id VARCHAR NOT NULL,
        place_index INTEGER NOT NULL,
        start_char INTEGER,
        end_char INTEGER,
        text VARCHAR,
        name VARCHAR,
        geonameid BIGINT,
        lat DOUBLE,
        lon DOUBLE,
        country VARCHAR,
        admin1 VARCHAR,
        feature VARCHAR,
        reason VARCHAR
    )""",
    """CREATE TABLE times (
        article_id VARCHAR NOT NULL,
        time_index INTEGER NOT NULL,
        start_char INTEGER,
        end_char INTEGER,
        text VARCHAR,
        type VARCHAR,
        value VARCHAR,
        start_date VARCHAR,
        end_date VARCHAR,
        granularity VARCHAR,
        reason VARCHAR
    )""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, sentences, events, quotes, places, times; dedup columns", _V1),
)

LATEST_VERSION: int = MIGRATIONS[-1].version

# Tables holding one article's rows (deleted together when an article's text changes).
ARTICLE_TABLES: tuple[str, ...] = ("events", "sentences", "quotes", "places", "times",
                                   "article_bands")
