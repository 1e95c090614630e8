// The report page's style sheet and script. The script reads the JSON in #report-data
// (cli/report_data.h) and builds every view from it with text nodes only; long lists (the
// timeline, the objects) draw only the rows in view, so 40,000 commits scroll like 40.
#include "cli/report_html.h"

namespace strata::cli {

const char* ReportStyle() {
  return R"css(
:root { --fg:#1d232b; --dim:#68717d; --line:#d9dee4; --bg:#fff; --hl:#eef4ff; --add:#e6f7ea;
  --del:#fdeceb; --acc:#2457c5; --warn:#a15c00; --bad:#b3261e; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color:var(--fg); background:var(--bg); }
header { padding:10px 16px; border-bottom:1px solid var(--line); }
header h1 { font-size:18px; margin:0 0 4px 0; }
.dim { color:var(--dim); }
.mono, pre, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size:12.5px; }
#filters { display:flex; flex-wrap:wrap; gap:10px; padding:8px 16px; background:#f6f8fa;
  border-bottom:1px solid var(--line); align-items:end; }
#filters label { display:flex; flex-direction:column; font-size:12px; color:var(--dim); }
#filters input, #filters select { font:inherit; padding:3px 5px; min-width:140px; }
nav { display:flex; gap:4px; padding:8px 16px 0 16px; border-bottom:1px solid var(--line); }
nav button { font:inherit; border:1px solid var(--line); border-bottom:none; background:#f6f8fa;
  padding:6px 14px; cursor:pointer; border-radius:6px 6px 0 0; }
nav button.active { background:var(--bg); font-weight:600; position:relative; top:1px; }
main { padding:10px 16px; }
.view { display:none; }
.view.active { display:block; }
.split { display:grid; grid-template-columns: minmax(0,1.6fr) minmax(0,1fr); gap:14px; }
.split.wide-detail { grid-template-columns: minmax(0,1fr) minmax(0,1.5fr); }
.list { position:relative; height:62vh; overflow-y:auto; border:1px solid var(--line);
  border-radius:6px; }
.row { position:absolute; left:0; right:0; height:28px; display:flex; align-items:center;
  gap:8px; padding:0 8px; border-bottom:1px solid #f0f2f4; cursor:pointer; white-space:nowrap; }
.row:hover { background:#f6f8fa; }
.row.selected { background:var(--hl); }
.row .c-seq { width:64px; text-align:right; color:var(--acc); font-variant-numeric:tabular-nums; }
.row .c-time { width:160px; color:var(--dim); }
.row .c-actor { width:130px; overflow:hidden; text-overflow:ellipsis; }
.row .c-origin { width:70px; color:var(--warn); }
.row .c-schema { width:80px; color:var(--dim); overflow:hidden; text-overflow:ellipsis; }
.row .c-msg { flex:1; min-width:80px; overflow:hidden; text-overflow:ellipsis; }
.row > span:not(.c-msg):not(.c-name), .row > button { flex-shrink:0; }
.row .c-n { width:44px; text-align:right; color:var(--dim); }
.row .c-name { flex:1; overflow:hidden; text-overflow:ellipsis; }
.pick { font:11px monospace; padding:0 5px; border:1px solid var(--line); background:#fff;
  cursor:pointer; border-radius:3px; }
.pick.on { background:var(--acc); color:#fff; }
.panel { border:1px solid var(--line); border-radius:6px; padding:10px 12px; min-height:100px;
  overflow:auto; max-height:78vh; }
.panel h2 { font-size:15px; margin:0 0 6px 0; word-break:break-all; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:3px 6px; border-bottom:1px solid #eef0f2; vertical-align:top; }
th { font-size:12px; color:var(--dim); font-weight:600; }
tr.clickable { cursor:pointer; }
tr.clickable:hover { background:#f6f8fa; }
tr.selected { background:var(--hl); }
.sign { font-family:monospace; font-weight:700; }
.s-plus { color:#1a7f37; } .s-minus { color:var(--bad); } .s-tilde { color:var(--warn); }
.s-bang { color:var(--bad); }
.blame td { padding:0 6px; border:none; white-space:pre; }
.blame td.who { color:var(--dim); font-size:11px; border-right:1px solid var(--line);
  white-space:nowrap; cursor:pointer; }
.sbs { table-layout:fixed; margin-bottom:14px; }
.sbs td { white-space:pre-wrap; word-break:break-all; padding:0 6px; border:none;
  font-family:ui-monospace, "DejaVu Sans Mono", monospace; font-size:12px; }
.sbs td.no { width:40px; color:var(--dim); text-align:right; }
.sbs td.del { background:var(--del); } .sbs td.add { background:var(--add); }
.sbs td.gap { color:var(--dim); background:#f6f8fa; }
.ok { color:#1a7f37; } .bad { color:var(--bad); } .partial { color:var(--warn); }
.lanes { border:1px solid var(--line); border-radius:6px; padding:6px 10px; margin-bottom:12px; }
.lane { display:flex; align-items:center; height:26px; }
.lane .name { width:160px; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.lane .track { position:relative; flex:1; height:2px; background:var(--line); }
.dot { position:absolute; top:-6px; width:12px; height:12px; border-radius:50%;
  margin-left:-6px; cursor:pointer; border:2px solid #fff; }
.dot.succeeded { background:#1a7f37; } .dot.failed { background:var(--bad); }
.dot.partial, .dot.unknown { background:var(--warn); }
.note { background:#fff8e6; border:1px solid #f0d9a8; padding:6px 10px; border-radius:6px;
  margin:6px 0; }
.diffbar { display:flex; gap:8px; align-items:end; margin-bottom:10px; flex-wrap:wrap; }
.diffbar label { display:flex; flex-direction:column; font-size:12px; color:var(--dim); }
.diffbar input { font:inherit; width:110px; padding:3px 5px; }
button.act { font:inherit; padding:4px 12px; cursor:pointer; }
a.link { color:var(--acc); cursor:pointer; text-decoration:underline; }
)css";
}

const char* ReportScript() {
  return R"js('use strict';
(function () {
  const D = JSON.parse(document.getElementById('report-data').textContent);
  const ROW = 28;
  const DIFF_PAGE = 25;
  const FATES = ['', 'dropped', 'renamed'];  // what became of an object (objects.fate)
  const C = D.commits;
  const O = D.objects;
  const DEP = D.deployments && D.deployments.seq ? D.deployments : null;
  const commitRow = new Map();
  C.seq.forEach((s, i) => commitRow.set(s, i));
  const X = D.extra_commits;
  const extraRow = new Map();
  X.seq.forEach((s, i) => extraRow.set(s, i));
  // Who made commit `seq`, when and why: from the timeline, or from the commits kept for
  // embedded versions older than it.
  function commitInfo(seq) {
    const r = commitRow.get(seq);
    if (r !== undefined) return { time: C.time[r], actor: C.actor[r], message: C.message[r] };
    const e = extraRow.get(seq);
    return { time: X.time[e], actor: X.actor[e], message: X.message[e] };
  }
  const depBySeq = new Map();
  if (DEP) DEP.seq.forEach((s, i) => depBySeq.set(s, i));
  const state = { schema: '', object: '', actor: '', since: null, until: null,
                  commit: null, object_id: null, a: null, b: null };

  // ---- helpers: every value from the log becomes a text node, never markup
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    if (props) {
      for (const k of Object.keys(props)) {
        const v = props[k];
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, String(v));
      }
    }
    for (const kid of kids) {
      if (kid === null || kid === undefined) continue;
      e.append(kid instanceof Node ? kid : String(kid));
    }
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function fmtTime(s) { return new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ') + 'Z'; }
  function signClass(s) {
    return s === '+' ? 's-plus' : s === '-' ? 's-minus' : s === '!' ? 's-bang' : 's-tilde';
  }
  const $ = (id) => document.getElementById(id);

  // ---- objects: seqs (delta-encoded), details rebuilt from line edits on demand
  const seqCache = new Map();
  function objectSeqs(i) {
    let s = seqCache.get(i);
    if (!s) {
      s = []; let prev = 0;
      for (const d of O.seqs[i]) { prev += d; s.push(prev); }
      seqCache.set(i, s);
    }
    return s;
  }
  const versionCache = new Map();
  // Each version's lines, and for each line the version that wrote it (blame).
  function versions(i) {
    const k = O.detail[i];
    if (k < 0) return null;
    let vs = versionCache.get(k);
    if (vs) return vs;
    vs = [];
    let lines = [], origin = [];
    D.details[k].versions.forEach((v, n) => {
      const nl = [], no = [];
      let cur = 0;
      const keep = (to) => { for (; cur < to; ++cur) { nl.push(lines[cur]); no.push(origin[cur]); } };
      for (const [at, deleted, added] of v.edit) {
        keep(at);
        for (const line of added) { nl.push(line); no.push(n); }
        cur = at + deleted;
      }
      keep(lines.length);
      lines = nl; origin = no;
      const info = commitInfo(v.seq);
      vs.push({ v: Object.assign({}, v, info), lines: lines, origin: origin });
    });
    versionCache.set(k, vs);
    return vs;
  }
  function linesAt(i, seq) {
    const vs = versions(i);
    let found = null;
    for (const x of vs) { if (x.v.seq <= seq) found = x; else break; }
    return found && !found.v.gone ? found.lines : [];
  }
  let commitObjects = null;  // seq -> object ids, built on first use
  function objectsOfCommit(seq) {
    if (!commitObjects) {
      commitObjects = new Map();
      for (let i = 0; i < O.name.length; ++i) {
        for (const s of objectSeqs(i)) {
          let list = commitObjects.get(s);
          if (!list) { list = []; commitObjects.set(s, list); }
          list.push(i);
        }
      }
    }
    return commitObjects.get(seq) || [];
  }

  // ---- filters
  function objectMatches(i) {
    if (state.schema !== '' && O.schema[i] !== Number(state.schema)) return false;
    if (state.object !== '' && !O.name[i].toLowerCase().includes(state.object.toLowerCase())) return false;
    return true;
  }
  function timelineRows() {
    let seqs = null;
    if (state.object !== '') {
      seqs = new Set();
      for (let i = 0; i < O.name.length; ++i) {
        if (objectMatches(i)) for (const s of objectSeqs(i)) seqs.add(s);
      }
    }
    const rows = [];
    for (let r = C.seq.length - 1; r >= 0; --r) {
      if (state.schema !== '' && C.schema[r] !== Number(state.schema)) continue;
      if (state.actor !== '' && C.actor[r] !== Number(state.actor)) continue;
      if (state.since !== null && C.time[r] < state.since) continue;
      if (state.until !== null && C.time[r] > state.until) continue;
      if (seqs && !seqs.has(C.seq[r])) continue;
      rows.push(r);
    }
    return rows;
  }

  // ---- a list that draws only the rows in view
  function virtualList(container, draw) {
    const spacer = el('div', { style: 'position:relative' });
    container.append(spacer);
    let items = [];
    function paint() {
      const first = Math.max(0, Math.floor(container.scrollTop / ROW) - 5);
      const last = Math.min(items.length, first + Math.ceil(container.clientHeight / ROW) + 10);
      clear(spacer);
      for (let n = first; n < last; ++n) {
        const row = draw(items[n]);
        row.style.top = (n * ROW) + 'px';
        spacer.append(row);
      }
    }
    container.addEventListener('scroll', paint);
    return {
      set(list) { items = list; spacer.style.height = (items.length * ROW) + 'px';
                  container.scrollTop = 0; paint(); },
      repaint: paint,
      scrollTo(n) { container.scrollTop = Math.max(0, n * ROW - container.clientHeight / 2); paint(); },
      get items() { return items; },
    };
  }

  // ---- page skeleton
  const truncatedCommits = C.seq.length < (D.range_commits || C.seq.length);
  const detailed = O.detail.filter((d) => d >= 0).length;
  document.title = document.title || 'strata report';
  const header = el('header', null,
    el('h1', { text: 'strata report' }),
    el('div', { class: 'dim', id: 'summary' },
      `generated ${D.generated} · log head seq ${D.head} · ${C.seq.length} commits in the timeline` +
      ` · ${O.name.length} objects (${detailed} with full history) · ` +
      `${DEP ? DEP.seq.length : 0} deployments`));
  const notes = el('div', { id: 'notes' });
  if (D.from > 1 || D.until < D.head || truncatedCommits) {
    notes.append(el('div', { class: 'note' },
      `The timeline holds seqs ${C.seq.length ? C.seq[0] : '-'} to ${D.until}` +
      (truncatedCommits ? ` (the newest ${C.seq.length} of ${D.range_commits} commits; --max-commits)` : '') + '.'));
  }
  if (detailed < O.name.length) {
    notes.append(el('div', { class: 'note' },
      `Full histories (text, blame, side-by-side diffs) are embedded for ${detailed} of ` +
      `${O.name.length} objects; the others list the commits that touched them. ` +
      'Run strata report --objects NAME to embed others.'));
  }
  header.append(notes);

  const fSchema = el('select', { id: 'f-schema' }, el('option', { value: '', text: 'all schemas' }));
  // Tags and log moves belong to no schema.
  D.schemas.forEach((s, i) => fSchema.append(el('option', { value: i, text: s || '(no schema)' })));
  const fActor = el('select', { id: 'f-actor' }, el('option', { value: '', text: 'all actors' }));
  D.actors.map((a, i) => [a, i]).sort((x, y) => x[0].localeCompare(y[0]))
    .forEach(([a, i]) => fActor.append(el('option', { value: i, text: a })));
  const fObject = el('input', { id: 'f-object', type: 'search', placeholder: 'name contains…' });
  const fSince = el('input', { id: 'f-since', type: 'date' });
  const fUntil = el('input', { id: 'f-until', type: 'date' });
  const count = el('span', { id: 'f-count', class: 'dim' });
  const filters = el('div', { id: 'filters' },
    el('label', null, 'schema', fSchema), el('label', null, 'object', fObject),
    el('label', null, 'actor', fActor), el('label', null, 'since', fSince),
    el('label', null, 'until', fUntil), count);

  const views = {};
  const nav = el('nav');
  for (const [id, label] of [['timeline', 'Timeline'], ['objects', 'Objects'],
                             ['diff', 'Diff'], ['deployments', 'Deployments']]) {
    nav.append(el('button', { id: 'tab-' + id, text: label, onclick: () => show(id) }));
    views[id] = el('section', { class: 'view', id: 'view-' + id });
  }
  const main = el('main', null, ...Object.values(views));
  document.body.append(header, filters, nav, main);
  function show(id) {
    for (const k of Object.keys(views)) {
      views[k].classList.toggle('active', k === id);
      $('tab-' + k).classList.toggle('active', k === id);
    }
    if (id === 'timeline') timeline.repaint();
    if (id === 'objects') objectList.repaint();
  }

  // ---- timeline
  const tlList = el('div', { class: 'list', id: 'timeline-list' });
  const commitPanel = el('div', { class: 'panel', id: 'commit-detail' },
    el('span', { class: 'dim', text: 'Click a commit to see what it changed. A and B pick the two points of a diff.' }));
  views.timeline.append(el('div', { class: 'split' }, tlList, commitPanel));
  function pickButton(which, seq) {
    const on = state[which] === seq;
    return el('button', { class: 'pick' + (on ? ' on' : ''), text: which.toUpperCase(),
      title: `compare from/to seq ${seq}`, 'data-pick': which,
      onclick: (ev) => { ev.stopPropagation(); pick(which, seq); } });
  }
  const timeline = virtualList(tlList, (r) => {
    const seq = C.seq[r];
    return el('div', { class: 'row tl-row' + (state.commit === seq ? ' selected' : ''),
                       'data-seq': seq, onclick: () => showCommit(seq) },
      el('span', { class: 'c-seq', text: seq }), el('span', { class: 'c-time', text: fmtTime(C.time[r]) }),
      el('span', { class: 'c-actor', text: D.actors[C.actor[r]], title: D.actors[C.actor[r]] }),
      el('span', { class: 'c-origin', text: D.origins[C.origin[r]] }),
      el('span', { class: 'c-schema', text: D.schemas[C.schema[r]] }),
      el('span', { class: 'c-msg', text: C.message[r], title: C.message[r] }),
      el('span', { class: 'c-n', text: C.events[r] || '' }),
      pickButton('a', seq), pickButton('b', seq));
  });
  function field(name, value) { return el('tr', null, el('th', { text: name }), el('td', null, value)); }
  function objectLink(i) {
    return el('a', { class: 'link obj-link', 'data-object': O.name[i], text: O.name[i],
                     onclick: () => { show('objects'); showObject(i); } });
  }
  function showCommit(seq) {
    state.commit = seq;
    timeline.repaint();
    const panel = clear(commitPanel);
    const r = commitRow.get(seq);
    panel.append(el('h2', { text: `Commit ${seq}` }));
    const t = el('table');
    if (r !== undefined) {
      t.append(field('hash', el('code', { text: C.hash[r] })), field('time', fmtTime(C.time[r])),
               field('actor', D.actors[C.actor[r]]), field('origin', D.origins[C.origin[r]]),
               field('schema', D.schemas[C.schema[r]]), field('message', C.message[r]),
               field('changes', String(C.events[r])));
    }
    const d = depBySeq.get(seq);
    if (d !== undefined) {
      t.append(field('deployment', `${D.targets[DEP.target[d]]}: seq ${DEP.from[d]} → ${DEP.to[d]}, ` +
                                   `${DEP.outcome[d]} in ${DEP.ms[d]} ms`));
      if (DEP.detail[d]) t.append(field('detail', DEP.detail[d]));
    }
    for (const tag of D.tags) if (tag.seq === seq) t.append(field('tag', tag.name));
    panel.append(t);
    const objs = objectsOfCommit(seq);
    if (objs.length) {
      panel.append(el('h2', { text: `Objects changed (${objs.length})` }));
      const list = el('table', { id: 'commit-objects' });
      for (const i of objs.slice(0, 500)) {
        const cell = el('td');
        const vs = versions(i);
        const v = vs && vs.find((x) => x.v.seq === seq);
        if (v) {
          for (const [s, text] of v.v.changes) {
            cell.append(el('div', null, el('span', { class: 'sign ' + signClass(s), text: s + ' ' }), text));
          }
        } else {
          cell.append(el('span', { class: 'dim', text: 'changes not embedded' }));
        }
        list.append(el('tr', null, el('td', null, objectLink(i)), cell));
      }
      panel.append(list);
      if (objs.length > 500) panel.append(el('div', { class: 'dim', text: `and ${objs.length - 500} more` }));
    }
  }

  // ---- objects
  const objList = el('div', { class: 'list', id: 'object-list' });
  const objPanel = el('div', { class: 'panel', id: 'object-detail' },
    el('span', { class: 'dim', text: 'Click an object to see its life: every change, who made it, and blame.' }));
  views.objects.append(el('div', { class: 'split wide-detail' }, objList, objPanel));
  const objectList = virtualList(objList, (i) => {
    const seqs = objectSeqs(i);
    return el('div', { class: 'row obj-row' + (state.object_id === i ? ' selected' : ''),
                       'data-name': O.name[i], onclick: () => showObject(i) },
      el('span', { class: 'c-name', text: O.name[i], title: O.name[i] }),
      el('span', { class: 'c-schema', text: D.schemas[O.schema[i]] }),
      el('span', { class: 'c-n', text: O.changes[i], title: 'commits that touched it' }),
      el('span', { class: 'c-seq', text: seqs[seqs.length - 1], title: 'last changed at seq' }),
      el('span', { class: 'c-origin', text: FATES[O.fate[i]] || (O.detail[i] >= 0 ? 'history' : '') }));
  });
  function showObject(i, selected) {
    state.object_id = i;
    objectList.repaint();
    const panel = clear(objPanel);
    panel.append(el('h2', { text: O.name[i] }),
      el('div', { class: 'dim', text: `${D.schemas[O.schema[i]]} · ${O.changes[i]} commits · ` +
                                      (FATES[O.fate[i]] || 'exists') }));
    const vs = versions(i);
    if (!vs) {
      panel.append(el('div', { class: 'note', text: 'Its text is not embedded in this report ' +
        `(strata report --objects ${O.name[i]} embeds it). The commits that touched it:` }));
      const t = el('table', { id: 'object-history' });
      for (const s of objectSeqs(i).slice().reverse()) {
        const r = commitRow.get(s);
        t.append(el('tr', { class: 'clickable', onclick: () => { show('timeline'); showCommit(s); } },
          el('td', { text: s }), el('td', { text: r === undefined ? '' : fmtTime(C.time[r]) }),
          el('td', { text: r === undefined ? '' : D.actors[C.actor[r]] }),
          el('td', { text: r === undefined ? '(outside the timeline)' : C.message[r] })));
      }
      panel.append(t);
      return;
    }
    const sel = selected === undefined ? vs.length - 1 : selected;
    panel.append(el('h2', { text: 'History' }));
    const t = el('table', { id: 'object-history' },
      el('tr', null, el('th', { text: 'seq' }), el('th', { text: 'time' }), el('th', { text: 'actor' }),
         el('th', { text: 'changes' }), el('th', { text: 'diff' })));
    for (let n = vs.length - 1; n >= 0; --n) {
      const v = vs[n].v;
      const changes = el('td');
      if (v.message) changes.append(el('div', { class: 'dim', text: v.message }));
      for (const [s, text] of v.changes) {
        changes.append(el('div', null, el('span', { class: 'sign ' + signClass(s), text: s + ' ' }), text));
      }
      t.append(el('tr', { class: 'clickable version-row' + (n === sel ? ' selected' : ''), 'data-seq': v.seq,
                          onclick: () => showObject(i, n) },
        el('td', { text: v.seq }), el('td', { text: fmtTime(v.time) }), el('td', { text: D.actors[v.actor] }),
        changes, el('td', null, pickButton('a', v.seq), ' ', pickButton('b', v.seq))));
    }
    panel.append(t);
    const at = vs[sel];
    panel.append(el('h2', { text: `Blame at seq ${at.v.seq}` }));
    if (at.v.gone) {
      panel.append(el('div', { class: 'dim', text: 'It does not exist at this point (dropped).' }));
      return;
    }
    const b = el('table', { class: 'blame', id: 'object-blame' });
    at.lines.forEach((line, n) => {
      const v = vs[at.origin[n]].v;
      b.append(el('tr', null,
        el('td', { class: 'who', text: `${v.seq} ${D.actors[v.actor]}`, title: `${fmtTime(v.time)} ${v.message}`,
                   onclick: () => { show('timeline'); showCommit(v.seq); } }),
        el('td', { class: 'mono', text: line })));
    });
    panel.append(b);
  }

  // ---- diff between two points
  const inA = el('input', { id: 'diff-a', type: 'number', min: 0, placeholder: 'seq' });
  const inB = el('input', { id: 'diff-b', type: 'number', min: 0, placeholder: 'seq' });
  const diffOut = el('div', { id: 'diff-out' });
  views.diff.append(el('div', { class: 'diffbar' },
    el('label', null, 'from seq (A)', inA), el('label', null, 'to seq (B)', inB),
    el('button', { class: 'act', id: 'diff-run', text: 'Compare', onclick: () => runDiff() }),
    el('span', { class: 'dim', text: 'Pick A and B on the timeline or in an object\'s history; the schema and object filters apply.' })),
    diffOut);
  function pick(which, seq) {
    state[which] = seq;
    (which === 'a' ? inA : inB).value = seq;
    for (const b of document.querySelectorAll('button.pick')) {
      const w = b.getAttribute('data-pick');
      const s = Number(b.closest('[data-seq]').getAttribute('data-seq'));
      b.classList.toggle('on', state[w] === s);
    }
    if (state.a !== null && state.b !== null) { show('diff'); runDiff(); }
  }
  // Line pairs of a side-by-side view: a longest common subsequence, or (for very long texts)
  // the common start and end with everything between changed.
  function sideBySide(a, b) {
    let p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) ++p;
    let s = 0;
    while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) ++s;
    const x = a.slice(p, a.length - s), y = b.slice(p, b.length - s);
    const rows = [];
    for (let i = 0; i < p; ++i) rows.push([i, a[i], i, b[i], 'same']);
    if (x.length * y.length > 4000000) {
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n; ++i) {
        rows.push([i < x.length ? p + i : null, x[i], i < y.length ? p + i : null, y[i], 'change']);
      }
    } else {
      const m = x.length, n = y.length;
      const L = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
      for (let i = m - 1; i >= 0; --i) for (let j = n - 1; j >= 0; --j) {
        L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
      }
      let i = 0, j = 0;
      const dels = [], adds = [];
      const flush = () => {
        const k = Math.max(dels.length, adds.length);
        for (let t = 0; t < k; ++t) {
          rows.push([t < dels.length ? p + dels[t] : null, x[dels[t]], t < adds.length ? p + adds[t] : null,
                     y[adds[t]], 'change']);
        }
        dels.length = 0; adds.length = 0;
      };
      while (i < m || j < n) {
        if (i < m && j < n && x[i] === y[j]) { flush(); rows.push([p + i, x[i], p + j, y[j], 'same']); ++i; ++j; }
        else if (j < n && (i === m || L[i][j + 1] >= L[i + 1][j])) adds.push(j++);
        else dels.push(i++);
      }
      flush();
    }
    for (let i = 0; i < s; ++i) {
      rows.push([a.length - s + i, a[a.length - s + i], b.length - s + i, b[b.length - s + i], 'same']);
    }
    return rows;
  }
  function sbsTable(name, a, b, seqA, seqB) {
    const t = el('table', { class: 'sbs', 'data-object': name },
      el('colgroup', null, el('col', { style: 'width:40px' }), el('col'), el('col', { style: 'width:40px' }), el('col')),
      el('tr', null, el('th', { colspan: 2, text: a.length ? `seq ${seqA}` : `seq ${seqA} (absent)` }),
                     el('th', { colspan: 2, text: b.length ? `seq ${seqB}` : `seq ${seqB} (absent)` })));
    const rows = sideBySide(a, b);
    let sameRun = 0;
    rows.forEach((r, n) => {
      const same = r[4] === 'same';
      // Long unchanged stretches fold to three lines of context on each side.
      const near = rows.slice(Math.max(0, n - 3), n + 4).some((q) => q[4] !== 'same');
      if (same && !near) {
        if (sameRun++ === 0) t.append(el('tr', null, el('td', { class: 'gap', colspan: 4, text: '⋯' })));
        return;
      }
      sameRun = 0;
      const cls = (side) => same ? '' : (side === 0 ? (r[0] === null ? 'gap' : 'del') : (r[2] === null ? 'gap' : 'add'));
      t.append(el('tr', null,
        el('td', { class: 'no', text: r[0] === null ? '' : r[0] + 1 }), el('td', { class: cls(0), text: r[1] === undefined ? '' : r[1] }),
        el('td', { class: 'no', text: r[2] === null ? '' : r[2] + 1 }), el('td', { class: cls(1), text: r[3] === undefined ? '' : r[3] })));
    });
    return t;
  }
  function runDiff() {
    const out = clear(diffOut);
    const a = Number(inA.value), b = Number(inB.value);
    if (inA.value === '' || inB.value === '') {
      out.append(el('div', { class: 'dim', text: 'Pick two points (A and B).' }));
      return;
    }
    state.a = a; state.b = b;
    const lo = Math.min(a, b), hi = Math.max(a, b);
    const differ = [];
    const others = [];
    for (let i = 0; i < O.name.length; ++i) {
      if (!objectMatches(i)) continue;
      const seqs = objectSeqs(i);
      if (!seqs.some((s) => s > lo && s <= hi)) continue;
      if (O.detail[i] < 0) { others.push(i); continue; }
      const x = linesAt(i, a), y = linesAt(i, b);
      if (x.join('\n') === y.join('\n')) continue;
      differ.push([i, x, y]);
    }
    const shown = differ.length;
    out.append(el('div', { id: 'diff-summary',
      text: `seq ${a} → seq ${b}: ${shown} object${shown === 1 ? '' : 's'} differ` +
            (others.length ? `; ${others.length} more changed whose text is not embedded` : '') + '.' }));
    // Side by side, DIFF_PAGE objects at a time: a diff across a long history stays quick.
    const tables = el('div', { id: 'diff-tables' });
    out.append(tables);
    let next = 0;
    const more = el('button', { class: 'act', id: 'diff-more' });
    const page = () => {
      for (const [i, x, y] of differ.slice(next, next + DIFF_PAGE)) {
        tables.append(el('h2', { class: 'diff-object', text: `${D.schemas[O.schema[i]]}: ${O.name[i]}` }),
                      sbsTable(O.name[i], x, y, a, b));
      }
      next += DIFF_PAGE;
      more.textContent = `show ${Math.min(DIFF_PAGE, shown - next)} more of ${shown - next}`;
      more.style.display = next < shown ? '' : 'none';
    };
    more.addEventListener('click', page);
    page();
    out.append(more);
    if (others.length) {
      const list = el('div', { class: 'dim' }, 'Changed, not embedded: ');
      others.slice(0, 50).forEach((i, n) => { if (n) list.append(', '); list.append(objectLink(i)); });
      if (others.length > 50) list.append(` and ${others.length - 50} more`);
      out.append(list);
    }
  }

  // ---- deployments per target over time
  function renderDeployments() {
    const v = clear(views.deployments);
    v.append(el('h2', { text: 'Targets' }));
    const cur = el('table', { id: 'cursors' },
      el('tr', null, el('th', { text: 'target' }), el('th', { text: 'at seq' }),
         el('th', { text: 'last deployment' }), el('th', { text: 'outcome' })));
    for (const c of D.cursors) {
      cur.append(el('tr', { class: 'clickable cursor-row', 'data-target': c.target,
                            onclick: () => { show('timeline'); showCommit(c.deployment_seq); } },
        el('td', { text: c.target }), el('td', { text: c.seq }), el('td', { text: c.deployment_seq }),
        el('td', { class: c.outcome === 'succeeded' ? 'ok' : c.outcome === 'failed' ? 'bad' : 'partial', text: c.outcome })));
    }
    v.append(cur);
    if (!DEP) { v.append(el('div', { class: 'dim', text: 'No deployments recorded.' })); return; }
    const rows = [];
    for (let d = DEP.seq.length - 1; d >= 0; --d) {
      if (state.actor !== '' && DEP.actor[d] !== Number(state.actor)) continue;
      if (state.since !== null && DEP.time[d] < state.since) continue;
      if (state.until !== null && DEP.time[d] > state.until) continue;
      rows.push(d);
    }
    const t0 = DEP.time.reduce((a, b) => Math.min(a, b)), t1 = DEP.time.reduce((a, b) => Math.max(a, b));
    const lanes = el('div', { class: 'lanes', id: 'lanes' });
    D.targets.forEach((name, ti) => {
      const track = el('div', { class: 'track' });
      for (const d of rows) {
        if (DEP.target[d] !== ti) continue;
        const x = t1 > t0 ? (DEP.time[d] - t0) / (t1 - t0) * 100 : 50;
        track.append(el('span', { class: 'dot ' + DEP.outcome[d], style: `left:${x.toFixed(2)}%`,
          title: `seq ${DEP.seq[d]}: ${DEP.from[d]} → ${DEP.to[d]} ${DEP.outcome[d]} ${fmtTime(DEP.time[d])}`,
          onclick: () => { show('timeline'); showCommit(DEP.seq[d]); } }));
      }
      lanes.append(el('div', { class: 'lane' }, el('span', { class: 'name', text: name, title: name }), track));
    });
    v.append(el('h2', { text: 'Over time' }), lanes);
    const t = el('table', { id: 'deployments' },
      el('tr', null, ...['seq', 'time', 'target', 'from → to', 'outcome', 'duration', 'by', 'detail']
        .map((h) => el('th', { text: h }))));
    for (const d of rows.slice(0, 5000)) {
      t.append(el('tr', { class: 'clickable dep-row', 'data-seq': DEP.seq[d],
                          onclick: () => { show('timeline'); showCommit(DEP.seq[d]); } },
        el('td', { text: DEP.seq[d] }), el('td', { text: fmtTime(DEP.time[d]) }),
        el('td', { text: D.targets[DEP.target[d]] }), el('td', { text: `${DEP.from[d]} → ${DEP.to[d]}` }),
        el('td', { class: DEP.outcome[d] === 'succeeded' ? 'ok' : DEP.outcome[d] === 'failed' ? 'bad' : 'partial',
                   text: DEP.outcome[d] }),
        el('td', { text: `${DEP.ms[d]} ms` }), el('td', { text: D.actors[DEP.actor[d]] }),
        el('td', { text: DEP.detail[d] })));
    }
    v.append(el('h2', { text: 'Deployments' }), t);
  }

  // ---- wiring
  function dayStart(v) { return v ? Date.parse(v + 'T00:00:00Z') / 1000 : null; }
  function applyFilters() {
    state.schema = fSchema.value; state.actor = fActor.value; state.object = fObject.value.trim();
    state.since = dayStart(fSince.value);
    state.until = fUntil.value ? dayStart(fUntil.value) + 86399 : null;
    const rows = timelineRows();
    timeline.set(rows);
    const objs = [];
    for (let i = 0; i < O.name.length; ++i) if (objectMatches(i)) objs.push(i);
    objs.sort((x, y) => { const a = objectSeqs(x), b = objectSeqs(y); return b[b.length - 1] - a[a.length - 1]; });
    objectList.set(objs);
    count.textContent = `${rows.length} commits, ${objs.length} objects`;
    renderDeployments();
    if (views.diff.classList.contains('active') && inA.value !== '' && inB.value !== '') runDiff();
  }
  for (const f of [fSchema, fActor, fSince, fUntil]) f.addEventListener('change', applyFilters);
  fObject.addEventListener('input', applyFilters);
  show('timeline');
  applyFilters();
  window.strataReport = { ready: true, readyAt: performance.now(), commits: C.seq.length,
                          objects: O.name.length };
})();
)js";
}

}  // namespace strata::cli
