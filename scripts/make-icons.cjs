'use strict';
// Draws the app's two icons (appPackage/color.png 192×192, appPackage/outline.png 32×32): a document with a
// downward arrow (an export) on the accent colour; the outline version white on transparent, as Teams asks.
// Run: node scripts/make-icons.cjs
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { encodePng } = require('./png.cjs');

const ACCENT = [0x2b, 0x57, 0x97];

/** Signed distance-ish tests in unit coordinates (0..1). */
const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;

/** The document: a page with its top-right corner folded. */
function page(x, y, inset = 0) {
  const x0 = 0.27 + inset;
  const x1 = 0.73 - inset;
  const y0 = 0.16 + inset;
  const y1 = 0.84 - inset;
  const fold = 0.14;
  if (!inRect(x, y, x0, y0, x1, y1)) return false;
  return x - (x1 - fold) <= y - y0; // cut the corner
}

/** The arrow pointing down (export), centred on the page. */
function arrow(x, y) {
  const shaft = inRect(x, y, 0.45, 0.36, 0.55, 0.6);
  const head = y >= 0.56 && y <= 0.74 && Math.abs(x - 0.5) <= (0.74 - y) * 0.95;
  return shaft || head;
}

function render(size, shade) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          const c = shade(x, y);
          acc[0] += c[0] * c[3];
          acc[1] += c[1] * c[3];
          acc[2] += c[2] * c[3];
          acc[3] += c[3];
        }
      }
      const n = samples * samples;
      const a = acc[3] / n;
      const i = (py * size + px) * 4;
      rgba[i] = a > 0 ? Math.round(acc[0] / acc[3]) : 0;
      rgba[i + 1] = a > 0 ? Math.round(acc[1] / acc[3]) : 0;
      rgba[i + 2] = a > 0 ? Math.round(acc[2] / acc[3]) : 0;
      rgba[i + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}

const WHITE = [255, 255, 255];

// Colour: accent background, white page, accent arrow.
const color = render(192, (x, y) => {
  if (page(x, y) && !arrow(x, y)) return [...WHITE, 1];
  return [...ACCENT, 1];
});

// Outline: white page outline and a white arrow; everything else transparent.
const outline = render(32, (x, y) => {
  const stroke = page(x, y) && !page(x, y, 0.07);
  return stroke || arrow(x, y) ? [...WHITE, 1] : [...WHITE, 0];
});

const dir = path.join(__dirname, '..', 'appPackage');
writeFileSync(path.join(dir, 'color.png'), encodePng(192, 192, color));
writeFileSync(path.join(dir, 'outline.png'), encodePng(32, 32, outline));
process.stdout.write('Wrote appPackage/color.png (192×192) and appPackage/outline.png (32×32)\n');
