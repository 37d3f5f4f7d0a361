"""The ``/api`` routes: events, one event, series, actors, stats, quotes, map, network, code."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tidings import __version__
from tidings.api.queries import Reader, filter_key
from tidings.api.records import plain, quote_dict
from tidings.store import EventFilter

MAX_PAGE = 500
MAX_CODE_CHARS = 20_000

_CODE = r"^[A-Za-z0-9]{1,40}$"
_Modality = Literal["asserted", "negated", "future", "hypothetical", "reported"]

router = APIRouter(prefix="/api")


class FastJSON(JSONResponse):
    """JSON straight from plain dicts (the routes build JSON-ready values themselves)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"),
                          default=str).encode("utf-8")


def _reader(request: Request) -> Reader:
    reader: Reader = request.app.state.reader
    return reader


def event_filter(
    actor: Annotated[str | None, Query(pattern=_CODE, description=(
        "Actor code on either side, as a prefix: USA matches USAGOV."))] = None,
    source: Annotated[str | None, Query(pattern=_CODE,
                                        description="Source actor code prefix.")] = None,
    target: Annotated[str | None, Query(pattern=_CODE,
                                        description="Target actor code prefix.")] = None,
    dyad: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{0,40}:[A-Za-z0-9]{0,40}$",
                                      description="SOURCE:TARGET code prefixes, e.g. USA:AFG; "
                                                  "either side may be empty.")] = None,
    type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,40}$",  # noqa: A002
                                      description="PLOVER event type, e.g. ASSAULT.")] = None,
    cameo: Annotated[str | None, Query(pattern=r"^[0-9]{1,4}$",
                                       description="CAMEO code prefix, e.g. 04.")] = None,
    since: Annotated[dt.date | None, Query(description="Event date on or after.")] = None,
    until: Annotated[dt.date | None, Query(description="Event date on or before.")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description=(
        "ISO 3166 alpha-3 code of where the event happened."))] = None,
    text: Annotated[str | None, Query(min_length=1, max_length=200,
                                      description="Substring of the sentence.")] = None,
    modality: Annotated[_Modality | None, Query()] = None,
    article: Annotated[str | None, Query(min_length=1, max_length=200,
                                         description="Article id.")] = None,
) -> EventFilter:
    """The query filters of ``tidings query``, validated."""
    if since and until and since > until:
        raise HTTPException(422, "since must be on or before until")
    return EventFilter(actor=actor, source=source, target=target, dyad=dyad, type=type,
                       cameo=cameo, since=since, until=until, country=country, text=text,
                       modality=modality, article=article)


Filters = Annotated[EventFilter, Depends(event_filter)]
ReaderDep = Annotated[Reader, Depends(_reader)]


def _filters_dict(flt: EventFilter) -> dict[str, Any]:
    return {k: v for k, v in vars(flt).items() if v is not None}


@router.get("/health", summary="Server and store status")
def health(reader: ReaderDep, request: Request) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "schema": reader.store.version(),
            "coding": bool(request.app.state.allow_coding)}


@router.get("/events", summary="Events matching the filters, newest first (cursor pages)")
def list_events(
    reader: ReaderDep, flt: Filters,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 50,
    cursor: Annotated[str | None, Query(max_length=400, description=(
        "next_cursor of the previous page (same filters)."))] = None,
    total: Annotated[bool, Query(description="Also count all matching events.")] = False,
) -> FastJSON:
    return FastJSON(reader.event_page(flt, limit=limit, cursor=cursor, with_total=total))


@router.get("/events/{event_id}", summary="One event with its sentence, article and spans")
def get_event(event_id: Annotated[str, PathParam(min_length=1, max_length=64)],
              reader: ReaderDep) -> FastJSON:
    found = reader.event_detail(event_id)
    if found is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    return FastJSON(found)


def _auto_by(days: int) -> Literal["day", "week", "month", "year"]:
    """A period that gives a readable number of bars for a span of ``days``."""
    if days <= 120:
        return "day"
    if days <= 2 * 366:
        return "week"
    if days <= 20 * 366:
        return "month"
    return "year"


@router.get("/series", summary="Time series (zero-filled) for a dyad, actor, type, ...")
def series(
    reader: ReaderDep, flt: Filters,
    by: Annotated[Literal["auto", "day", "week", "month", "year"], Query()] = "month",
    measure: Annotated[Literal["count", "goldstein", "quad"], Query(description=(
        "count; goldstein (sum and mean); quad (counts per QuadClass q1..q4)."))] = "count",
    one_a_day: Annotated[bool, Query(description="Count root events, not mentions.")] = False,
) -> dict[str, Any]:
    if by == "auto":
        lo, hi = (flt.since, flt.until)
        if lo is None or hi is None:
            b_lo, b_hi = reader.date_bounds(flt)
            lo, hi = lo or b_lo, hi or b_hi
        span = (_as_date(hi) - _as_date(lo)).days if lo and hi else 0
        by = _auto_by(span)
    filters = _filters_dict(flt)
    dyad = filters.pop("dyad", None)

    def compute() -> list[Any]:
        table = reader.store.series(dyad, by=by, measure=measure, one_a_day=one_a_day,
                                    as_="arrow", **filters)
        return [plain(r) for r in table.to_pylist()]

    rows = reader.cached("series", (filter_key(flt), by, measure, one_a_day), compute)
    return {"by": by, "measure": measure, "series": rows}


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@router.get("/actors", summary="Search actor codes and names found in the store")
def actors(reader: ReaderDep,
           q: Annotated[str | None, Query(max_length=100, description=(
               "Code prefix or part of a name; empty for the most active actors."))] = None,
           limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, Any]:
    from tidings.exports import country_name

    rows = reader.actors(q.strip() if q else None, limit=limit)
    for r in rows:
        r["country_name"] = country_name(r.get("country"))
    return {"actors": rows}


@router.get("/stats", summary="Totals, events by month, top dyads and actors")
def stats(reader: ReaderDep, top: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        found = reader.store.stats(top=top)
        out: dict[str, Any] = {}
        for key, value in found.items():
            if hasattr(value, "to_dict") and hasattr(value, "columns"):
                out[key] = [plain(r) for r in value.to_dict(orient="records")]
            else:
                out[key] = plain(value)
        return out

    return reader.cached("stats", top, compute)


@router.get("/quotes", summary="Quotes, by speaker or article")
def quotes(reader: ReaderDep,
           speaker: Annotated[str | None, Query(max_length=100, description=(
               "Part of the speaker's name or text, or an actor code prefix."))] = None,
           article: Annotated[str | None, Query(max_length=200)] = None,
           limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> dict[str, Any]:
    table = reader.store.quotes(speaker or None, article=article or None, limit=limit,
                                as_="arrow")
    return {"quotes": [plain(quote_dict(r)) for r in table.to_pylist()]}


@router.get("/map", summary="Events per country and per located place (dashboard map)")
def map_summary(reader: ReaderDep, flt: Filters,
                points: Annotated[int, Query(ge=1, le=5000)] = 1000) -> dict[str, Any]:
    return plain(reader.map_summary(flt, points=points))


@router.get("/network", summary="Strongest dyads under the filters (dashboard network)")
def network(reader: ReaderDep, flt: Filters,
            edges: Annotated[int, Query(ge=1, le=500)] = 60) -> dict[str, Any]:
    return plain(reader.network(flt, edges=edges))


class CodeRequest(BaseModel):
    """Text to code on the fly."""

    text: str = Field(min_length=1, max_length=MAX_CODE_CHARS)
    date: dt.date | None = Field(default=None, description="Report date (resolves 'Sunday').")
    title: str | None = Field(default=None, max_length=500)


_PIPELINE_LOCK = threading.Lock()


def _require_coding(request: Request) -> None:
    if not request.app.state.allow_coding:
        raise HTTPException(403, "coding is disabled on this server (start it with "
                                 "`tidings serve --allow-coding`)")


@router.post("/code", summary="Code posted text (needs --allow-coding)",
             dependencies=[Depends(_require_coding)])
def code(body: CodeRequest, request: Request) -> dict[str, Any]:
    from tidings.errors import InputError
    from tidings.model import Article

    article = Article(id=Article.make_id(body.date, body.text), date=body.date, text=body.text,
                      title=body.title, source="api")
    with _PIPELINE_LOCK:
        pipeline = request.app.state.pipeline
        if pipeline is None:
            from tidings.pipeline import Pipeline

            pipeline = request.app.state.pipeline = Pipeline()
        result = pipeline.process_batch([article])[0]
    if isinstance(result, InputError):
        raise HTTPException(422, str(result))
    out: dict[str, Any] = result.to_dict()
    return out
