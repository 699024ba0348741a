/**
 * The sandbox console's page: one HTML document, its style sheet, and its script (./console-script.ts). The
 * page holds no data: the script reads the JSON endpoints and builds the DOM with text nodes only.
 */

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** The page for `/` and `/containers/<name>` (the script reads which from the address). */
export function consolePage(tenantName: string, playgroundUrl: string | undefined): string {
  const title = `Sandbox console: ${tenantName}`;
  const playground = playgroundUrl
    ? `<a href="${escapeHtml(playgroundUrl)}" target="_blank" rel="noopener">Open the Agents Playground</a>`
    : 'The Agents Playground is not running (--no-playground): acting on cards needs it.';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/console.css">
<script src="/console.js" defer></script>
</head>
<body>
<header>
  <h1>${escapeHtml(title)}</h1>
  <p>Local tooling of <code>npm start</code>, not part of the bot. ${playground}</p>
</header>
<main>
  <section aria-labelledby="requests-title">
    <h2 id="requests-title">Open requests</h2>
    <p class="hint">Act as any demo user on a pending approval card: the click goes to the bot as the
    Teams invoke, through the Playground's connector, and the card changes in the Playground.</p>
    <div id="requests" aria-live="polite">Loading…</div>
  </section>
  <section aria-labelledby="containers-title">
    <h2 id="containers-title">Export containers</h2>
    <div id="containers">Loading…</div>
  </section>
  <section aria-labelledby="controls-title">
    <h2 id="controls-title">Sandbox controls</h2>
    <div id="controls">Loading…</div>
  </section>
  <section aria-labelledby="people-title">
    <h2 id="people-title">People of the demo tenant</h2>
    <div id="people">Loading…</div>
  </section>
</main>
</body>
</html>
`;
}

export const CONSOLE_CSS = `
:root { color-scheme: light; --line: #d6d6e0; --muted: #5c5c70; --accent: #5b5fc7; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "Segoe UI", system-ui, sans-serif; color: #242424; background: #f5f5fa; }
header { padding: 12px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0; color: var(--muted); }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; padding: 16px 24px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; }
section:first-child { grid-column: 1 / -1; }
h2 { margin: 0 0 8px; font-size: 16px; }
h3 { margin: 12px 0 4px; font-size: 14px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px 4px 0; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); }
.hint, .empty, .muted { color: var(--muted); }
.hint { margin-top: 0; }
.nowrap { white-space: nowrap; }
.status { white-space: nowrap; display: inline-block; padding: 0 6px; border-radius: 8px; background: #ebebf5; }
.act { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.act input { width: 14em; }
button { font: inherit; padding: 2px 10px; border: 1px solid var(--accent); border-radius: 4px;
  background: #fff; color: var(--accent); cursor: pointer; }
button.primary { background: var(--accent); color: #fff; }
button:disabled { opacity: .5; cursor: default; }
.answer { margin-top: 4px; padding: 4px 8px; border-left: 3px solid var(--accent); background: #f0f0fa; }
.answer.refused { border-color: #c4314b; background: #fdf3f4; }
.answer strong { display: block; }
.focus { outline: 2px solid var(--accent); outline-offset: 4px; border-radius: 4px; }
.controls { display: grid; gap: 8px; }
.controls div { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.error { color: #c4314b; }
ul.files { margin: 0; padding-left: 18px; }
`;
