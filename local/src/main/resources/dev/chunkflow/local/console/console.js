'use strict';
(function () {
  const COLORS = { notrun: '#d9d9d9', running: '#4a90d9', succeeded: '#3c9a50', failed: '#d0392b', caught: '#e69a28' };
  const SVGNS = 'http://www.w3.org/2000/svg';
  const embedded = window.CHUNKFLOW_DATA;
  let current = null;
  let timer = null;

  function el(tag, attrs, text) {
    const e = tag.startsWith('svg:') ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmtTime(s) { return s ? new Date(s * 1000).toISOString().replace('T', ' ').replace('Z', '') : ''; }
  function fmtBytes(n) { return n >= 1024 ? (n / 1024).toFixed(1) + ' KiB' : n + ' B'; }
  function utf8Len(s) { return new TextEncoder().encode(s).length; }

  async function getJson(path) {
    const r = await fetch(path, { cache: 'no-store' });
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
    return r.json();
  }

  function showList(list) {
    const body = document.querySelector('#executions tbody');
    body.replaceChildren();
    for (const e of list.executions) {
      const tr = el('tr', { class: 'exec', 'data-name': e.name });
      tr.append(el('td', {}, e.name), el('td', { class: 'status-' + e.status }, e.status), el('td', {}, fmtTime(e.startDate)),
        el('td', {}, e.stopDate ? ((e.stopDate - e.startDate).toFixed(1) + ' s') : ''));
      tr.addEventListener('click', () => { location.hash = 'execution=' + encodeURIComponent(e.name); });
      body.append(tr);
    }
  }

  // ---- the graph: top-level states by breadth-first depth from StartAt; Map states list their inner states
  function transitions(s) {
    const out = [];
    if (s.Next) out.push(s.Next);
    if (s.Default) out.push(s.Default);
    for (const c of s.Choices || []) if (c.Next) out.push(c.Next);
    for (const c of s.Catch || []) if (c.Next) out.push(c.Next);
    return out;
  }
  function layers(def) {
    const depth = {}, order = [];
    const queue = [def.StartAt];
    depth[def.StartAt] = 0;
    while (queue.length) {
      const n = queue.shift();
      order.push(n);
      for (const t of transitions(def.States[n] || {})) if (!(t in depth)) { depth[t] = depth[n] + 1; queue.push(t); }
    }
    for (const n of Object.keys(def.States)) if (!(n in depth)) { depth[n] = 0; order.push(n); }
    const rows = [];
    for (const n of order) (rows[depth[n]] = rows[depth[n]] || []).push(n);
    return rows.filter(Boolean);
  }
  function innerStates(s) {
    const p = s.ItemProcessor || s.Iterator;
    return p ? Object.keys(p.States) : [];
  }
  function stateStatus(data) {
    const entered = {}, exited = {}, failedTypes = {};
    const count = (name, type) => {
      if (!name) return;
      if (type.endsWith('StateEntered')) { entered[name] = (entered[name] || 0) + 1; if (type === 'FailStateEntered') failedTypes[name] = true; }
      if (type.endsWith('StateExited')) exited[name] = (exited[name] || 0) + 1;
    };
    for (const e of data.history) {
      const d = e.stateEnteredEventDetails || e.stateExitedEventDetails;
      count(d && d.name, e.type);
    }
    for (const c of data.children) count(c.name, c.type);
    const running = data.execution.status === 'RUNNING';
    const status = {};
    for (const n of Object.keys(entered)) {
      const open = entered[n] - (exited[n] || 0);
      if (failedTypes[n]) status[n] = 'failed';
      else if (open > 0) status[n] = running ? 'running' : 'failed';
      else status[n] = 'succeeded';
    }
    return status;
  }
  function drawGraph(data) {
    const def = data.definition, status = stateStatus(data), rows = layers(def);
    const W = 200, GAP = 36, ROWH = 46;
    const heights = {};
    for (const n of Object.keys(def.States)) heights[n] = 40 + innerStates(def.States[n]).length * 24 + (def.States[n].Type === 'Map' ? 22 : 0);
    const rowH = rows.map(r => Math.max(...r.map(n => heights[n])));
    const width = Math.max(...rows.map(r => r.length)) * (W + GAP) + GAP;
    const height = rowH.reduce((a, b) => a + b + ROWH, ROWH);
    const svg = el('svg:svg', { width, height, id: 'graph-svg' });
    const pos = {};
    let y = 20;
    rows.forEach((r, i) => {
      const x0 = (width - r.length * (W + GAP) + GAP) / 2;
      r.forEach((n, j) => { pos[n] = { x: x0 + j * (W + GAP), y, h: heights[n] }; });
      y += rowH[i] + ROWH;
    });
    const edges = el('svg:g', { class: 'edges' });
    for (const n of Object.keys(def.States)) for (const t of transitions(def.States[n])) {
      const a = pos[n], b = pos[t];
      if (!a || !b) continue;
      edges.append(el('svg:line', { x1: a.x + W / 2, y1: a.y + a.h, x2: b.x + W / 2, y2: b.y, stroke: '#999', 'stroke-width': 1.2 }));
    }
    svg.append(edges);
    for (const n of Object.keys(def.States)) {
      const s = def.States[n], p = pos[n], st = status[n] || 'notrun';
      const g = el('svg:g', { class: 'state', 'data-state': n, 'data-status': st, 'data-type': s.Type });
      g.append(el('svg:rect', { x: p.x, y: p.y, width: W, height: p.h, rx: 6, fill: COLORS[st], stroke: '#555' }));
      g.append(el('svg:text', { x: p.x + 8, y: p.y + 17, fill: st === 'notrun' ? '#222' : '#fff', 'font-weight': 600 }, n));
      g.append(el('svg:text', { x: p.x + 8, y: p.y + 32, fill: st === 'notrun' ? '#555' : '#eee' }, s.Type));
      let iy = p.y + 40;
      if (s.Type === 'Map') {
        const c = (data.mapProgress || {})[n] || { succeeded: 0, failed: 0, running: 0, total: 0 };
        const t = el('svg:text', { x: p.x + 8, y: iy + 12, fill: '#fff', class: 'map-counts', 'data-succeeded': c.succeeded,
          'data-failed': c.failed, 'data-running': c.running, 'data-total': c.total },
          '\u2713 ' + c.succeeded + '  \u2717 ' + c.failed + '  \u25B6 ' + c.running + '  / ' + c.total);
        g.append(t);
        iy += 22;
      }
      for (const inner of innerStates(s)) {
        const ist = status[inner] || 'notrun';
        const ig = el('svg:g', { class: 'state inner', 'data-state': inner, 'data-status': ist });
        ig.append(el('svg:rect', { x: p.x + 10, y: iy, width: W - 20, height: 20, rx: 4, fill: COLORS[ist], stroke: '#fff' }));
        ig.append(el('svg:text', { x: p.x + 16, y: iy + 14, fill: ist === 'notrun' ? '#222' : '#fff' }, inner));
        g.append(ig);
        iy += 24;
      }
      svg.append(g);
    }
    const legend = el('div', { class: 'legend' });
    for (const [k, v] of Object.entries(COLORS)) if (k !== 'caught') { const s = el('span', {}, k); s.prepend(el('i', { style: 'background:' + v })); legend.append(s); }
    document.getElementById('graph').replaceChildren(svg, legend);
  }

  // ---- payload sizes per state against the limit
  function drawPayloads(data) {
    const sizes = {};
    const note = (name, bytes) => { if (name) sizes[name] = Math.max(sizes[name] || 0, bytes); };
    for (const e of data.history) {
      const d = e.stateEnteredEventDetails || e.stateExitedEventDetails;
      if (d && d.name) note(d.name, utf8Len(d.input !== undefined ? d.input : (d.output || '')));
    }
    for (const c of data.children) note(c.name, Math.max(c.inputBytes || 0, c.outputBytes || 0));
    const names = Object.keys(sizes), limit = data.payloadLimit;
    const W = 520, LABEL = 190, ROW = 20;
    const svg = el('svg:svg', { width: LABEL + W + 110, height: names.length * ROW + 30, id: 'payload-svg' });
    const scale = b => W * Math.log2(b + 1) / Math.log2(limit + 1);
    names.forEach((n, i) => {
      const y = 10 + i * ROW, b = sizes[n];
      svg.append(el('svg:text', { x: 4, y: y + 13 }, n));
      svg.append(el('svg:rect', { class: 'payload-bar', 'data-state': n, 'data-bytes': b, x: LABEL, y: y + 2, height: ROW - 6,
        width: Math.max(1, Math.min(W, scale(b))), fill: b > limit ? COLORS.failed : '#4a90d9' }));
      svg.append(el('svg:text', { x: LABEL + Math.min(W, scale(b)) + 6, y: y + 13 }, fmtBytes(b)));
    });
    const ly = names.length * ROW + 14;
    svg.append(el('svg:line', { x1: LABEL + W, y1: 4, x2: LABEL + W, y2: ly, stroke: COLORS.failed, 'stroke-dasharray': '4 3' }));
    svg.append(el('svg:text', { x: LABEL + W - 60, y: ly + 12, fill: COLORS.failed }, '256 KiB limit'));
    document.getElementById('payloads').replaceChildren(svg);
  }

  // ---- Lambda invocations: one row per concurrent slot, failures red, retries outlined
  // A Lambda call is LambdaFunctionScheduled/Started/(Succeeded|Failed|TimedOut) or, through the optimized
  // integration, TaskScheduled/Started/(Succeeded|Failed|TimedOut); each event points at the one before it.
  const DONE = /^(LambdaFunction|Task)(Succeeded|Failed|TimedOut)$/, FAILED = /^(LambdaFunction|Task)(Failed|TimedOut)$/;
  function functionOf(e) {
    const d = e.lambdaFunctionScheduledEventDetails || e.taskScheduledEventDetails || e;
    let res = e.function || d.resource || '';
    if (d.parameters) { try { res = JSON.parse(d.parameters).FunctionName || res; } catch (x) { /* not JSON */ } }
    return res.includes(':function:') ? res.split(':function:')[1].split(':')[0] : res;
  }
  function invocations(events, scope) {
    const byId = {}, out = [];
    for (const e of events) byId[e.id] = e;
    for (const e of events) {
      if (!DONE.test(e.type)) continue;
      const started = byId[e.previousEventId], scheduled = started && byId[started.previousEventId];
      if (!scheduled || !/Scheduled$/.test(scheduled.type)) continue;
      const before = byId[scheduled.previousEventId];
      out.push({ scope, fn: functionOf(scheduled), start: scheduled.timestamp, end: e.timestamp, ok: !FAILED.test(e.type),
        retry: !!before && FAILED.test(before.type) });
    }
    return out;
  }
  function drawTimeline(data) {
    let all = invocations(data.history, 'execution');
    const perChild = {};
    for (const c of data.children) (perChild[c.child] = perChild[c.child] || []).push(c);
    for (const [child, evs] of Object.entries(perChild)) all = all.concat(invocations(evs, child));
    all.sort((a, b) => a.start - b.start);
    const slots = [];
    for (const inv of all) {
      let i = slots.findIndex(end => end <= inv.start);
      if (i < 0) { i = slots.length; slots.push(0); }
      slots[i] = inv.end;
      inv.slot = i;
    }
    const t0 = all.length ? all[0].start : 0, t1 = all.length ? Math.max(...all.map(a => a.end)) : 1;
    const W = 800, ROW = 16, LEFT = 50;
    const svg = el('svg:svg', { width: W + LEFT + 20, height: slots.length * ROW + 34, id: 'timeline-svg',
      'data-invocations': all.length, 'data-slots': slots.length });
    const x = t => LEFT + W * (t - t0) / Math.max(1e-3, t1 - t0);
    for (let i = 0; i < slots.length; i++) svg.append(el('svg:text', { x: 4, y: 12 + i * ROW + 11 }, 'slot ' + (i + 1)));
    for (const inv of all) {
      const r = el('svg:rect', { class: 'invocation' + (inv.ok ? '' : ' fault') + (inv.retry ? ' retry' : ''), x: x(inv.start),
        y: 12 + inv.slot * ROW, width: Math.max(2, x(inv.end) - x(inv.start)), height: ROW - 4,
        fill: inv.ok ? COLORS.succeeded : COLORS.failed, stroke: inv.retry ? COLORS.caught : 'none', 'stroke-width': inv.retry ? 2 : 0 });
      r.append(el('svg:title', {}, inv.fn + ' (' + inv.scope + ') ' + ((inv.end - inv.start) * 1000).toFixed(0) + ' ms'
        + (inv.ok ? '' : ' FAILED') + (inv.retry ? ' retry' : '')));
      svg.append(r);
    }
    svg.append(el('svg:text', { x: LEFT, y: slots.length * ROW + 28 }, all.length + ' invocations over '
      + (t1 - t0).toFixed(2) + ' s; red = failed, orange outline = retry'));
    document.getElementById('timeline').replaceChildren(svg);
  }

  function drawJob(data) {
    const box = document.getElementById('job');
    if (!data.job) { box.replaceChildren(el('p', {}, 'no job record for this execution')); return; }
    const parts = [];
    const url = data.job.execution_steps_s3_url;
    if (url) {
      const p = el('p', {}, 'execution steps are offloaded to S3: ');
      p.append(el('a', { href: url, id: 'steps-url', target: '_blank', rel: 'noopener' }, 'open them (presigned URL)'));
      parts.push(p);
    }
    parts.push(el('pre', { id: 'job-json' }, JSON.stringify(data.job, null, 2)));
    box.replaceChildren(...parts);
  }

  function drawHistory(data) {
    const body = document.querySelector('#history tbody');
    body.replaceChildren();
    for (const e of data.history) {
      const key = Object.keys(e).find(k => k.endsWith('EventDetails'));
      const d = key ? e[key] : {};
      const detail = d.name || d.error || d.resource || '';
      body.append(Object.assign(el('tr', { 'data-type': e.type }), {}));
      const tr = body.lastChild;
      tr.append(el('td', {}, e.id), el('td', {}, fmtTime(e.timestamp)), el('td', {}, e.type),
        el('td', {}, detail + (d.cause ? ' ' + String(d.cause).slice(0, 300) : '')));
    }
  }

  function showExecution(data) {
    current = data;
    document.getElementById('detail').hidden = false;
    const ex = data.execution;
    const title = document.getElementById('title');
    title.replaceChildren(document.createTextNode(ex.name + ' '), el('span', { class: 'status-' + ex.status, id: 'exec-status' }, ex.status));
    const sum = [ 'started ' + fmtTime(ex.startDate) ];
    if (ex.stopDate) sum.push('ended ' + fmtTime(ex.stopDate) + ' (' + (ex.stopDate - ex.startDate).toFixed(1) + ' s)');
    if (ex.error) sum.push('error ' + ex.error);
    if (ex.cause) sum.push('cause ' + String(ex.cause).slice(0, 300));
    document.getElementById('summary').textContent = sum.join(' \u00b7 ');
    drawGraph(data);
    drawPayloads(data);
    drawTimeline(data);
    drawJob(data);
    drawHistory(data);
    document.body.setAttribute('data-ready', ex.status);
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const list = await getJson('api/executions');
      showList(list);
      const m = /execution=([^&]+)/.exec(location.hash);
      const name = m ? decodeURIComponent(m[1]) : (list.executions[0] && list.executions[0].name);
      if (name) {
        const data = await getJson('api/executions/' + encodeURIComponent(name));
        showExecution(data);
        if (data.execution.status === 'RUNNING') timer = setTimeout(refresh, 1000);
      } else {
        document.body.setAttribute('data-ready', 'EMPTY');
        timer = setTimeout(refresh, 2000);
      }
    } catch (err) {
      document.getElementById('mode').textContent = 'cannot reach chunkflow serve: ' + err.message;
      timer = setTimeout(refresh, 3000);
    }
  }

  if (embedded) {
    document.getElementById('mode').textContent = 'static page written by chunkflow run';
    document.getElementById('list-section').hidden = true;
    showExecution(embedded);
  } else {
    document.getElementById('mode').textContent = 'live: chunkflow serve';
    window.addEventListener('hashchange', refresh);
    refresh();
  }
})();
