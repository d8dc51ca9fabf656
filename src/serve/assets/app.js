// gongwen 工作区: the content in an editor, its pages beside it, the
// products a click or a drop away. Everything from the content is put in
// the page as text (textContent), never as HTML.
"use strict";

const TOKEN = document.querySelector('meta[name="gongwen-token"]').content;
const $ = (id) => document.getElementById(id);

/// A request to the workspace; the token goes in a header (the server
/// refuses changes without it).
async function api(method, url, body, raw) {
  const init = { method, headers: { "X-Gongwen-Token": TOKEN } };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers["Content-Type"] = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const r = await fetch(url, init);
  const text = await r.text();
  let data = text;
  if (!raw || !r.ok) {
    try { data = JSON.parse(text); } catch (_) { /* plain text */ }
  }
  if (!r.ok) {
    const e = new Error((data && data.error) || text || r.statusText);
    e.problems = (data && data.problems) || [];
    throw e;
  }
  return data;
}

const enc = encodeURIComponent;
const el = (tag, text, cls) => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
};

const ws = {
  doc: null,        // the open document's folder name
  file: "公文.yaml", // the file in the editor
  editable: [],
  version: -1,
  stamps: {},       // each file's stamp as last loaded
  dirty: false,
  saving: false,
  problems: [],
  pages: [],
};

function status(text, error) {
  const s = $("status");
  s.textContent = text;
  s.className = error ? "error" : "";
}

// --- The editor -----------------------------------------------------------

const editor = CodeMirror($("editor"), {
  mode: "yaml",
  lineNumbers: true,
  lineWrapping: true,
  indentUnit: 2,
  tabSize: 2,
  indentWithTabs: false,
  gutters: ["CodeMirror-lint-markers"],
  lint: { getAnnotations: () => annotations(), lintOnChange: false },
  extraKeys: {
    Tab: (cm) => cm.replaceSelection("  "),
    "Ctrl-S": () => save(),
    "Cmd-S": () => save(),
  },
});

/// The problems of the file in the editor, at their lines.
function annotations() {
  return ws.problems
    .filter((p) => p.line > 0 && (p.file === ws.file || p.file === ""))
    .map((p) => ({
      from: CodeMirror.Pos(p.line - 1, Math.max(0, p.column - 1)),
      to: CodeMirror.Pos(p.line - 1, Math.max(0, p.column - 1) + 1),
      message: p.message,
      severity: p.severity,
    }));
}

let loading = false;
let pause = null;
editor.on("change", () => {
  if (loading || !ws.doc) return;
  ws.dirty = true;
  status("未保存");
  clearTimeout(pause);
  // Saved on a short pause in typing (and at once with Ctrl+S).
  pause = setTimeout(save, 400);
});

async function save() {
  clearTimeout(pause);
  if (!ws.doc || ws.saving) return;
  if (!ws.dirty) return;
  ws.saving = true;
  ws.dirty = false;
  const doc = ws.doc, file = ws.file;
  status("正在保存并生成…");
  try {
    const state = await api("PUT", `/api/docs/${enc(doc)}/files/${enc(file)}`, editor.getValue());
    if (doc === ws.doc) show(state);
  } catch (e) {
    ws.dirty = true;
    status("保存失败：" + e.message, true);
  } finally {
    ws.saving = false;
    if (ws.dirty) pause = setTimeout(save, 400);
  }
}

async function loadFile(file) {
  ws.file = file;
  for (const b of $("tabs").children) b.classList.toggle("current", b.dataset.file === file);
  let text = "";
  try {
    text = await api("GET", `/api/docs/${enc(ws.doc)}/files/${enc(file)}`, undefined, true);
  } catch (_) {
    text = ""; // not there yet: typing creates it
  }
  loading = true;
  const cursor = editor.getCursor();
  editor.setValue(typeof text === "string" ? text : "");
  editor.setCursor(cursor);
  editor.clearHistory();
  loading = false;
  ws.dirty = false;
  editor.performLint();
}

// --- Documents ------------------------------------------------------------

async function loadDocs() {
  const r = await api("GET", "/api/docs");
  ws.editable = r.editable;
  $("root").textContent = "文件夹：" + r.root;
  const list = $("docs");
  list.replaceChildren();
  for (const name of r.documents) {
    const li = el("li", name);
    li.dataset.name = name;
    li.classList.toggle("current", name === ws.doc);
    li.addEventListener("click", () => openDoc(name));
    list.append(li);
  }
  if (!ws.doc && r.documents.length) openDoc(r.documents[0]);
}

async function openDoc(name) {
  if (ws.dirty) await save();
  ws.doc = name;
  ws.version = -1;
  ws.stamps = {};
  ws.pages = [];
  $("pages").replaceChildren();
  $("doc-name").textContent = name;
  for (const li of $("docs").children) li.classList.toggle("current", li.dataset.name === name);
  for (const b of document.querySelectorAll("header button")) b.disabled = false;
  const tabs = $("tabs");
  tabs.replaceChildren();
  for (const f of ws.editable) {
    const b = el("button", f);
    b.dataset.file = f;
    b.addEventListener("click", async () => { if (ws.dirty) await save(); loadFile(f); });
    tabs.append(b);
  }
  status("正在生成…");
  await loadFile("公文.yaml");
  await refresh();
}

/// Asks for the document's state (the server rebuilds when a file changed
/// on disk) and shows what changed.
async function refresh() {
  if (!ws.doc || ws.saving || ws.dirty) return;
  const doc = ws.doc;
  try {
    const state = await api("GET", `/api/docs/${enc(doc)}/state`);
    if (doc !== ws.doc || ws.dirty || ws.saving) return;
    const stamp = state.files[ws.file];
    if (ws.stamps[ws.file] !== undefined && stamp !== ws.stamps[ws.file]) {
      // Changed on disk by something else (a text editor, git): reload.
      await loadFile(ws.file);
    }
    show(state);
  } catch (e) {
    status(e.message, true);
  }
}

function show(state) {
  ws.stamps = state.files;
  ws.problems = state.problems;
  editor.performLint();
  showProblems();
  if (state.version !== ws.version) {
    ws.version = state.version;
    showPages(state.pages);
  }
  const errors = state.problems.filter((p) => p.severity === "error");
  if (errors.length) {
    status(`有 ${errors.length} 处错误`, true);
    const banner = $("banner");
    banner.hidden = false;
    banner.textContent = (ws.pages.length ? "内容有错误，右侧仍是上一次成功生成的页面：\n" : "内容有错误：\n") +
      errors.map((p) => p.message).join("\n");
  } else {
    $("banner").hidden = true;
    status(`已保存，共 ${state.pages.length} 页`);
  }
}

function showProblems() {
  const list = $("problems");
  list.replaceChildren();
  for (const p of ws.problems) {
    const li = el("li", p.message, p.severity);
    if (p.line > 0 && (p.file === ws.file || p.file === "")) {
      li.addEventListener("click", () => {
        editor.setCursor({ line: p.line - 1, ch: Math.max(0, p.column - 1) });
        editor.focus();
      });
    }
    list.append(li);
  }
}

function showPages(pages) {
  const box = $("pages");
  ws.pages = pages;
  pages.forEach((p, i) => {
    let img = box.children[i];
    if (!img) {
      img = el("img");
      img.alt = `第 ${i + 1} 页`;
      box.append(img);
    }
    if (img.dataset.hash !== p.hash) {
      img.dataset.hash = p.hash;
      img.dataset.index = String(i);
      img.src = `/api/docs/${enc(ws.doc)}/pages/${i}?v=${p.hash}`;
    }
  });
  while (box.children.length > pages.length) box.lastChild.remove();
}

// Scrolled to where the editor is: the page holding the current line's text.
let follow = null;
editor.on("cursorActivity", () => {
  clearTimeout(follow);
  follow = setTimeout(() => {
    const line = editor.getLine(editor.getCursor().line) || "";
    const value = line.replace(/^\s*(-\s+)?([^:：]*:\s*)?/, "").replace(/["'|>]/g, "");
    const runs = value.match(/[\u3400-\u9fff\uff00-\uffef0-9A-Za-z]{4,}/g) || [];
    const probe = runs.sort((a, b) => b.length - a.length)[0];
    if (!probe) return;
    const needle = probe.slice(0, 12);
    const at = ws.pages.findIndex((p) => p.text.includes(needle));
    const img = $("pages").children[at];
    if (at < 0 || !img) return;
    // Only the pages scroll, never the whole window.
    const pane = $("pages-pane");
    const top = img.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    const bottom = top + img.getBoundingClientRect().height;
    if (top > pane.clientHeight || bottom < 0) pane.scrollTop += top - 8;
  }, 250);
});

// --- New documents and drafts --------------------------------------------

async function loadStarters() {
  const kinds = await api("GET", "/api/starters");
  const sel = $("new-kind");
  for (const k of kinds) sel.append(el("option", k));
}

$("new-doc").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const name = $("new-name").value.trim();
  try {
    await api("POST", "/api/docs", { kind: $("new-kind").value, name });
    $("new-name").value = "";
    await loadDocs();
    await openDoc(name);
  } catch (e) {
    status(e.message, true);
  }
});

/// A drop zone: files dropped (or chosen by clicking) go to `send`.
function dropZone(id, accept, send) {
  const zone = $(id);
  const picker = el("input");
  picker.type = "file";
  picker.multiple = true;
  picker.accept = accept;
  picker.hidden = true;
  zone.after(picker);
  zone.addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => { if (picker.files.length) send(picker.files); picker.value = ""; });
  zone.addEventListener("dragover", (ev) => { ev.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (ev) => {
    ev.preventDefault();
    zone.classList.remove("over");
    if (ev.dataTransfer.files.length) send(ev.dataTransfer.files);
  });
}

function formOf(files) {
  const form = new FormData();
  for (const f of files) form.append("file", f, f.name);
  return form;
}

dropZone("import-drop", ".docx,.txt", async (files) => {
  status("正在导入…");
  try {
    const r = await api("POST", "/api/import", formOf([files[0]]));
    await loadDocs();
    await openDoc(r.name);
    ws.problems = ws.problems.concat(r.report.map((m) => ({ severity: "warning", file: "", line: 0, column: 0, message: m })));
    showProblems();
  } catch (e) {
    status("导入失败：" + e.message, true);
  }
});

// --- Products -------------------------------------------------------------

function fileLinks(files) {
  const p = el("p");
  for (const f of files) {
    const a = el("a", f.name, "file");
    a.href = f.url;
    a.download = "";
    p.append(a);
  }
  return p;
}

function table(rows) {
  const t = el("table");
  rows.forEach((row, i) => {
    const tr = el("tr");
    for (const c of row) tr.append(el(i === 0 ? "th" : "td", c));
    t.append(tr);
  });
  return t;
}

for (const b of document.querySelectorAll("#downloads button")) {
  b.addEventListener("click", async () => {
    if (ws.dirty) await save();
    status("正在生成 " + b.textContent + "…");
    try {
      const r = await api("POST", `/api/docs/${enc(ws.doc)}/build`, { formats: [b.dataset.format] });
      status("已生成 " + r.files.map((f) => f.name).join("、"));
      const f = r.files[0];
      if (f) {
        const a = el("a");
        a.href = f.url;
        a.download = "";
        document.body.append(a);
        a.click();
        a.remove();
      }
    } catch (e) {
      status("生成失败：" + e.message, true);
    }
  });
}

function openPanel(which) {
  $("panel").hidden = false;
  $("panel-forms").hidden = which !== "forms";
  $("panel-tasks").hidden = which !== "tasks";
  $("panel-title").textContent = which === "forms" ? "统计表：分发与汇总" : "任务分工与督办";
}
$("open-forms").addEventListener("click", () => openPanel("forms"));
$("open-tasks").addEventListener("click", () => openPanel("tasks"));
$("panel-close").addEventListener("click", () => { $("panel").hidden = true; });

$("make-forms").addEventListener("click", async () => {
  const out = $("forms-links");
  out.textContent = "正在生成…";
  try {
    const r = await api("POST", `/api/docs/${enc(ws.doc)}/forms`, { xlsx: true });
    out.replaceChildren(fileLinks(r.zip ? [r.zip] : []), el("span", `共 ${r.files.length} 个文件`));
    for (const f of r.failures) out.append(el("p", "失败：" + f, "error"));
  } catch (e) {
    out.textContent = "生成失败：" + e.message;
  }
});

dropZone("returns-drop", ".xlsx,.xls,.et,.ods,.csv,.yaml,.yml", async (files) => {
  const out = $("returns-out");
  out.textContent = "正在校验和汇总…";
  try {
    const r = await api("POST", `/api/docs/${enc(ws.doc)}/returns`, formOf(files));
    const pages = r.pages.map((src, i) => {
      const img = el("img", undefined, "summary-page");
      img.src = src;
      img.alt = `汇总表第 ${i + 1} 页`;
      return img;
    });
    out.replaceChildren(
      el("h3", "校验报告"), el("pre", r.report),
      el("h3", "汇总"), table(r.summary), ...pages,
      el("h3", "催报名单"), el("pre", r.reminders),
      fileLinks(r.files));
  } catch (e) {
    out.textContent = "失败：" + e.message;
  }
});

$("make-tasks").addEventListener("click", async () => {
  const out = $("tasks-out");
  out.textContent = "正在生成…";
  try {
    const r = await api("POST", `/api/docs/${enc(ws.doc)}/tasks`);
    out.replaceChildren(el("p", `共 ${r.tasks} 项任务`), table(r.table), fileLinks(r.files));
  } catch (e) {
    out.textContent = "生成失败：" + e.message;
  }
});

dropZone("progress-drop", ".xlsx,.xls,.et,.ods,.csv,.yaml,.yml", async (files) => {
  const out = $("tasks-out");
  out.textContent = "正在汇总进度…";
  try {
    const r = await api("POST", `/api/docs/${enc(ws.doc)}/progress`, formOf(files));
    out.replaceChildren(el("p", `逾期 ${r.overdue} 项`), table(r.table),
      ...r.problems.map((p) => el("p", "提示：" + p)), fileLinks(r.files));
  } catch (e) {
    out.textContent = "失败：" + e.message;
  }
});

// --- Start ----------------------------------------------------------------

window.addEventListener("beforeunload", (ev) => { if (ws.dirty) { save(); ev.preventDefault(); } });
loadStarters().catch((e) => status(e.message, true));
loadDocs().catch((e) => status(e.message, true));
// A change made on disk shows within a second.
setInterval(refresh, 1000);
