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
// (the editing state, `selected`, `drag` and `known`, is declared with the editing code below)

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
    stage.dataset.pxPerMm = String(scale);
    stage.parentElement.dataset.pxPerMm = String(scale);
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
  drawEditLayer(svg, face);
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
    if (f.element_id === selected) li.classList.add("selected-el");
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
  for (const f of s.files || []) known[f.path] = f.sha;
  const facesChanged = !state || JSON.stringify(state.faces) !== JSON.stringify(s.faces);
  state = s;
  document.title = `${s.layout_display} — faceprint preview`;
  setText("#layout-name", s.layout_display);
  $("#layout-name").title = s.layout;
  showRecords(s);
  showError(s.error);
  showLint(s.lint);
  if (facesChanged && !drag) {
    for (const face of s.faces) drawOverlay(document.querySelector(`.card[data-face="${face.name}"] svg`), face);
    layoutStages();
    showSelection();
  }
  showImages(s, received);
  const status = $("#status");
  status.classList.remove("down");
  const after = s.changed.length ? " after saving " + s.changed.join(", ") : "";
  status.textContent = s.render_ms === null ? "" :
    `${s.error ? "failed" : "rendered"} in ${Math.round(s.render_ms)} ms${after} · ${s.dpi} dpi`;
}

// -- editing on the page: select, drag, resize, nudge, undo; each change is a write of the layout file --
const TOKEN = document.querySelector('meta[name="faceprint-token"]').content;
const SNAP_PX = 6; // an edge within this many screen pixels of a guide snaps to it
const HANDLE_PX = 7; // corner handles, in screen pixels
const known = {}; // layout file path → content hash as this page last saw it (the server refuses stale writes)
let selected = null; // element id
let drag = null; // the drag in progress
let writes = Promise.resolve();
window.fpEdits = { sent: 0, answered: 0, last: null };

const round2 = (v) => Math.round(v * 100) / 100;
function boxOf(id) {
  for (const face of (state ? state.faces : [])) for (const b of face.boxes) if (b.id === id) return { face, b };
  return null;
}
function overlaps(a, b) { return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]; }
function keepOutRefusal(face, b, box) {
  for (const zone of face.keep_out) {
    if (overlaps(box, zone.box) && !overlaps(b.box, zone.box)) return `'${b.id}' would overlap the keep-out zone '${zone.id}' (${zone.source})`;
  }
  return null;
}
function notice(text, kind) {
  const box = $("#notice");
  box.hidden = !text;
  box.textContent = text || "";
  box.className = "notice " + (kind || "");
}
function drawEditLayer(svg, face) {
  const layer = el("g", { class: "ov-edit" }, svg);
  const scale = pxPerMm(face);
  const boxes = [...face.boxes].sort((p, q) => q.box[2] * q.box[3] - p.box[2] * p.box[3]); // small ones on top
  for (const b of boxes) {
    const [x, y, w, h] = b.box;
    const rect = el("rect", { x, y, width: Math.max(w, 0.2), height: Math.max(h, 0.2), class: "edit-box" + (b.edit ? "" : " fixed"),
      "data-element-id": b.id, "data-face": face.name }, layer);
    rect.addEventListener("pointerdown", (ev) => startDrag(ev, face, b, "move"));
  }
  if (!selected) return;
  const hit = face.boxes.find((b) => b.id === selected);
  if (!hit) return;
  for (const node of layer.querySelectorAll(`[data-element-id="${CSS.escape(selected)}"]`)) {
    node.classList.add("sel");
    layer.appendChild(node); // the selected box above the others, so it stays draggable where they overlap
  }
  const [x, y, w, h] = hit.box;
  el("text", { x, y: y > 1.8 ? y - 0.4 : y + h + 1.5, class: "sel-id" }, layer, selected);
  if (hit.edit !== "box") return;
  const s = HANDLE_PX / scale;
  for (const [name, hx, hy] of [["nw", x, y], ["ne", x + w, y], ["sw", x, y + h], ["se", x + w, y + h]]) {
    const handle = el("rect", { x: hx - s / 2, y: hy - s / 2, width: s, height: s, class: "handle", "data-handle": name }, layer);
    handle.addEventListener("pointerdown", (ev) => startDrag(ev, face, hit, name));
  }
}
function redrawOverlays() {
  if (!state) return;
  for (const face of state.faces) drawOverlay(document.querySelector(`.card[data-face="${face.name}"] svg`), face);
}
function select(id) {
  selected = id;
  redrawOverlays();
  showSelection();
}
function showSelection() {
  const panel = $("#selection");
  const found = selected && boxOf(selected);
  if (!found) { panel.hidden = true; if (selected) selected = null; }
  else {
    const { b } = found;
    panel.hidden = false;
    setText("#sel-id", `${b.id} (${b.kind}, ${b.layer})`);
    setText("#sel-box", b.box.map((v) => round2(v)).join(", ") + " mm");
    setText("#sel-where", b.where || "");
    setText("#sel-edit", b.edit === "box" ? "move and resize" : b.edit === "points" ? "move" : "fixed (no box in the layout)");
  }
  for (const li of document.querySelectorAll("#findings li")) li.classList.toggle("selected-el", !!selected && li.dataset.id === selected);
}

// The delta a drag makes, in mm: [dx, dy, dw, dh] for a move or a corner handle.
function dragDelta(mode, mx, my) {
  switch (mode) {
    case "move": return [mx, my, 0, 0];
    case "se": return [0, 0, mx, my];
    case "nw": return [mx, my, -mx, -my];
    case "ne": return [0, my, mx, -my];
    case "sw": return [mx, 0, -mx, my];
  }
  return [0, 0, 0, 0];
}
// Snap the moving edges to the mm grid, the safe area and the other elements' edges.
function snapDelta(face, b, mode, delta, scale) {
  const limit = SNAP_PX / scale;
  const xs = [face.safe_margin, face.width - face.safe_margin], ys = [face.safe_margin, face.height - face.safe_margin];
  for (const o of face.boxes) if (o.id !== b.id) { xs.push(o.box[0], o.box[0] + o.box[2]); ys.push(o.box[1], o.box[1] + o.box[3]); }
  function best(edges, guides) { // the smallest correction that puts one moving edge on a guide (or on the grid)
    let fix = null;
    for (const e of edges) {
      for (const g of [...guides, Math.round(e)]) if (Math.abs(g - e) <= limit && (fix === null || Math.abs(g - e) < Math.abs(fix))) fix = g - e;
    }
    return fix || 0;
  }
  const [x, y, w, h] = b.box;
  let [dx, dy, dw, dh] = delta;
  if (mode === "move") {
    const fx = best([x + dx, x + dx + w], xs), fy = best([y + dy, y + dy + h], ys);
    return [dx + fx, dy + fy, dw, dh];
  }
  const movesLeft = mode === "nw" || mode === "sw", movesTop = mode === "nw" || mode === "ne";
  const fx = best([movesLeft ? x + dx : x + w + dw], xs), fy = best([movesTop ? y + dy : y + h + dh], ys);
  if (movesLeft) { dx += fx; dw -= fx; } else dw += fx;
  if (movesTop) { dy += fy; dh -= fy; } else dh += fy;
  return [dx, dy, dw, dh];
}
function startDrag(ev, face, b, mode) {
  if (ev.button !== 0) return;
  ev.preventDefault(); // no text selection, no focus change: so blur the header's controls here,
  ev.stopPropagation(); // or the arrow keys would go on toggling a checkbox instead of nudging
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  if (selected !== b.id) select(b.id);
  if (!b.edit || (mode !== "move" && b.edit !== "box")) return;
  const svg = document.querySelector(`.card[data-face="${face.name}"] svg`);
  const rect = svg.querySelector(`.ov-edit rect.edit-box[data-element-id="${CSS.escape(b.id)}"]`);
  drag = { face, b, mode, x0: ev.clientX, y0: ev.clientY, scale: pxPerMm(face), rect, delta: [0, 0, 0, 0], pointer: ev.pointerId, svg };
  svg.setPointerCapture(ev.pointerId);
  rect.classList.add("dragging");
}
document.addEventListener("pointermove", (ev) => {
  if (!drag) return;
  const mx = (ev.clientX - drag.x0) / drag.scale, my = (ev.clientY - drag.y0) / drag.scale;
  let delta = dragDelta(drag.mode, mx, my);
  if ($("#snap").checked && !ev.altKey) delta = snapDelta(drag.face, drag.b, drag.mode, delta, drag.scale);
  drag.delta = delta.map(round2);
  const [x, y, w, h] = drag.b.box;
  const [dx, dy, dw, dh] = drag.delta;
  drag.rect.setAttribute("x", x + dx);
  drag.rect.setAttribute("y", y + dy);
  drag.rect.setAttribute("width", Math.max(0.2, w + dw));
  drag.rect.setAttribute("height", Math.max(0.2, h + dh));
});
document.addEventListener("pointerup", () => {
  if (!drag) return;
  const d = drag;
  drag = null;
  try { d.svg.releasePointerCapture(d.pointer); } catch (e) { /* already released */ }
  if (d.delta.every((v) => v === 0)) { redrawOverlays(); return; }
  edit(d.face, d.b, d.delta);
});
function edit(face, b, delta) {
  const [x, y, w, h] = b.box;
  const box = [x + delta[0], y + delta[1], w + delta[2], h + delta[3]];
  const refusal = keepOutRefusal(face, b, box);
  if (refusal) { notice(refusal + ": not moved", "refused"); redrawOverlays(); return; }
  if (box[2] <= 0 || box[3] <= 0) { notice(`'${b.id}' cannot be made zero or negative in size`, "refused"); redrawOverlays(); return; }
  b.box = box; // shown at once; the render that follows the file's save confirms it
  redrawOverlays();
  showSelection();
  write("/api/edit", { id: b.id, delta, target: $("#target").value });
}
function write(route, payload) {
  window.fpEdits.sent += 1;
  writes = writes.then(async () => {
    let answer;
    try {
      const response = await fetch(route, { method: "POST", headers: { "Content-Type": "application/json", "X-Faceprint-Token": TOKEN },
        body: JSON.stringify({ ...payload, files: known }) });
      answer = await response.json().catch(() => ({ ok: false, message: `HTTP ${response.status}` }));
    } catch (e) {
      answer = { ok: false, message: "the preview server is not answering" };
    }
    if (answer.ok && answer.written) {
      known[answer.written.path] = answer.written.sha;
      const file = answer.written.path.split("/").slice(-2).join("/");
      const what = route === "/api/edit" ? "saved" : route === "/api/undo" ? "undone" : "redone";
      notice(`${what}: '${answer.written.element}' in ${file} (undo ${answer.undo}, redo ${answer.redo})`, "ok");
    } else if (answer.ok) {
      notice(route === "/api/undo" ? "nothing to undo" : "nothing to redo", "ok");
    } else {
      notice(answer.message, answer.conflict ? "conflict" : "refused");
      const fresh = await fetch("/api/state").then((r) => r.json()).catch(() => null); // an editor's save wins: show it
      if (fresh) { state = null; apply(fresh, Date.now()); }
    }
    window.fpEdits.answered += 1;
    window.fpEdits.last = answer;
  });
  return writes;
}
document.addEventListener("keydown", (ev) => {
  if (ev.target instanceof HTMLInputElement || ev.target instanceof HTMLSelectElement) return;
  const key = ev.key;
  if ((ev.ctrlKey || ev.metaKey) && (key === "z" || key === "Z" || key === "y")) {
    ev.preventDefault();
    write(ev.shiftKey || key === "y" ? "/api/redo" : "/api/undo", {});
    return;
  }
  if (key === "Escape") { select(null); return; }
  if (key === "s" || key === "S") { $("#snap").checked = !$("#snap").checked; return; }
  const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[key];
  if (!steps || !selected) return;
  ev.preventDefault();
  const found = boxOf(selected);
  if (!found || !found.b.edit) return;
  const step = ev.shiftKey ? 1 : 0.1;
  edit(found.face, found.b, [round2(steps[0] * step), round2(steps[1] * step), 0, 0]);
});
cards.addEventListener("pointerdown", (ev) => { if (!ev.target.closest || !ev.target.closest(".ov-edit rect")) select(null); });

const events = new EventSource("/events");
events.addEventListener("state", (e) => apply(JSON.parse(e.data), Date.now()));
events.addEventListener("error", () => { const st = $("#status"); st.textContent = "disconnected — retrying…"; st.classList.add("down"); });
