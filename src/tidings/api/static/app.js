/* Tidings dashboard: vanilla JS + SVG over the /api routes. Filters live in the URL query
   string (?since=&until=&actor=&dyad=&type=&country=&text=&event=) so a view can be shared. */
"use strict";

const FILTERS = ["since", "until", "actor", "dyad", "type", "country", "text"];
const PLOVER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const QUADS = { 1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict" };
const QCOLOR = { 1: "#3f9b6b", 2: "#2f7dbd", 3: "#e5a23b", 4: "#cf4536" };
const SVGNS = "http://www.w3.org/2000/svg";
const PAGE = 50;

const state = { filters: {}, cursor: null, world: null, loadId: 0, activeRow: null };
const $ = (id) => document.getElementById(id);

/* ---------- small DOM helpers (text only: nothing from the store becomes HTML) ---------- */
function el(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) node.append(kid);
  return node;
}
function svg(tag, attrs, ...kids) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) node.append(kid);
  return node;
}
const title = (text) => svg("title", {}, text);
const fmt = (n) => (n === null || n === undefined) ? "–" : Number(n).toLocaleString("en-US");

/* ---------- URL state ---------- */
function readUrl() {
  const p = new URLSearchParams(location.search);
  state.filters = {};
  for (const k of FILTERS) { const v = p.get(k); if (v) state.filters[k] = v; }
  return p.get("event");
}
function query(extra) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) p.set(k, v);
  for (const [k, v] of Object.entries(extra || {})) if (v !== null && v !== undefined && v !== "") p.set(k, v);
  return p.toString();
}
function writeUrl(eventId, push) {
  const q = query(eventId ? { event: eventId } : {});
  const url = location.pathname + (q ? "?" + q : "");
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
}
function setFilters(changes) {
  Object.assign(state.filters, changes);
  for (const k of Object.keys(state.filters)) if (!state.filters[k]) delete state.filters[k];
  writeUrl(null, true);
  fillForm();
  refresh();
}
function fillForm() {
  for (const k of FILTERS) { const input = $("f-" + k); if (input) input.value = state.filters[k] || ""; }
}

/* ---------- API ---------- */
async function api(path, extra) {
  const q = query(extra);
  const res = await fetch("/api/" + path + (q ? "?" + q : ""), { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) throw new Error((body && body.error && body.error.message) || res.statusText);
  return body;
}
function status(msg, ok) { const s = $("status"); s.textContent = msg || ""; s.classList.toggle("ok", !!ok); }

/* ---------- timeline: events per period, stacked by QuadClass ---------- */
function periodEnd(start, by) {
  const d = new Date(start + "T00:00:00Z");
  if (by === "day") d.setUTCDate(d.getUTCDate() + 1);
  else if (by === "week") d.setUTCDate(d.getUTCDate() + 7);
  else if (by === "month") d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
function label(period, by) {
  const d = new Date(period + "T00:00:00Z");
  const m = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  if (by === "year") return String(d.getUTCFullYear());
  if (by === "month") return m + " " + d.getUTCFullYear();
  return d.getUTCDate() + " " + m + " " + d.getUTCFullYear();
}
function drawTimeline(data) {
  const box = $("timeline"); box.replaceChildren();
  const rows = data.series || [];
  const total = rows.reduce((a, r) => a + (r.count || 0), 0);
  $("timeline-hint").textContent = total ? `${fmt(total)} events by ${data.by}` : "";
  if (!total) { box.append(el("div", { class: "empty" }, "No dated events for these filters.")); return; }
  const W = 1000, H = 190, L = 40, R = 8, T = 10, B = 24;
  const max = Math.max(...rows.map((r) => r.count || 0), 1);
  const step = (W - L - R) / rows.length, bw = Math.max(1, step * 0.82);
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Events per period by QuadClass" });
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const ticks = niceTicks(max);
  const axis = svg("g", { class: "axis" });
  for (const t of ticks) {
    axis.append(svg("line", { x1: L, x2: W - R, y1: y(t), y2: y(t), class: "gridline" }));
    axis.append(svg("text", { x: L - 6, y: y(t) + 4, "text-anchor": "end" }, fmt(t)));
  }
  s.append(axis);
  rows.forEach((r, i) => {
    const x = L + i * step + (step - bw) / 2;
    const g = svg("g", { class: "bar", "data-period": r.period,
      onclick: () => setFilters({ since: r.period, until: periodEnd(r.period, data.by) }) });
    let acc = 0;
    for (const q of [4, 3, 2, 1]) {
      const v = r["q" + q] || 0; if (!v) continue;
      g.append(svg("rect", { x, width: bw, y: y(acc + v), height: Math.max(0.5, y(acc) - y(acc + v)), fill: QCOLOR[q] }));
      acc += v;
    }
    g.append(svg("rect", { x: L + i * step, width: step, y: T, height: H - T - B, fill: "transparent" }));
    g.append(title(`${label(r.period, data.by)}: ${fmt(r.count)} events\n` +
      [1, 2, 3, 4].map((q) => `${QUADS[q]}: ${fmt(r["q" + q] || 0)}`).join("\n") + "\nClick to zoom to this period"));
    s.append(g);
  });
  const every = Math.max(1, Math.ceil(rows.length / 8));
  const xa = svg("g", { class: "axis" });
  rows.forEach((r, i) => {
    if (i % every) return;
    xa.append(svg("text", { x: L + i * step + step / 2, y: H - 6, "text-anchor": "middle" }, label(r.period, data.by)));
  });
  s.append(xa);
  box.append(s);
}
function niceTicks(max) {
  const raw = max / 4, mag = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || mag;
  const out = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v));
  return out;
}

/* ---------- map: Natural Earth outlines (offline), countries shaded, places as dots ---------- */
function project(lon, lat) {
  /* Natural Earth I, the projection scripts/build_dashboard_assets.py used for the outlines. */
  const p = state.world.projection, lam = lon * Math.PI / 180, phi = lat * Math.PI / 180;
  const p2 = phi * phi, p4 = p2 * p2;
  const x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)));
  const yy = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)));
  return [(x + p.x_max) * p.scale, (p.y_max - yy) * p.scale];
}
function shade(t) { /* 0..1 → light to deep blue */
  const a = [222, 235, 247], b = [8, 69, 148];
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * t)).join(",")})`;
}
function drawMap(data) {
  const box = $("map"); box.replaceChildren();
  const w = state.world;
  const s = svg("svg", { viewBox: `0 0 ${w.width} ${w.height}`, role: "img", "aria-label": "Map of event locations" });
  s.append(svg("rect", { x: 0, y: 0, width: w.width, height: w.height, class: "sea" }));
  const counts = new Map(data.countries.map((c) => [c.country, c.events]));
  const max = Math.max(1, ...data.countries.map((c) => c.events));
  for (const c of w.countries) {
    const n = counts.get(c.iso3) || 0;
    const path = svg("path", { d: c.d, class: "country" + (state.filters.country === c.iso3 ? " selected" : ""),
      "data-iso3": c.iso3 || "", fill: n ? shade(0.15 + 0.85 * Math.log1p(n) / Math.log1p(max)) : "#e3e7ec",
      onclick: () => c.iso3 && setFilters({ country: state.filters.country === c.iso3 ? "" : c.iso3 }) });
    path.append(title(`${c.name}${c.iso3 ? " (" + c.iso3 + ")" : ""}: ${fmt(n)} events`));
    s.append(path);
  }
  const pmax = Math.max(1, ...data.places.map((p) => p.events));
  for (const p of data.places.slice().sort((a, b) => b.events - a.events)) {
    const [x, y] = project(p.lon, p.lat);
    const conflict = p.events ? p.conflict / p.events : 0;
    const dot = svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: (2.5 + 9 * Math.sqrt(p.events / pmax)).toFixed(1),
      class: "place", fill: conflict >= 0.5 ? QCOLOR[4] : QCOLOR[2] });
    dot.append(title(`${p.name || "?"}${p.country ? " (" + p.country + ")" : ""}: ${fmt(p.events)} events, ` +
      `${Math.round(conflict * 100)}% conflict`));
    s.append(dot);
  }
  const located = data.countries.reduce((a, c) => a + c.events, 0);
  $("map-hint").textContent = `${fmt(located)} located` + (data.unlocated ? `, ${fmt(data.unlocated)} without a place` : "") +
    " · click a country to filter";
  box.append(s);
}

/* ---------- network: force layout of the strongest dyads ---------- */
function layout(nodes, edges, W, H) {
  const n = nodes.length, idx = new Map(nodes.map((d, i) => [d.code, i]));
  nodes.forEach((d, i) => { const a = 2 * Math.PI * i / n; d.x = W / 2 + W * 0.35 * Math.cos(a); d.y = H / 2 + H * 0.35 * Math.sin(a); });
  const links = edges.map((e) => [idx.get(e.source), idx.get(e.target), e.events]);
  const k = Math.sqrt((W * H) / Math.max(n, 1)) * 0.5, gravity = 0.06;
  for (let it = 0; it < 300; it++) {
    const t = 1 - it / 260, fx = new Float64Array(n), fy = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const dx = nodes[i].x - nodes[j].x, dy = nodes[i].y - nodes[j].y, d2 = dx * dx + dy * dy + 0.01;
      if (d2 > 9 * k * k) continue; /* far apart: no push, so loose groups stay near the centre */
      const f = (k * k) / d2; fx[i] += dx * f; fy[i] += dy * f; fx[j] -= dx * f; fy[j] -= dy * f;
    }
    for (const [a, b] of links) {
      const dx = nodes[a].x - nodes[b].x, dy = nodes[a].y - nodes[b].y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
      const f = (d - k) / d * 0.5; fx[a] -= dx * f; fy[a] -= dy * f; fx[b] += dx * f; fy[b] += dy * f;
    }
    for (let i = 0; i < n; i++) {
      fx[i] += (W / 2 - nodes[i].x) * gravity; fy[i] += (H / 2 - nodes[i].y) * gravity * 1.4;
      const m = Math.sqrt(fx[i] * fx[i] + fy[i] * fy[i]) || 1, cap = 18 * t + 0.5;
      nodes[i].x = Math.min(W - 30, Math.max(30, nodes[i].x + fx[i] / m * Math.min(m, cap)));
      nodes[i].y = Math.min(H - 16, Math.max(16, nodes[i].y + fy[i] / m * Math.min(m, cap)));
    }
  }
}
function edgeColor(g) {
  if (g === null || g === undefined) return "#9aa3ad";
  return g < -4 ? QCOLOR[4] : g < 0 ? QCOLOR[3] : g < 4 ? QCOLOR[2] : QCOLOR[1];
}
function drawNetwork(data) {
  const box = $("network"); box.replaceChildren();
  const nodes = data.nodes.slice(0, 40), keep = new Set(nodes.map((n) => n.code));
  const edges = data.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
  $("network-hint").textContent = edges.length ? `${edges.length} dyads · click an actor or a link` : "";
  if (!edges.length) { box.append(el("div", { class: "empty" }, "No dyads (events with both a source and a target).")); return; }
  const W = 560, H = 380;
  layout(nodes, edges, W, H);
  const pos = new Map(nodes.map((n) => [n.code, n]));
  const emax = Math.max(...edges.map((e) => e.events));
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Actor network" });
  const defs = svg("defs");
  for (const [q, c] of Object.entries(QCOLOR).concat([["n", "#9aa3ad"]])) {
    defs.append(svg("marker", { id: "arrow-" + q, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" },
      svg("path", { d: "M0,0L10,5L0,10z", fill: c })));
  }
  s.append(defs);
  const dmax = Math.max(...nodes.map((n) => n.in + n.out));
  const radius = (n) => 4 + 10 * Math.sqrt((n.in + n.out) / dmax);
  for (const e of edges) {
    const a = pos.get(e.source), b = pos.get(e.target), c = edgeColor(e.goldstein);
    const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1, rb = radius(b) + 3;
    const mx = (a.x + b.x) / 2 - dy * 0.12, my = (a.y + b.y) / 2 + dx * 0.12;
    const ex = b.x - dx / d * rb, ey = b.y - dy / d * rb;
    const q = Object.keys(QCOLOR).find((k) => QCOLOR[k] === c) || "n";
    const p = svg("path", { d: `M${a.x.toFixed(1)},${a.y.toFixed(1)}Q${mx.toFixed(1)},${my.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
      class: "edge", stroke: c, "stroke-width": (1 + 4 * e.events / emax).toFixed(2), "marker-end": `url(#arrow-${q})`,
      onclick: () => setFilters({ dyad: e.source + ":" + e.target, actor: "" }) });
    p.append(title(`${e.source} → ${e.target}: ${fmt(e.events)} events, mean Goldstein ${e.goldstein === null ? "–" : e.goldstein.toFixed(1)}` +
      `\n${fmt(e.cooperation)} cooperation, ${fmt(e.conflict)} conflict\nClick to filter this dyad`));
    s.append(p);
  }
  for (const n of nodes) {
    const sel = state.filters.actor && n.code.startsWith(state.filters.actor.toUpperCase());
    const g = svg("g", { class: "node" + (sel ? " selected" : ""), transform: `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`,
      onclick: () => setFilters({ actor: n.code, dyad: "" }) });
    g.append(svg("circle", { r: radius(n).toFixed(1), fill: "#24527a" }));
    g.append(svg("text", { x: radius(n) + 3, y: 4 }, n.code));
    g.append(title(`${n.code}: ${fmt(n.out)} as source, ${fmt(n.in)} as target\nClick to filter this actor`));
    s.append(g);
  }
  box.append(s);
}

/* ---------- event table ---------- */
function actorCell(a) {
  if (!a) return el("td", {}, el("span", { class: "actor-name" }, "—"));
  return el("td", {}, el("span", { class: "code" }, a.code || "?"), el("span", { class: "actor-name" }, a.name || a.text || ""));
}
function sentenceCell(ev) {
  const s = ev.sentence.text || "", t0 = ev.trigger.start - ev.sentence.start, t1 = ev.trigger.end - ev.sentence.start;
  const cell = el("td", { class: "sent" });
  if (t0 >= 0 && t1 <= s.length && t1 > t0) cell.append(s.slice(0, t0), el("b", {}, s.slice(t0, t1)), s.slice(t1));
  else cell.append(s);
  return cell;
}
function eventRow(ev) {
  const q = ev.cameo.quad_class;
  const where = ev.location ? (ev.location.name || ev.location.text || ev.location.country) : "";
  const tr = el("tr", { "data-event": ev.event_id, onclick: () => openEvent(ev.event_id, true) },
    el("td", { class: "date" }, ev.event_date || ev.report_date || ""),
    actorCell(ev.source),
    el("td", {}, el("span", { class: "pill q" + (q || "") , title: QUADS[q] || "" }, ev.plover.type || "?"),
      el("span", { class: "actor-name" }, `${ev.cameo.code} ${ev.cameo.name || ""}`)),
    actorCell(ev.target),
    el("td", {}, where || ""),
    sentenceCell(ev));
  return tr;
}
async function loadEvents(append, loadId) {
  const data = await api("events", { limit: PAGE, cursor: append ? state.cursor : null, total: append ? null : "true" });
  if (loadId !== state.loadId) return;
  const body = $("events").tBodies[0];
  if (!append) body.replaceChildren();
  for (const ev of data.events) body.append(eventRow(ev));
  state.cursor = data.next_cursor;
  $("more").hidden = !data.next_cursor;
  if (!append) $("table-hint").textContent = `${fmt(data.total)} events · newest first · click a row for its sentence`;
  if (!append && !data.events.length) body.append(el("tr", {}, el("td", { colspan: 6, class: "empty" }, "No events match these filters.")));
}

/* ---------- event view ---------- */
function highlighted(text, spans) {
  const out = [];
  let at = 0;
  for (const h of spans.filter((h) => h.sentence_start !== null).sort((a, b) => a.sentence_start - b.sentence_start)) {
    if (h.sentence_start < at) continue; /* overlapping span: keep the first */
    out.push(text.slice(at, h.sentence_start));
    out.push(el("mark", { class: "hl-" + h.role, title: h.role, "data-role": h.role }, text.slice(h.sentence_start, h.sentence_end)));
    at = h.sentence_end;
  }
  out.push(text.slice(at));
  return out;
}
function fact(dl, name, value) { if (value !== null && value !== undefined && value !== "") dl.append(el("dt", {}, name), el("dd", {}, value)); }
function actorText(a) { return a ? `${a.code || "?"}${a.name ? " — " + a.name : ""} (“${a.text}”)` : null; }
async function openEvent(id, push) {
  let ev;
  try { ev = await api("events/" + encodeURIComponent(id), {}); } catch (e) { status(e.message); return; }
  for (const tr of $("events").tBodies[0].rows) tr.classList.toggle("active", tr.dataset.event === id);
  $("ev-title").textContent = `${ev.plover.type} · ${ev.event_date || ev.report_date || "undated"}`;
  $("ev-sentence").replaceChildren(...highlighted(ev.sentence.text.trim() ? ev.sentence.text : "", ev.highlights));
  $("hl-legend").replaceChildren(...["trigger", "source", "target", "location"]
    .filter((r) => ev.highlights.some((h) => h.role === r && h.sentence_start !== null)).map((r) => el("span", { class: r }, r)));
  const dl = $("ev-facts"); dl.replaceChildren();
  fact(dl, "Source", actorText(ev.source));
  fact(dl, "Target", actorText(ev.target));
  fact(dl, "CAMEO", `${ev.cameo.code} ${ev.cameo.name || ""}`);
  fact(dl, "PLOVER", ev.plover.type + (ev.plover.mode ? " / " + ev.plover.mode : "") + (ev.plover.contexts.length ? " · " + ev.plover.contexts.join(", ") : ""));
  fact(dl, "QuadClass", ev.cameo.quad_class ? `${ev.cameo.quad_class} — ${QUADS[ev.cameo.quad_class]}` : null);
  fact(dl, "Goldstein", ev.cameo.goldstein);
  fact(dl, "Modality", ev.modality);
  fact(dl, "Event date", ev.date ? `${ev.date.start || "?"}${ev.date.end && ev.date.end !== ev.date.start ? " – " + ev.date.end : ""} (${ev.date.resolved_by}${ev.date.text ? ": “" + ev.date.text + "”" : ""})` : ev.event_date);
  fact(dl, "Location", ev.location ? `${ev.location.name || ev.location.text}${ev.location.country ? ", " + ev.location.country : ""}${ev.location.lat !== null ? ` (${ev.location.lat.toFixed(2)}, ${ev.location.lon.toFixed(2)})` : ""}` : null);
  fact(dl, "Reported by", actorText(ev.reported_by));
  const counts = Object.entries(ev.counts || {}).filter(([, v]) => v !== null);
  fact(dl, "Counts", counts.length ? counts.map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(", ") : null);
  fact(dl, "Mentions", ev.mentions ? `${fmt(ev.mentions.events)} in ${fmt(ev.mentions.articles)} article(s)` : null);
  fact(dl, "Event id", ev.event_id);
  const a = ev.article;
  $("ev-article-meta").replaceChildren(a.title || a.id, a.date ? " · " + a.date : "", a.outlet ? " · " + a.outlet : "",
    ...(a.url && /^https?:\/\//.test(a.url) ? [" · ", el("a", { href: a.url, rel: "noopener noreferrer", target: "_blank" }, "source")] : []));
  const art = $("ev-article"); art.replaceChildren();
  if (a.text) {
    const s0 = ev.sentence.start, s1 = ev.sentence.end;
    art.append(a.text.slice(0, s0), el("span", { class: "current" }, a.text.slice(s0, s1)), a.text.slice(s1));
  } else art.append(ev.sentence.text || "(article text not stored)");
  $("ev-explain").textContent = JSON.stringify(ev.explanation, null, 2);
  $("drawer").hidden = false;
  writeUrl(id, push);
  const cur = art.querySelector(".current"); if (cur && cur.scrollIntoView) cur.scrollIntoView({ block: "center" });
}
function closeEvent(push) { $("drawer").hidden = true; writeUrl(null, push); }

/* ---------- loading ---------- */
async function refresh() {
  const loadId = ++state.loadId;
  status("");
  const jobs = [
    api("series", { measure: "quad", by: "auto" }).then((d) => loadId === state.loadId && drawTimeline(d)),
    api("map", {}).then((d) => loadId === state.loadId && drawMap(d)),
    api("network", {}).then((d) => loadId === state.loadId && drawNetwork(d)),
    loadEvents(false, loadId),
  ];
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r) => r.status === "rejected");
  if (failed && loadId === state.loadId) status(failed.reason.message);
  document.body.dataset.loaded = String(loadId);
}
async function loadTotals() {
  try {
    const s = await api("stats", { top: 5 });
    const t = s.totals;
    $("totals").replaceChildren(...[["events", t.events], ["articles", t.articles], ["quotes", t.quotes]]
      .map(([k, v]) => el("span", {}, el("b", {}, fmt(v)), k)));
    const types = new Set(PLOVER.concat(s.by_month.map((r) => r.plover_type).filter(Boolean)));
    if (state.filters.type) types.add(state.filters.type.toUpperCase());
    const sel = $("f-type");
    sel.replaceChildren(el("option", { value: "" }, "any"), ...[...types].sort().map((t) => el("option", { value: t }, t)));
    sel.value = (state.filters.type || "").toUpperCase();
  } catch (e) { status(e.message); }
}
let actorTimer = null;
function suggestActors() {
  clearTimeout(actorTimer);
  actorTimer = setTimeout(async () => {
    const q = $("f-actor").value.trim();
    try {
      const res = await fetch("/api/actors?" + new URLSearchParams({ q, limit: 12 }));
      if (!res.ok) return;
      const data = await res.json();
      $("actor-list").replaceChildren(...data.actors.map((a) => el("option", { value: a.code },
        `${a.code} — ${(a.names[0] || a.texts[0] || a.country_name || "")} (${a.events})`)));
    } catch (e) { /* suggestions are optional */ }
  }, 200);
}

function init() {
  const legend = $("quad-legend");
  for (const q of [1, 2, 3, 4]) legend.append(el("span", { class: "q" + q }, QUADS[q]));
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!$("filters").reportValidity()) return;
    const changes = {};
    for (const k of FILTERS) changes[k] = $("f-" + k).value.trim();
    if (changes.country) changes.country = changes.country.toUpperCase();
    setFilters(changes);
  });
  $("clear").addEventListener("click", () => { state.filters = {}; setFilters({}); });
  $("share").addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(location.href); status("Link copied: " + location.href, true); }
    catch (e) { status("Share this link: " + location.href, true); }
  });
  $("f-actor").addEventListener("input", suggestActors);
  $("more").addEventListener("click", () => loadEvents(true, state.loadId).catch((e) => status(e.message)));
  $("close").addEventListener("click", () => closeEvent(true));
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("drawer").hidden) closeEvent(true); });
  window.addEventListener("popstate", () => {
    const ev = readUrl(); fillForm(); refresh();
    if (ev) openEvent(ev, false); else $("drawer").hidden = true;
  });
  const ev = readUrl();
  fillForm();
  fetch("/static/world-110m.json").then((r) => r.json()).then((w) => { state.world = w; })
    .catch(() => status("map outlines could not be loaded"))
    .finally(() => { loadTotals(); refresh(); suggestActors(); });
  if (ev) openEvent(ev, false);
}
document.addEventListener("DOMContentLoaded", init);
