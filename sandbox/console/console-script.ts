/**
 * The sandbox console's browser script, served as /console.js. Plain JavaScript for a current browser, no
 * library. It builds the page from the JSON endpoints with DOM calls and text nodes only (`textContent`,
 * `append(string)`, `setAttribute`): no value from the sandbox ever goes through `innerHTML`.
 */
export const CONSOLE_SCRIPT = String.raw`'use strict';
(() => {
  const state = { people: [], actAs: {}, reasons: {}, busy: {}, answers: [], keys: {}, note: '' };
  const focusMatch = /^\/containers\/([^/]+)\/?$/.exec(location.pathname);
  const focus = focusMatch ? decodeURIComponent(focusMatch[1]) : null;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = String(v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
    return e;
  }

  async function api(method, path, body) {
    const init = body === undefined ? { method } : {
      method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    };
    const res = await fetch(path, init);
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.error || res.status + ' ' + res.statusText);
    return json;
  }

  /** Replaces a region's content, unless what it shows did not change (typing is not interrupted). */
  function show(id, key, build) {
    if (key !== undefined && state.keys[id] === key) return;
    state.keys[id] = key;
    const nodes = build().flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false);
    document.getElementById(id).replaceChildren(...nodes);
  }
  const STATES = {
    pendingApproval: 'waiting for approval', approved: 'approved, submitting', exporting: 'exporting',
    outcomeUnknown: 'outcome unknown', completed: 'export complete', failed: 'export failed',
  };
  const plural = (n, word) => n + ' ' + word + (n === 1 ? '' : 's');
  const problem = (err) => [el('p', { class: 'error', text: String((err && err.message) || err) })];
  const size = (n) => (n < 1024 ? n + ' bytes' : (n / 1024).toFixed(1) + ' KB');
  const table = (heads, rows) => el('table', {},
    el('thead', {}, el('tr', {}, heads.map((h) => el('th', { text: h })))), el('tbody', {}, rows));

  function renderPeople() {
    show('people', undefined, () => [table(['Name', 'Sign-in', 'Admin roles', 'In the Playground'],
      state.people.map((p) => el('tr', {},
        el('td', {}, p.displayName, p.jobTitle ? el('div', { class: 'muted', text: p.jobTitle }) : null),
        el('td', { text: p.userPrincipalName }),
        el('td', { text: [...p.roles, ...p.eligibleRoles.map((r) => r + ' (PIM-eligible only)')]
          .join(', ') || 'none' }),
        el('td', { text: p.teamsId ? 'yes' : 'no' }))))]);
  }

  function defaultActor(r) {
    const admin = state.people.find((p) => p.roles.length > 0 && p.id !== r.requesterId);
    return (admin || state.people[0] || { id: '' }).id;
  }

  async function act(r, verb) {
    const as = state.actAs[r.id] || defaultActor(r);
    state.busy[r.id] = true;
    await loadRequests();
    let entry;
    try {
      const reason = state.reasons[r.id] || '';
      entry = await api('POST', '/api/requests/' + encodeURIComponent(r.id) + '/act', { as, verb, reason });
    } catch (err) {
      entry = { request: r.id, verb, error: String(err.message || err) };
    }
    state.answers = [entry, ...state.answers].slice(0, 10);
    state.busy[r.id] = false;
    await loadRequests();
  }

  function actions(r) {
    if (r.status !== 'pendingApproval') return el('span', { class: 'muted', text: 'nothing to decide' });
    if (!r.cardPosted) return el('span', { class: 'muted',
      text: 'no approval card yet: say "use this channel for approvals" in the approvals channel' });
    const chosen = state.actAs[r.id] || defaultActor(r);
    const busy = Boolean(state.busy[r.id]);
    const select = el('select', { onchange: (e) => { state.actAs[r.id] = e.target.value; } },
      state.people.map((p) => el('option', { value: p.id, selected: p.id === chosen, text: p.displayName })));
    const reason = el('input', { type: 'text', placeholder: 'reason (for Reject)', 'aria-label': 'Reason',
      value: state.reasons[r.id] || '', oninput: (e) => { state.reasons[r.id] = e.target.value; } });
    return el('div', { class: 'act' }, el('label', {}, 'Act as ', select),
      el('button', { class: 'primary', disabled: busy, onclick: () => act(r, 'approve'), text: 'Approve' }),
      reason,
      el('button', { disabled: busy, onclick: () => act(r, 'reject'), text: 'Reject' }),
      el('button', { disabled: busy, onclick: () => act(r, 'cancel'), text: 'Cancel' }));
  }

  function answer(a) {
    if (a.error) return el('div', { class: 'answer refused' },
      el('strong', { text: a.request + ', ' + a.verb + ': not sent' }), a.error);
    const b = a.answer;
    const refused = b.status >= 400 || b.note !== '' || /^Not /.test(b.title);
    return el('div', { class: 'answer' + (refused ? ' refused' : '') },
      el('strong', { text: a.request + ': ' + a.verb + ' as ' + a.as + '. The bot answered:' }),
      el('div', { text: b.title }), el('div', { text: b.text }), b.note ? el('div', { text: b.note }) : null);
  }

  async function loadRequests() {
    try {
      const page = await api('GET', '/api/requests');
      const key = JSON.stringify([page, state.answers, state.busy, state.people.length]);
      show('requests', key, () => [
        page.items.length === 0
          ? el('p', { class: 'empty', text: 'No open request. Ask the bot in the Playground: "export data for adele".' })
          : table(['Request', 'State', 'Subject', 'Requested by', 'Due', 'On the approval card'],
            page.items.map((r) => el('tr', { 'data-request-id': r.id },
              el('td', { class: 'nowrap', text: r.id }),
              el('td', {}, el('span', { class: 'status', title: r.status, text: STATES[r.status] || r.status }),
                r.progress !== null ? ' ' + r.progress + ' %' : null),
              el('td', { text: r.subject }), el('td', { text: r.requester }), el('td', { class: 'nowrap', text: r.dueDate }),
              el('td', {}, actions(r))))),
        page.total > page.items.length
          ? el('p', { class: 'muted', text: page.items.length + ' of ' + page.total + ' shown' }) : null,
        el('div', { id: 'answers', 'aria-live': 'polite' }, state.answers.map(answer)),
      ]);
    } catch (err) {
      show('requests', 'error', () => problem(err));
    }
  }

  async function loadContainers() {
    try {
      const list = await api('GET', '/api/containers');
      const shown = focus ? list.filter((c) => c.name === focus) : list;
      show('containers', JSON.stringify(list), () => [
        focus ? el('p', {}, 'Container ', el('code', { text: focus }), ' · ',
          el('a', { href: '/', text: 'all containers' })) : null,
        shown.length === 0 ? el('p', { class: 'empty', text: focus
          ? 'No such container yet: it is created when the request is approved.'
          : 'No export container yet: one is created when a request is approved.' }) : null,
        shown.map((c) => el('div', { class: focus ? 'focus' : null, 'data-container': c.name },
          el('h3', {}, el('a', { href: '/containers/' + encodeURIComponent(c.name), text: c.name })),
          c.files.length === 0 ? el('p', { class: 'empty', text: 'No files yet.' })
            : el('ul', { class: 'files' }, c.files.map((f) => el('li', {},
              el('a', { href: '/api/containers/' + encodeURIComponent(c.name) + '/blob?name=' +
                encodeURIComponent(f.name), download: f.name.split('/').pop(), text: f.name }),
              ' ', el('span', { class: 'muted', text: size(f.size) })))))),
      ]);
    } catch (err) {
      show('containers', 'error', () => problem(err));
    }
  }

  async function control(name, body) {
    try {
      const result = await api('POST', '/api/controls/' + name, body || {});
      state.note = result.message || '';
    } catch (err) {
      state.note = String(err.message || err);
    }
    await Promise.all([loadControls(), loadRequests(), loadContainers()]);
  }

  async function loadControls() {
    try {
      const s = await api('GET', '/api/controls');
      const seconds = (ms) => ms / 1000 + ' s';
      show('controls', JSON.stringify([s, state.note]), () => [el('div', { class: 'controls' },
        el('div', {},
          el('button', { disabled: s.nextExportFails, onclick: () => control('fail-next'),
            text: 'Make the next export fail' }),
          el('span', { class: 'muted', text: s.nextExportFails
            ? 'The next export submitted will end failed.' : 'Exports end complete.' })),
        el('div', {},
          s.graphDelayMs > 0
            ? el('button', { onclick: () => control('graph-speed', { slow: false }), text: 'Back to normal speed' })
            : el('button', { onclick: () => control('graph-speed', { slow: true }),
              text: 'Slow Graph down (' + seconds(s.slowGraphMs) + ' per call)' }),
          el('span', { class: 'muted', text: s.graphDelayMs > 0
            ? 'Each Graph call waits ' + seconds(s.graphDelayMs) + '.' : 'Graph answers at once.' })),
        el('div', {},
          el('button', { disabled: s.runningExports === 0, onclick: () => control('finish-exports'),
            text: 'Finish running exports now' }),
          el('span', { class: 'muted', text: s.runningExports === 0
            ? 'No export running.' : plural(s.runningExports, 'export') + ' running.' })),
        state.note ? el('p', { role: 'status', text: state.note }) : null)]);
    } catch (err) {
      show('controls', 'error', () => problem(err));
    }
  }

  async function start() {
    try {
      state.people = await api('GET', '/api/people');
      renderPeople();
    } catch (err) {
      show('people', 'error', () => problem(err));
    }
    const refresh = () => Promise.all([loadRequests(), loadContainers(), loadControls()]);
    await refresh();
    setInterval(refresh, 2000);
  }
  start();
})();
`;
