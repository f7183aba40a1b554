// faceprint preview page: shows the server's renders, draws the guides over them in mm, lists lint.
// No dependencies. The server pushes its whole state as server-sent events after every change.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const LAYER_COLOURS = { artwork: "#006edc", personalisation: "#c800a0", tactile: "#009650", guide: "#787878" };
const OVERLAYS = ["trim", "bleed", "safe", "keepout", "boxes", "ids", "grid"];
const $ = (sel) => document.querySelector(sel);
const cards = $("#cards");
let state = null;
let highlighted = null;

// -- settings kept per browser ---------------------------------------------------------------
const saved = JSON.parse(localStorage.getItem("faceprint-preview") || "{}");
function save() {
  const overlays = {};
  for (const box of document.querySelectorAll("#toggles input")) overlays[box.dataset.overlay] = box.checked;
  localStorage.setItem("faceprint-preview", JSON.stringify({ overlays, zoom: $("#zoom").value, dpi: $("#screen-dpi").value }));
}
for (const box of document.querySelectorAll("#toggles input")) {
  if (saved.overlays && box.dataset.overlay in saved.overlays) box.checked = saved.overlays[box.dataset.overlay];
  box.addEventListener("change", () => { applyToggles(); save(); });
}
if (saved.zoom) $("#zoom").value = saved.zoom;
if (saved.dpi) $("#screen-dpi").value = saved.dpi;
function applyToggles() {
  for (const box of document.querySelectorAll("#toggles input")) cards.classList.toggle("hide-" + box.dataset.overlay, !box.checked);
}
applyToggles();
$("#zoom").addEventListener("change", () => { layoutStages(); save(); });
$("#screen-dpi").addEventListener("input", () => { layoutStages(); save(); });
window.addEventListener("resize", layoutStages);
$("#record").addEventListener("change", (e) => {
  fetch("/api/select", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ record: e.target.value }) });
});

// -- zoom: CSS pixels per millimetre ------------------------------------------------------------
function pxPerMm(face) {
  const zoom = $("#zoom").value;
  if (zoom === "fit") {
    const width = cards.clientWidth - 20;
    const total = state.faces.reduce((sum, f) => sum + f.width + 2 * f.margin, 0);
    return Math.max(1, (width - 18 * (state.faces.length - 1)) / total);
  }
  const dpi = Math.max(20, Number($("#screen-dpi").value) || 96);
  return (dpi / 25.4 / (window.devicePixelRatio || 1)) * Number(zoom);
}
function layoutStages() {
  if (!state || !state.faces.length) return;
  for (const face of state.faces) {
    const stage = document.querySelector(`.card[data-face="${face.name}"] .stage`);
    const scale = pxPerMm(face);
    stage.style.width = `${(face.width + 2 * face.margin) * scale}px`;
    stage.style.height = `${(face.height + 2 * face.margin) * scale}px`;
  }
}

// -- overlays ----------------------------------------------------------------------------------
function el(name, attrs, parent, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}
function roundedRect(x, y, w, h, r) {
  return `M${x + r},${y} H${x + w - r} A${r},${r} 0 0 1 ${x + w},${y + r} V${y + h - r} A${r},${r} 0 0 1 ${x + w - r},${y + h}` +
    ` H${x + r} A${r},${r} 0 0 1 ${x},${y + h - r} V${y + r} A${r},${r} 0 0 1 ${x + r},${y} Z`;
}
function drawOverlay(svg, face) {
  const m = face.margin, W = face.width, H = face.height;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `${-m} ${-m} ${W + 2 * m} ${H + 2 * m}`);
  const grid = el("g", { class: "ov-grid" }, svg);
  for (let x = Math.ceil(-m); x <= W + m; x++) el("line", { x1: x, y1: -m, x2: x, y2: H + m, class: x % 5 === 0 ? "major" : "" }, grid);
  for (let y = Math.ceil(-m); y <= H + m; y++) el("line", { x1: -m, y1: y, x2: W + m, y2: y, class: y % 5 === 0 ? "major" : "" }, grid);
  const bleed = el("g", { class: "ov-bleed" }, svg);
  el("path", { d: `M${-m},${-m} h${W + 2 * m} v${H + 2 * m} h${-(W + 2 * m)} Z ` + roundedRect(0, 0, W, H, face.corner_radius) }, bleed);
  el("rect", { x: -face.bleed, y: -face.bleed, width: W + 2 * face.bleed, height: H + 2 * face.bleed }, bleed);
  const trim = el("g", { class: "ov-trim" }, svg);
  el("rect", { x: 0, y: 0, width: W, height: H, rx: face.corner_radius }, trim);
  const safe = el("g", { class: "ov-safe" }, svg);
  el("rect", { x: face.safe_margin, y: face.safe_margin, width: W - 2 * face.safe_margin, height: H - 2 * face.safe_margin }, safe);
  const keep = el("g", { class: "ov-keepout" }, svg);
  for (const zone of face.keep_out) {
    const [x, y, w, h] = zone.box;
    el("title", {}, el("rect", { x, y, width: w, height: h, "data-id": zone.id }, keep), `keep out: ${zone.id} (${zone.source})`);
    el("text", { x: x + 0.5, y: y + 1.6 }, keep, `keep out: ${zone.id}`);
  }
  const boxes = el("g", { class: "ov-boxes" }, svg);
  const ids = el("g", { class: "ov-ids" }, svg);
  for (const b of face.boxes) {
    const [x, y, w, h] = b.box;
    const colour = LAYER_COLOURS[b.layer] || "#5a5a5a";
    const rect = el("rect", { x, y, width: w, height: h, stroke: colour, "data-id": b.id }, boxes);
    el("title", {}, rect, `${b.id} (${b.kind}, ${b.layer})`);
    if (b.id === highlighted) rect.classList.add("hl");
    el("text", { x: x + 0.15, y: y > 1.5 ? y - 0.25 : y + h + 1.1, fill: colour }, ids, b.id);
  }
}

// -- the state pushed by the server ---------------------------------------------------------------
function setText(sel, text) { $(sel).textContent = text; }
function showError(err) {
  const box = $("#error");
  cards.classList.toggle("stale", !!err);
  if (!err) { box.hidden = true; return; }
  box.hidden = false;
  box.dataset.kind = err.kind;
  setText("#error-kind", err.kind === "layout" ? "layout error" : "data error");
  const link = $("#error-file");
  link.textContent = (err.display || err.file || "") + (err.line ? `:${err.line}` : "") + (err.element ? ` — element '${err.element}'` : "");
  if (err.href) link.href = err.href; else link.removeAttribute("href");
  setText("#error-message", err.message);
}
function showRecords(s) {
  const select = $("#record");
  const names = s.records.length ? s.records : [null];
  const key = names.join("\n");
  if (select.dataset.key !== key) {
    select.replaceChildren(...names.map((n) => new Option(n === null ? s.record_label : n, n === null ? "" : n)));
    select.dataset.key = key;
  }
  select.disabled = !s.records.length;
  if (s.record) select.value = s.record;
}
function showLint(lint) {
  const list = $("#findings");
  const findings = lint.findings || [];
  $("#lint").dataset.state = lint.state;
  const errors = findings.filter((f) => f.severity === "error").length;
  const progress = lint.state === "running" ? ` — ${lint.records} of ${lint.of} records` : lint.state === "pending" ? " — checking…" :
    lint.state === "blocked" ? " — fix the layout first" : "";
  const counts = `${errors} error${errors === 1 ? "" : "s"}, ${findings.length - errors} warning${findings.length - errors === 1 ? "" : "s"}`;
  setText("#lint-summary", lint.state === "blocked" ? "— fix the layout first" : counts + progress);
  list.replaceChildren(...findings.map((f) => {
    const li = document.createElement("li");
    li.className = f.severity;
    li.dataset.id = f.element_id;
    const sev = document.createElement("span");
    sev.className = "sev";
    sev.textContent = f.severity;
    const what = document.createElement("span");
    what.textContent = `${f.face !== "-" ? f.face + " " : ""}${f.element_id !== "-" ? "'" + f.element_id + "' " : ""}${f.message} [${f.code}]`;
    const where = document.createElement("div");
    where.className = "where";
    const link = document.createElement(f.href ? "a" : "span");
    link.textContent = (f.display || f.file) + (f.line ? `:${f.line}` : "");
    if (f.href) { link.href = f.href; link.target = "_blank"; }
    where.appendChild(link);
    li.append(sev, what, where);
    li.addEventListener("click", () => highlight(f.element_id, li));
    if (f.element_id === highlighted) li.classList.add("active");
    return li;
  }));
}
function highlight(id, li) {
  highlighted = highlighted === id ? null : id;
  for (const node of document.querySelectorAll(".ov-boxes rect")) node.classList.toggle("hl", node.dataset.id === highlighted);
  for (const node of document.querySelectorAll("#findings li")) node.classList.toggle("active", node === li && highlighted !== null);
}

// Swap both faces only once both new images are decoded, then note when (the browser test reads it).
let showing = "";
async function showImages(s, received) {
  const key = s.faces.map((f) => f.hash).join("+");
  if (!s.faces.length || key === showing) return;
  showing = key;
  const loaded = await Promise.all(s.faces.map(async (f) => {
    const img = new Image();
    img.src = f.image;
    try { await img.decode(); } catch (e) { return null; }
    return img;
  }));
  if (showing !== key || loaded.includes(null)) return;
  for (const f of s.faces) {
    const img = document.querySelector(`.card[data-face="${f.name}"] img`);
    img.src = f.image;
    img.dataset.hash = f.hash;
  }
  document.body.dataset.shown = key;
  window.fpPainted = { key, version: s.version, at: Date.now(), received };
}
function apply(s, received) {
  const facesChanged = !state || JSON.stringify(state.faces) !== JSON.stringify(s.faces);
  state = s;
  document.title = `${s.layout_display} — faceprint preview`;
  setText("#layout-name", s.layout_display);
  $("#layout-name").title = s.layout;
  showRecords(s);
  showError(s.error);
  showLint(s.lint);
  if (facesChanged) {
    for (const face of s.faces) drawOverlay(document.querySelector(`.card[data-face="${face.name}"] svg`), face);
    layoutStages();
  }
  showImages(s, received);
  const status = $("#status");
  status.classList.remove("down");
  const after = s.changed.length ? " after saving " + s.changed.join(", ") : "";
  status.textContent = s.render_ms === null ? "" :
    `${s.error ? "failed" : "rendered"} in ${Math.round(s.render_ms)} ms${after} · ${s.dpi} dpi`;
}

const events = new EventSource("/events");
events.addEventListener("state", (e) => apply(JSON.parse(e.data), Date.now()));
events.addEventListener("error", () => { const st = $("#status"); st.textContent = "disconnected — retrying…"; st.classList.add("down"); });
