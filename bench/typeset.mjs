// How long the VS Code extension takes to typeset a hover: the module it uses (editors/vscode/src/typeset.ts),
// bundled the way the extension is, on a realistic hover (the GELU tanh approximation with a wrong claim).
// Prints the time to load the bundle, the first (cold) typeset, and warm typesets with and without the cache.
// Run: node bench/typeset.mjs (after `npm ci` in editors/vscode). The target is under 50 ms warm.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EXTENSION = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'editors', 'vscode');
const WARM_RUNS = 50;

const HOVER = String.raw`✗ the claimed derivative is wrong: at x = 0.5 it gives 0.6 but the function's slope is 0.867325

` + '```math' + String.raw`
\begin{aligned}
\operatorname{gelu}\left(x\right) &= \frac{x}{2} \left(1 + \tanh{\left(\sqrt{\frac{2}{\pi}} \left(x + 0.044715 x^{3}\right) \right)}\right) \\
\operatorname{gelu}'\left(x\right) &= \frac{1}{2} + \frac{x}{2} && \text{(claimed)} \\
\operatorname{gelu}'\left(x\right) &= \frac{1}{2} \left(1 + \tanh{\left(u \right)}\right) + \frac{x}{2} \sqrt{\frac{2}{\pi}} \left(1 + 0.134145 x^{2}\right) \left(1 - \tanh^{2}{\left(u \right)}\right) \\
u &= \sqrt{\frac{2}{\pi}} \left(x + 0.044715 x^{3}\right)
\end{aligned}
` + '```';

function bundle() {
  const require = createRequire(path.join(EXTENSION, 'package.json'));
  const esbuild = require('esbuild');
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'typeset-bench-')), 'typeset.js');
  esbuild.buildSync({
    entryPoints: [path.join(EXTENSION, 'src', 'typeset.ts')], bundle: true, platform: 'node', target: 'node18',
    format: 'cjs', minify: true, outfile, logLevel: 'error',
  });
  return outfile;
}

function time(action) {
  const started = performance.now();
  const result = action();
  return [performance.now() - started, result];
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1)} ms`;

if (!fs.existsSync(path.join(EXTENSION, 'node_modules', 'mathjax-full'))) {
  console.error(`typeset bench: skipped, run 'npm ci' in ${EXTENSION} first`);
  process.exit(1);
}
const file = bundle();
const [load, { HoverTypesetter }] = time(() => createRequire(import.meta.url)(file));
const style = { theme: 'dark', pxPerEx: 8 };
const [cold, typeset] = time(() => new HoverTypesetter().typeset(HOVER, style));
if (!typeset.includes('data:image/svg+xml;base64,') || typeset.includes('```')) {
  throw new Error(`the hover was not typeset:\n${typeset.slice(0, 500)}`);
}
const warm = Array.from({ length: WARM_RUNS }, () => time(() => new HoverTypesetter().typeset(HOVER, style))[0]);
const cache = new HoverTypesetter();
cache.typeset(HOVER, style);
const cached = Array.from({ length: WARM_RUNS }, () => time(() => cache.typeset(HOVER, style))[0]);

console.log('typesetting one hover (GELU tanh, 4 aligned lines) with MathJax, as the VS Code extension does:');
console.log(`  load the bundle           ${ms(load)}`);
console.log(`  first hover (cold)        ${ms(cold)}`);
console.log(`  warm, not cached          ${ms(median(warm))} median, ${ms(Math.min(...warm))}-${ms(Math.max(...warm))} over ${WARM_RUNS}`);
console.log(`  warm, cached              ${ms(median(cached))} median`);
console.log(`  (target: under 50 ms warm; ${typeset.length} characters of markdown out)`);
fs.rmSync(path.dirname(file), { recursive: true, force: true });
