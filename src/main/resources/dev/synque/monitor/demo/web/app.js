// SynQuE Monitor demo page: polls the demo's JSON every 1.5 s and redraws. No libraries, no network
// beyond this origin.
"use strict";

const POLL_MS = 1500;
const COLORS = ["#2f5bea", "#e8590c", "#0ca678", "#ae3ec9"];
const state = {
  window: "ALL_TIME",
  demo: null,
  ranking: null,
  alerts: [],
  // generator -> Map(windowStart -> closed-window scores), accumulated across polls
  windows: new Map(),
  // the generator whose evidence is open (a click on its row, or #evidence=<id> in the address)
  evidenceFor: null,
  evidence: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

async function getJson(path) {
  const r = await fetch(path, { cache: "no-store" });
  if (!r.ok) return null;
  return r.json();
}

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(2);
  return v.toFixed(a < 1 ? 4 : a < 100 ? 3 : 1);
}

function proxies() {
  return (state.demo && state.demo.proxies) || ["mmd2_poly", "frechet"];
}

function describe(id) {
  const g = state.demo && state.demo.generators.find((x) => x.id === id);
  return g ? g.description : "";
}

/** Generators with a QUALITY_DEGRADED alert not followed by a recovery. */
function drifting() {
  const open = new Map();
  for (const a of [...state.alerts].reverse()) {
    const key = a.generatorId + "/" + a.proxy;
    if (a.kind === "QUALITY_DEGRADED") open.set(key, a);
    if (a.kind === "QUALITY_RECOVERED") open.delete(key);
  }
  return new Set([...open.values()].map((a) => a.generatorId));
}

/** ▲ better, ▼ worse, ▶ steady: the last closed window against the mean of the three before. */
function trend(id) {
  const proxy = proxies()[0];
  const wins = closedWindows(id);
  if (wins.length < 2) return el("span", { class: "trend flat", title: "not enough windows yet" }, "·");
  const value = (w) => { const s = w.scores.find((p) => p.proxy === proxy); return s ? s.value : null; };
  const last = value(wins[wins.length - 1]);
  const before = wins.slice(-4, -1).map(value).filter((v) => v !== null);
  if (last === null || before.length === 0) return el("span", { class: "trend flat" }, "·");
  const mean = before.reduce((a, b) => a + b, 0) / before.length;
  const hib = wins[wins.length - 1].scores.find((p) => p.proxy === proxy).higherIsBetter;
  const range = proxyRange(proxy);
  const tolerance = 0.25 * Math.abs(mean) + 0.03 * (range[1] - range[0]);
  const better = hib ? last - mean : mean - last;
  const title = `${proxy}: last window ${fmt(last)}, previous windows ${fmt(mean)}`;
  if (better > tolerance) return el("span", { class: "trend up", title }, "▲");
  if (-better > tolerance) return el("span", { class: "trend down", title }, "▼");
  return el("span", { class: "trend flat", title }, "▶");
}

/** The generator's entry for the tier proxy (mmd2_poly), or null. */
function tierOf(e, r) {
  const p = (e.proxies || []).find((x) => x.proxy === r.tierProxy);
  return p && p.tier !== null && p.tier !== undefined ? p : null;
}

function renderFloors() {
  const r = state.ranking;
  const floors = (r && r.noiseFloors) || [];
  $("noise-floor").replaceChildren(floors.length === 0 ? "noise floor: not computed yet" :
    el("span", {}, "noise floor (real vs real, p95 of 10 random halves of the reference): ",
      ...floors.map((f) => el("span", { class: "floor", "data-proxy": f.proxy, title: `mean ${fmt(f.mean)}, sd ${fmt(f.sd)}` },
        `${f.proxy} ${fmt(f.p95)}`))));
}

function renderLeaderboard() {
  const head = $("leaderboard-head");
  const body = $("leaderboard-body");
  const names = proxies();
  head.replaceChildren(
    el("th", {}, "Rank"), el("th", {}, "Generator"),
    el("th", { title: "generators in one tier cannot be told apart under mmd2_poly at the stated level; P = chance it beats the next one down" }, "Tier"),
    ...names.map((p) => el("th", { title: "value (rank under this proxy)" }, p)),
    el("th", { title: "Borda score over the proxies' ranks: 1 = best under every proxy, 0 = worst" }, "Combined"),
    el("th", {}, "Samples"), el("th", { title: "last closed window against the ones before" }, "Trend"));
  const r = state.ranking;
  if (!r || !r.entries || r.entries.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { class: "empty", colspan: names.length + 6 },
      "waiting for the first scores …")));
    $("leaderboard-note").textContent = "";
    return;
  }
  const drift = drifting();
  const rows = [...r.entries].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.generatorId.localeCompare(b.generatorId));
  body.replaceChildren(...rows.map((e) => {
    const t = tierOf(e, r);
    const tr = el("tr", { "data-generator": e.generatorId, "data-rank": e.rank ?? "", "data-tier": t ? t.tier : "",
      class: (t ? "tier" + (t.tier % 2 ? " odd" : " even") : "") + (state.evidenceFor === e.generatorId ? " open" : ""),
      title: "click for the evidence behind this generator's scores" });
    tr.addEventListener("click", () => openEvidence(e.generatorId));
    tr.append(el("td", {}, e.eligible
      ? el("span", { class: "rank" + (e.rank === 1 ? " r1" : "") }, e.rank)
      : el("span", { class: "rank none", title: e.ineligibleReason || "" }, "–")));
    tr.append(el("td", { class: "gen" }, el("b", {}, e.generatorId),
      drift.has(e.generatorId) ? el("span", { class: "badge drift" }, "drifting") : null,
      el("small", {}, describe(e.generatorId))));
    tr.append(el("td", {}, t ? el("span", { class: "tier-badge t" + Math.min(t.tier, 6) }, "T" + t.tier) : "–",
      t && t.beatsNext !== null ? el("span", { class: "sub-rank", title: "P(beats the next one down under " + r.tierProxy + ")" },
        "P " + t.beatsNext.toFixed(2)) : null));
    for (const name of names) {
      const p = (e.proxies || []).find((x) => x.proxy === name);
      tr.append(el("td", {}, p ? fmt(p.value) : "–",
        p && p.rank ? el("span", { class: "sub-rank" }, "#" + p.rank) : null,
        p && p.low !== null && p.low !== undefined
          ? el("small", { class: "interval", title: `${Math.round(100 * r.tierLevel)}% interval` }, `[${fmt(p.low)}, ${fmt(p.high)}]`)
          : null));
    }
    tr.append(el("td", {}, fmt(e.combinedScore)));
    tr.append(el("td", {}, e.sampleCount.toLocaleString("en")));
    tr.append(el("td", {}, trend(e.generatorId)));
    return tr;
  }));
  const when = new Date(r.computedAt).toLocaleTimeString();
  $("leaderboard-note").textContent =
    `${r.windowKind === "ALL_TIME" ? "All samples since the reference version started" : "The latest tumbling window of each generator"}` +
    ` · reference ${r.referenceVersion} · ${r.combinationRule} · ranked from ${r.minSamples} samples · updated ${when}` +
    (r.tierLevel ? ` · tiers and [intervals] at ${Math.round(100 * r.tierLevel)}% under ${r.tierProxy}` : "");
  renderFloors();
}

function openEvidence(id) {
  state.evidenceFor = id;
  history.replaceState(null, "", "#evidence=" + encodeURIComponent(id));
  refresh();
}

async function pollEvidence() {
  if (!state.evidenceFor) return;
  state.evidence = await getJson(`api/generators/${encodeURIComponent(state.evidenceFor)}/evidence?window=${state.window}`);
}

function renderEvidence() {
  const box = $("evidence");
  const id = state.evidenceFor;
  if (!id) return;
  const ev = state.evidence;
  box.setAttribute("data-generator", id);
  if (!ev) { box.replaceChildren(el("p", { class: "empty" }, `no evidence for ${id} yet …`)); return; }
  const item = (cls) => (s) => el("li", { class: cls, "data-sample": s.sampleId },
    el("span", { class: "value" }, fmt(s.value)), el("b", {}, s.sampleId), " ", el("q", {}, s.text));
  const iv = (ev.intervals || [])[0];
  box.replaceChildren(
    el("h3", {}, `${id} · ${ev.windowKind.toLowerCase().replace("_", " ")} · ${ev.reservoirSize} samples in the reservoir`,
      iv ? el("span", { class: "interval" }, ` · ${iv.proxy} ${Math.round(100 * iv.level)}% interval [${fmt(iv.low)}, ${fmt(iv.high)}]`) : null),
    el("div", { class: "evidence-cols" },
      el("div", {}, el("h4", { title: "MMD witness: mean kernel to the real samples minus mean kernel to this generator's samples" },
        "Least real-looking samples (lowest realness)"),
        el("ol", {}, ...(ev.leastReal || []).map(item("least-real")))),
      el("div", {}, el("h4", { title: "real samples near other real ones but far from every synthetic one" },
        "Real samples it covers least (lowest coverage)"),
        el("ol", {}, ...(ev.underCovered || []).map(item("under-covered"))))));
}

function renderAlerts() {
  const list = $("alerts");
  const count = $("alert-count");
  const degraded = state.alerts.filter((a) => a.kind === "QUALITY_DEGRADED").length;
  count.textContent = state.alerts.length;
  count.className = "count" + (degraded > 0 ? " hot" : "");
  if (state.alerts.length === 0) return;
  list.replaceChildren(...state.alerts.map((a) => a.kind === "TOP_GENERATOR_CHANGED"
    ? el("li", { class: a.kind, "data-generator": a.generatorId },
      el("span", { class: "when" }, new Date(a.raisedAt).toLocaleTimeString()),
      el("div", { class: "what" }, `new leader (all time): ${a.generatorId}` +
        (a.previousLeader ? ` replaces ${a.previousLeader}` : "")))
    : el("li", { class: a.kind, "data-generator": a.generatorId },
    el("span", { class: "when" }, new Date(a.raisedAt).toLocaleTimeString()),
    el("div", { class: "what" }, a.kind.replaceAll("_", " ").toLowerCase() + " · " + a.generatorId +
      (a.proxy ? " · " + a.proxy : "")),
    el("div", { class: "msg" }, a.message))));
}

function closedWindows(id) {
  const m = state.windows.get(id);
  if (!m) return [];
  return [...m.values()].sort((a, b) => a.windowStart - b.windowStart);
}

function proxyRange(proxy) {
  let lo = Infinity, hi = -Infinity;
  for (const id of state.windows.keys()) {
    for (const w of closedWindows(id)) {
      const s = w.scores.find((p) => p.proxy === proxy);
      if (s && s.value !== null) { lo = Math.min(lo, s.value); hi = Math.max(hi, s.value); }
    }
  }
  if (!Number.isFinite(lo)) return [0, 1];
  lo = Math.min(lo, 0);
  return hi - lo < 1e-12 ? [lo, lo + 1] : [lo, hi];
}

function renderCharts() {
  const names = proxies();
  $("legend").replaceChildren(...names.map((p, i) =>
    el("span", {}, el("i", { style: `background:${COLORS[i % COLORS.length]}` }), p)));
  const ids = state.demo ? state.demo.generators.map((g) => g.id) : [...state.windows.keys()];
  const ranges = names.map(proxyRange);
  let t0 = Infinity, t1 = -Infinity;
  for (const id of ids) for (const w of closedWindows(id)) { t0 = Math.min(t0, w.windowStart); t1 = Math.max(t1, w.windowStart); }
  const drift = state.alerts.filter((a) => a.kind === "QUALITY_DEGRADED");
  const W = 300, H = 120, L = 4, R = 4, T = 6, B = 14;
  $("charts").replaceChildren(...ids.map((id) => {
    const wins = closedWindows(id);
    const card = el("div", { class: "chart", "data-generator": id, "data-points": wins.length });
    const last = wins[wins.length - 1];
    card.append(el("h3", {}, id));
    card.append(el("div", { class: "meta" },
      last ? `${wins.length} windows · ${last.sampleCount} samples in the latest` : "no closed window yet"));
    if (wins.length === 0) {
      card.append(el("div", { class: "waiting" }, "waiting for the first window to close …"));
      return card;
    }
    const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "img",
      "aria-label": `score history of ${id}` });
    const x = (t) => L + (t1 > t0 ? (t - t0) / (t1 - t0) : 0.5) * (W - L - R);
    const alert = drift.find((a) => a.generatorId === id && a.windowStart !== null);
    if (alert) {
      const xa = x(alert.windowStart);
      s.append(svg("rect", { x: xa, y: T, width: Math.max(0, W - R - xa), height: H - T - B, fill: "#fee4e2", opacity: 0.7 }));
    }
    for (let g = 0; g <= 2; g++) {
      const y = T + g * (H - T - B) / 2;
      s.append(svg("line", { x1: L, x2: W - R, y1: y, y2: y, stroke: "#eef0f3", "stroke-width": 1 }));
    }
    names.forEach((proxy, i) => {
      const [lo, hi] = ranges[i];
      const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
      const pts = wins.map((w) => {
        const sc = w.scores.find((p) => p.proxy === proxy);
        return sc && sc.value !== null ? `${x(w.windowStart).toFixed(1)},${y(sc.value).toFixed(1)}` : null;
      }).filter((p) => p !== null);
      if (pts.length === 0) return;
      const color = COLORS[i % COLORS.length];
      s.append(svg("polyline", { points: pts.join(" "), fill: "none", stroke: color, "stroke-width": 2,
        "stroke-linejoin": "round", "vector-effect": "non-scaling-stroke", class: "series" }));
      const [lx, ly] = pts[pts.length - 1].split(",");
      s.append(svg("circle", { cx: lx, cy: ly, r: 2.5, fill: color }));
    });
    const secs = t1 > t0 ? Math.round((t1 - t0) / 1000) : 0;
    const label = svg("text", { x: L, y: H - 2, "font-size": 10, fill: "#98a2b3" });
    label.textContent = secs > 0 ? `last ${secs} s of event time` : "";
    s.append(label);
    card.append(s);
    return card;
  }));
}

function renderStatus() {
  const d = state.demo;
  if (!d) { $("status").textContent = "connecting …"; return; }
  const sent = d.generators.length ? d.generators[0].sent : 0;
  $("status").textContent =
    `up ${Math.round(d.uptimeSeconds)} s · ${sent.toLocaleString("en")} samples per generator · ` +
    `${d.ratePerGenerator}/s each · ${d.windowMs / 1000} s windows\nLENS ${d.lens.split(" (")[0]}`;
}

async function pollHistories() {
  if (!state.demo) return;
  await Promise.all(state.demo.generators.map(async (g) => {
    const h = await getJson(`api/generators/${encodeURIComponent(g.id)}/history`);
    if (!Array.isArray(h)) return;
    let m = state.windows.get(g.id);
    if (!m) { m = new Map(); state.windows.set(g.id, m); }
    for (const s of h) {
      if (s.windowKind === "TUMBLING" && s.trigger === "WINDOW_CLOSE") m.set(s.windowStart, s);
    }
    const keep = [...m.keys()].sort((a, b) => a - b).slice(-200);
    for (const k of [...m.keys()]) if (!keep.includes(k)) m.delete(k);
  }));
}

async function refresh() {
  try {
    const [demo, ranking, alerts] = await Promise.all([
      getJson("api/demo"), getJson(`api/ranking?window=${state.window}`), getJson("api/alerts")]);
    if (demo) state.demo = demo;
    state.ranking = ranking;
    if (Array.isArray(alerts)) state.alerts = alerts;
    await pollHistories();
    await pollEvidence();
    renderStatus();
    renderLeaderboard();
    renderEvidence();
    renderAlerts();
    renderCharts();
  } catch (e) {
    $("status").textContent = "the demo is not answering (stopped?)";
  }
}

async function loop() {
  await refresh();
  setTimeout(loop, POLL_MS);
}

for (const b of document.querySelectorAll(".toggle button")) {
  b.addEventListener("click", () => {
    state.window = b.dataset.window;
    for (const o of document.querySelectorAll(".toggle button")) o.classList.toggle("on", o === b);
    refresh();
  });
}
const opened = /^#evidence=(.+)$/.exec(location.hash);
if (opened) state.evidenceFor = decodeURIComponent(opened[1]);
loop();
