// Drives a running code-server with the Neurogebra extension through headless Chromium and reads what the editor
// shows. Started by editors/scripts/vscode-e2e.sh, which sets the environment below. Exits 1 on any failure.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (run editors/scripts/vscode-e2e.sh)`);
  }
  return value;
}

const BASE_URL = required('CODE_SERVER_URL');
const WORKSPACE = required('WORKSPACE');
const SCREENSHOT_DIR = required('SCREENSHOT_DIR');
const FAILURE_DIR = required('FAILURE_DIR');
const { chromium } = createRequire(path.join(required('PLAYWRIGHT_DIR'), 'package.json'))('playwright-core');

const SERVER_START_MS = 90_000;
const DERIVATIVE = /2\s*\*?\s*x\s*\+\s*3/;
const EDITOR = '.editor-group-container.active .monaco-editor';
const NOTEBOOK_CELLS = '.notebook-editor .cell-editor-container .monaco-editor'; // a notebook is drawn over the group

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) {
      return last;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** The text of the active editor's rendered lines, top to bottom (inlay hints included, as Monaco renders them);
 * `editor` NOTEBOOK_CELLS: of the notebook's cells, each cell's lines top to bottom. */
async function editorLines(page, editor = EDITOR) {
  return page.evaluate((editorSelector) => {
    const lines = [...document.querySelectorAll(`${editorSelector} .view-lines .view-line`)];
    return lines
      .map((line) => ({ top: parseFloat(line.style.top) || 0, text: line.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text);
  }, editor);
}

/** Screen coordinates of the first character of `text` in the rendered line that starts with `lineStart`. */
async function pointAt(page, lineStart, text, editor = EDITOR) {
  const find = () => page.evaluate(({ editorSelector, lineStart, text }) => {
    for (const line of document.querySelectorAll(`${editorSelector} .view-lines .view-line`)) {
      const lineText = line.textContent.replace(/\u00a0/g, ' ');
      if (!lineText.startsWith(lineStart) || !lineText.includes(text)) {
        continue;
      }
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let remaining = lineText.indexOf(text);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (remaining < node.length) {
          const range = document.createRange();
          range.setStart(node, remaining);
          range.setEnd(node, remaining + 1);
          const box = range.getBoundingClientRect();
          return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        }
        remaining -= node.length;
      }
    }
    return null;
  }, { editorSelector: editor, lineStart, text });
  return until(`"${text}" in the line "${lineStart}..." of the editor`, 10_000, find);
}

/** What each hover says: its text and the alt texts of its images (typeset formulas are images); '' if hidden. */
function hoverReadings(page) {
  return page.evaluate(() => [...document.querySelectorAll('.monaco-hover-content')].map((hover) =>
    hover.offsetParent === null ? '' : [hover.innerText, ...[...hover.querySelectorAll('img')].map((img) => img.alt)].join('\n')));
}

/** Hovers `text` in the line `prefix` until the hover says `expected`; the first hovers may come before the server. */
async function hoverUntil(page, prefix, text, expected, editor = EDITOR) {
  const deadline = Date.now() + SERVER_START_MS;
  let seen = [];
  await page.keyboard.press('Escape'); // a hover still open could cover the text
  while (Date.now() < deadline) {
    const point = await pointAt(page, prefix, text, editor);
    await page.mouse.move(point.x - 40, point.y + 60);
    await sleep(150);
    await page.mouse.move(point.x, point.y, { steps: 4 });
    const shown = Date.now() + 3_000;
    while (Date.now() < shown) {
      seen = await hoverReadings(page);
      const index = seen.findIndex((reading) => expected.test(reading));
      if (index >= 0) {
        await sleep(300); // the images finish loading
        return page.locator('.monaco-hover-content').nth(index);
      }
      await sleep(100);
    }
  }
  const last = seen.filter(Boolean).join(' | ').replace(/\s+/g, ' ') || '(no hover)';
  throw new Error(`no hover with ${expected} over "${text}"; last seen: ${last}`);
}

/** The SVG images in a hover (or in all hovers), decoded. */
function svgImages(locator) {
  return locator.evaluateAll((elements) => elements.flatMap((element) => [...element.querySelectorAll('img')])
    .filter((img) => img.src.startsWith('data:image/svg+xml;base64,'))
    .map((img) => ({ alt: img.alt, width: img.naturalWidth, height: img.naturalHeight, svg: atob(img.src.split(',')[1]) })));
}

/** A typeset formula is told from the server's plot by MathJax's glyphs, which it draws from its own <defs>. */
const isTypeset = (image) => image.svg.includes('<defs><path');

/** Fails unless the hover shows its formulas as typeset SVG images rather than LaTeX text; returns their alt texts. */
async function typesetFormulas(hover) {
  const text = await hover.innerText();
  const fontSize = await hover.evaluate((element) => getComputedStyle(element).fontSize);
  const formulas = (await svgImages(hover)).filter(isTypeset);
  if (/\\begin\{aligned\}|```math|\\frac\{/.test(text)) {
    throw new Error(`the hover shows LaTeX as text: ${text.slice(0, 200)}`);
  }
  if (formulas.length === 0 || formulas.some((formula) => formula.width === 0 || formula.height === 0)) {
    throw new Error(`no typeset formula images that loaded: ${JSON.stringify(formulas.map(({ svg, ...size }) => size))}`);
  }
  console.log(`  typeset (hover text ${fontSize}): ${formulas.map((f) => `${f.width}x${f.height} "${f.alt.slice(0, 70)}"`).join('; ')}`);
  return formulas.map((formula) => formula.alt);
}

async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
}

async function openFile(page, name) {
  const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.dblclick();
  await page.locator('.tabs-container .tab.active').filter({ hasText: name }).waitFor({ timeout: 15_000 });
  await until(`${name} to be rendered`, 15_000, async () => (await editorLines(page)).length > 1);
}

/** Opens a .ipynb file in the notebook editor (code-server may open it as JSON text first, before the notebook
 * support that comes with it has started). */
async function openNotebook(page, name) {
  const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.dblclick();
  await page.locator('.tabs-container .tab.active').filter({ hasText: name }).waitFor({ timeout: 15_000 });
  const cells = page.locator(NOTEBOOK_CELLS).first();
  try {
    await cells.waitFor({ timeout: 5_000 });
  } catch {
    await runCommand(page, 'View: Reopen Editor With...');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Jupyter Notebook' }).first().click();
    await cells.waitFor({ timeout: 15_000 });
  }
}

async function openCodeActionMenu(page, prefix, text, title) {
  await page.keyboard.press('Escape');
  const point = await pointAt(page, prefix, text);
  await page.mouse.click(point.x, point.y);
  for (const menu of ['Quick Fix...', 'Refactor...']) {
    await runCommand(page, menu);
    const action = page.locator('.action-widget .monaco-list-row').filter({ hasText: title }).first();
    try {
      await action.waitFor({ state: 'visible', timeout: 5_000 });
      // The menu lays a pointer block over the page that the first mouse move removes.
      await page.mouse.move(point.x + 5, point.y + 5);
      await page.mouse.move(point.x + 10, point.y + 10);
      return action;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`no ${title} action on "${prefix}" under Quick Fix... or Refactor...`);
}

async function dragBy(page, locator, dx, dy) {
  const box = await locator.boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 5 });
  await page.mouse.up();
}

/**
 * Drags the hover's right edge until it shows its widest formula, as far as the editor allows. A hover starts at
 * most 750 px wide; VS Code keeps the width a user gives it for the hovers after.
 */
async function widenHover(page, hover) {
  const editor = await page.locator('.editor-group-container.active').boundingBox();
  const widget = hover.locator('xpath=ancestor::*[contains(@class, "monaco-resizable-hover")]');
  const shown = await widget.boundingBox();
  const contentWidth = await hover.evaluate((element) => element.scrollWidth);
  const dx = Math.min(contentWidth + 40 - shown.width, editor.x + editor.width - 30 - (shown.x + shown.width));
  if (dx > 0) {
    await dragBy(page, widget.locator('.monaco-sash.vertical:not(.disabled)'), dx, 0);
  }
}

/** Scrolls the hover to its end (where the plot is) from the keyboard: Ctrl+K Ctrl+I focuses it, End scrolls. */
async function scrollHoverToEnd(page) {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  await sleep(300);
  await page.keyboard.press('End');
  await sleep(300);
}

/** A screenshot of the editor, from its tabs down to the bottom of `below` (a hover, a menu) or `height` px. */
async function editorScreenshot(page, name, { below, height = 300 } = {}) {
  const editor = await page.locator('.editor-group-container.active').boundingBox();
  const box = below ? await below.boundingBox() : { y: editor.y, height };
  const bottom = Math.min(editor.y + editor.height, box.y + box.height + 24);
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, name),
    clip: { x: editor.x, y: editor.y, width: editor.width, height: bottom - editor.y },
  });
}

async function closePanel(page) {
  if (await page.locator('.part.panel').isVisible()) {
    await runCommand(page, 'View: Toggle Panel Visibility');
  }
}

async function chooseColorTheme(page, theme) {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(theme);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: theme }).first().waitFor({ timeout: 10_000 });
  await input.press('Enter');
  await until(`the ${theme} theme`, 10_000, () => page.evaluate((name) =>
    document.querySelector('.monaco-workbench')?.classList.contains(name.includes('Light') ? 'vs' : 'vs-dark'), theme));
}

async function toastWith(page, pattern, timeoutMs) {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: pattern }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.innerText()).replace(/\s+/g, ' ');
}

const results = [];
/** Set by the first hover: once the server has never answered, its other checks fail without waiting. */
let serverAnswered;
/** E2E_ONLY=<pattern>: only the checks whose names match it run, after the first (which opens the workbench). */
const ONLY = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY, 'i') : undefined;

async function check(page, name, body, { needsServer = true } = {}) {
  if (ONLY && results.length > 0 && !ONLY.test(name)) {
    console.log(`skipped - ${name}`);
    return undefined;
  }
  if (needsServer && serverAnswered === false) {
    results.push(false);
    console.log(`not ok - ${name}: skipped, the language server never answered`);
    return false;
  }
  const started = Date.now();
  try {
    await body();
    results.push(true);
    console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    results.push(false);
    console.log(`not ok - ${name}: ${process.env.E2E_VERBOSE ? error.message : error.message.split('\n')[0]}`);
    fs.mkdirSync(FAILURE_DIR, { recursive: true });
    const file = path.join(FAILURE_DIR, `${results.length}-failed.png`);
    await page.screenshot({ path: file }).catch(() => undefined);
    console.log(`  screenshot: ${file}`);
    await page.keyboard.press('Escape').catch(() => undefined);
    await page.mouse.move(3, 3).catch(() => undefined);
    return false;
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: required('CHROMIUM'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
    const screenshot = (name) => page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });

    await check(page, 'the workbench opens the test folder', async () => {
      await page.goto(`${BASE_URL}/?folder=${encodeURIComponent(WORKSPACE)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await openFile(page, 'gradients.ngb');
    }, { needsServer: false });
    if (results.includes(false)) {
      return;
    }

    await check(page, '.ngb files get the ngb language and its grammar colours', async () => {
      await page.locator('.statusbar-item').filter({ hasText: /^Neurogebra$/ }).first().waitFor({ timeout: 10_000 });
      const tokenClasses = () => page.evaluate((editorSelector) => {
        const tokenClass = (lineStart, token) => {
          for (const line of document.querySelectorAll(`${editorSelector} .view-line`)) {
            if (line.textContent.replace(/\u00a0/g, ' ').startsWith(lineStart)) {
              return [...line.querySelectorAll('span span')].find((s) => s.textContent.startsWith(token))?.className;
            }
          }
          return undefined;
        };
        return { comment: tokenClass('# quadratic', '#'), name: tokenClass('f(x) =', 'f'), number: tokenClass('f(x) =', '3') };
      }, EDITOR);
      let classes;
      await until('the grammar to colour comment, function name and number differently', 15_000, async () => {
        classes = await tokenClasses();
        return classes.comment && classes.name && classes.number &&
          new Set([classes.comment, classes.name, classes.number]).size === 3;
      }).catch((error) => {
        throw new Error(`${error.message}: ${JSON.stringify(classes)}`);
      });
    }, { needsServer: false });

    serverAnswered = await check(page, 'hovering f shows its derivative 2*x + 3, typeset', async () => {
      const hover = await hoverUntil(page, 'f(x) = x**2', 'f', DERIVATIVE);
      const formulas = await typesetFormulas(hover);
      if (!formulas.some((alt) => DERIVATIVE.test(alt))) {
        throw new Error(`no typeset formula reads 2 x + 3: ${JSON.stringify(formulas)}`);
      }
    });

    await check(page, 'the hover shows an SVG plot (neurogebra.hover.rich is on by default)', async () => {
      await page.locator('.monaco-hover-content img[src^="data:image/svg+xml"]').first().waitFor({ state: 'visible', timeout: 5_000 });
      const plots = (await svgImages(page.locator('.monaco-hover-content'))).filter((image) => !isTypeset(image))
        .map((image) => ({ size: [image.width, image.height], currentColor: image.svg.includes('currentColor') }));
      console.log(`  plots: ${JSON.stringify(plots)}`);
      if (!plots.some(({ size: [width, height] }) => width > 0 && height > 0)) {
        throw new Error('the hover has no SVG plot that loaded');
      }
      if (plots.some((plot) => plot.currentColor)) {
        throw new Error('the plot still uses currentColor, which an image draws black whatever the theme');
      }
    });

    await check(page, "the inlay hint after f'(0) shows = 3", async () => {
      await page.mouse.move(5, 5);
      const line = await until("an inlay hint on the f'(0) line", 30_000, async () =>
        (await editorLines(page)).find((text) => text.startsWith("f'(0)") && /=\s*3(\.0*)?\b/.test(text)));
      console.log(`  line: ${line}`);
    });

    await check(page, 'the wrong derivative claim is an error in the editor and in Problems', async () => {
      await page.locator(`${EDITOR} .squiggly-error`).first().waitFor({ timeout: 30_000 });
      await runCommand(page, 'Problems: Focus on Problems View');
      const problem = page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'gradient-mismatch' }).first();
      await problem.waitFor({ timeout: 15_000 });
      const text = (await problem.innerText()).replace(/\s+/g, ' ');
      console.log(`  problem: ${text}`);
      if (!text.includes('neurogebra')) {
        throw new Error(`the problem does not name its source neurogebra: ${text}`);
      }
    });

    await check(page, "the derivative action on f(x) writes f'(x) = 2*x + 3 into the claim (no second f'(x) line)", async () => {
      const action = await openCodeActionMenu(page, 'f(x) = x**2', 'f', /derivative d\/dx/);
      await action.click({ timeout: 5_000 });
      const after = await until("one f'(x) line, saying 2*x + 3", 15_000, async () => {
        const lines = await editorLines(page);
        const claims = lines.filter((line) => /^f'\(x\)\s*=/.test(line));
        return claims.length === 1 && DERIVATIVE.test(claims[0]) && lines;
      });
      console.log(`  lines now: ${JSON.stringify(after)}`);
    });

    // The screenshots of the README, on a notebook an ML person would write.
    // The hover screenshots: the wrong claim and the definition with its plot, in a dark and a light theme.
    const shootGeluHovers = async (suffix) => {
      const claim = await hoverUntil(page, "gelu_tanh'(x) =", 'gelu_tanh', /claimed derivative is wrong/);
      if (!(await typesetFormulas(claim)).some((alt) => alt.includes('claimed'))) {
        throw new Error('the claim is not among the typeset formulas');
      }
      await widenHover(page, claim);
      await editorScreenshot(page, `hover${suffix}.png`, { below: claim });
      const definition = await hoverUntil(page, 'gelu_tanh(x) =', 'gelu_tanh', /gelu_tanh'\(x\) =/);
      await typesetFormulas(definition);
      await scrollHoverToEnd(page);
      await editorScreenshot(page, `hover-plot${suffix}.png`, { below: definition });
    };

    await check(page, 'the GELU-tanh notebook: the wrong claim and the definition, typeset in a dark theme', async () => {
      await closePanel(page);
      await openFile(page, 'activations.ngb');
      await shootGeluHovers('');
    });

    await check(page, 'the GELU-tanh notebook: typeset in a light theme', async () => {
      await chooseColorTheme(page, 'Light Modern');
      try {
        await shootGeluHovers('-light');
      } finally {
        await page.keyboard.press('Escape');
        await chooseColorTheme(page, 'Dark Modern');
      }
    });

    await check(page, 'the GELU-tanh notebook: a value inline', async () => {
      await page.keyboard.press('Escape');
      await page.mouse.move(5, 5);
      const line = await until("an inlay hint on the gelu_tanh'(0.5) line", 30_000, async () =>
        (await editorLines(page)).find((text) => text.startsWith("gelu_tanh'(0.5)") && /=\s*0\.867/.test(text)));
      console.log(`  line: ${line}`);
      await editorScreenshot(page, 'inlay.png', { height: 220 });
    });

    await check(page, 'the GELU-tanh notebook: its problems', async () => {
      await runCommand(page, 'Problems: Focus on Problems View');
      await page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'gradient-mismatch' }).first()
        .waitFor({ timeout: 15_000 });
      await screenshot('problems.png');
      await closePanel(page);
    });

    await check(page, 'the GELU-tanh notebook: the quick fix of the wrong claim', async () => {
      const action = await openCodeActionMenu(page, "gelu_tanh'(x) =", '0.5', /Replace with the correct derivative/);
      await editorScreenshot(page, 'quick-fix.png', { below: page.locator('.action-widget') });
      const before = await editorLines(page);
      await action.click({ timeout: 5_000 });
      const fixed = await until('the claim replaced', 15_000, async () => {
        const lines = await editorLines(page);
        const claim = lines.find((line) => line.startsWith("gelu_tanh'(x) ="));
        return lines.length === before.length && !before.includes(claim) && claim;
      });
      console.log(`  fixed: ${fixed}`);
      await until('the error to go', 30_000, async () => (await page.locator(`${EDITOR} .squiggly-error`).count()) === 0);
    });

    await check(page, 'a Python training script: hovering a catalog name shows its formulas, typeset', async () => {
      await openFile(page, 'train.py');
      const hover = await hoverUntil(page, 'act = forge.get(', 'gelu', /gelu'\(x\) =/);
      await typesetFormulas(hover);
      await editorScreenshot(page, 'python-hover.png', { below: hover });
    });

    await check(page, 'hovering the formula string in Python shows its derivative', async () => {
      const hover = await hoverUntil(page, 'f = Expression(', 'x**2', DERIVATIVE);
      await typesetFormulas(hover);
    });

    await check(page, "'Insert derivative d/dx' in Python adds a line defining the derivative Expression", async () => {
      await page.mouse.move(5, 5);
      const action = await openCodeActionMenu(page, 'f = Expression(', 'x**2', /Insert derivative/);
      await action.click({ timeout: 5_000 });
      const after = await until('the inserted Python line', 15_000, async () => {
        const lines = await editorLines(page);
        const next = lines[lines.findIndex((l) => l.startsWith('f = Expression(')) + 1] ?? '';
        return /Expression\(/.test(next) && DERIVATIVE.test(next) && next;
      });
      console.log(`  inserted: ${after}`);
    });

    await check(page, 'a Jupyter notebook: a cell sees the formula of a cell above it, in its hover and its value', async () => {
      await openNotebook(page, 'cells.ipynb');
      const line = await until('the value of quadratic(1) inline in the last cell', SERVER_START_MS, async () =>
        (await editorLines(page, NOTEBOOK_CELLS)).find((text) => text.startsWith('print(quadratic.eval') && /=\s*6\b/.test(text)));
      console.log(`  line: ${line}`);
      const hover = await hoverUntil(page, 'slope = quadratic', 'quadratic', DERIVATIVE, NOTEBOOK_CELLS);
      const formulas = await typesetFormulas(hover);
      if (!formulas.some((alt) => alt.includes('quadratic'))) {
        throw new Error(`the hover does not show quadratic, defined in the first cell: ${JSON.stringify(formulas)}`);
      }
      await editorScreenshot(page, 'notebook.png', { below: page.locator(NOTEBOOK_CELLS).last() }); // down to the value
    });

    await check(page, 'a Jupyter notebook: the unstable formula is a warning on its own cell, and in Problems', async () => {
      const warned = () => page.evaluate((cells) => [...document.querySelectorAll(cells)]
        .filter((cell) => cell.querySelector('.squiggly-warning'))
        .map((cell) => cell.querySelector('.view-lines').textContent.replace(/\u00a0/g, ' ')), NOTEBOOK_CELLS);
      const cells = await until('a warning in a cell', 30_000, async () => {
        const found = await warned();
        return found.length > 0 && found;
      });
      if (cells.length !== 1 || !cells[0].startsWith('sigmoid_grad')) {
        throw new Error(`the warning is not on the sigmoid_grad cell alone: ${JSON.stringify(cells)}`);
      }
      await runCommand(page, 'Problems: Focus on Problems View');
      const problem = page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'at x = -710' }).first();
      await problem.waitFor({ timeout: 15_000 });
      const text = (await problem.innerText()).replace(/\s+/g, ' ');
      console.log(`  problem: ${text}`);
      if (!text.includes('unstable-form') || !text.includes('[Ln 1, Col 44]')) {
        throw new Error(`the problem is not the unstable form at line 1, column 44 of its cell: ${text}`);
      }
      await closePanel(page);
    });

    await check(page, "'Neurogebra: Check Workspace' counts the files in a notification, and its Cancel stops it", async () => {
      // Enough files, each different (analyses are cached by text), for the check to last a few seconds.
      const folder = path.join(WORKSPACE, 'layers');
      fs.mkdirSync(folder, { recursive: true });
      for (let i = 1; i <= 40; i++) {
        fs.writeFileSync(path.join(folder, `layer${i}.ngb`),
          `h${i}(x) = tanh(${i}*x + 1)\nh${i}'(x) = ${i}*(1 - tanh(${i}*x + 1)**2)\nh${i}'(0.${i})\n`);
      }
      await runCommand(page, 'Neurogebra: Check Workspace');
      const toasts = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'checking the workspace' });
      const progress = toasts.first();
      await progress.filter({ hasText: /[1-9]\d*\/\d+ files/ }).waitFor({ timeout: 30_000 });
      console.log(`  progress: ${(await progress.innerText()).replace(/\s+/g, ' ')}`);
      if ((await toasts.count()) !== 1) {
        throw new Error('two progress notifications: the server did not report on the token the extension gave it');
      }
      await sleep(300); // the notification fades in
      const toast = await progress.boundingBox();
      const viewport = page.viewportSize();
      await page.screenshot({
        path: path.join(SCREENSHOT_DIR, 'check-workspace-progress.png'),
        clip: { x: viewport.width - 760, y: toast.y - 140, width: 760, height: viewport.height - (toast.y - 140) },
      });
      await progress.locator('.monaco-button, .action-label').filter({ hasText: 'Cancel' }).first().click();
      await progress.waitFor({ state: 'hidden', timeout: 3_000 });
      await sleep(2_000);
      if (await page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Neurogebra: checked/ }).count()) {
        throw new Error('a cancelled check still reported its summary');
      }
    });

    await check(page, "'Neurogebra: Check Workspace' reports every file and lists a closed file's mistake in Problems", async () => {
      await runCommand(page, 'Neurogebra: Check Workspace');
      const text = await toastWith(page, /Neurogebra: checked/, 60_000);
      console.log(`  notification: ${text}`);
      await runCommand(page, 'Problems: Focus on Problems View');
      const closedFile = page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'closed.ngb' }).first();
      await closedFile.waitFor({ timeout: 15_000 });
      const problems = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      console.log(`  problems: ${JSON.stringify(problems)}`);
      if (!problems.some((row) => row.includes('gradient-mismatch') && row.includes('Ln 3'))) {
        throw new Error('no gradient-mismatch problem on line 3 of closed.ngb');
      }
      await screenshot('check-workspace.png');
    });

    await check(page, 'turning neurogebra.inlayHints.enabled off in the Settings editor removes the hint', async () => {
      const ngbTab = page.locator('.tabs-container .tab').filter({ hasText: 'gradients.ngb' });
      await ngbTab.click();
      await until("the hint on the f'(0) line", 15_000, async () =>
        (await editorLines(page)).some((text) => text.startsWith("f'(0)") && text.includes('=')));
      await runCommand(page, 'Preferences: Open User Settings');
      const search = page.locator('.settings-editor .suggest-input-container textarea').first();
      await search.waitFor({ timeout: 15_000 });
      await search.fill('neurogebra.inlayHints.enabled');
      const checkbox = page.locator('.settings-editor .setting-item-contents').filter({ hasText: 'Inlay Hints: Enabled' })
        .locator('.setting-value-checkbox').first();
      await checkbox.waitFor({ timeout: 15_000 });
      await checkbox.click();
      await ngbTab.click();
      await until("the f'(0) line without its hint", 30_000, async () =>
        (await editorLines(page)).some((text) => text.trim() === "f'(0)"));
    });

    await check(page, 'a wrong neurogebra.server.path restarts into one clear notification with the install command', async () => {
      await runCommand(page, 'Preferences: Open User Settings');
      const search = page.locator('.settings-editor .suggest-input-container textarea').first();
      await search.waitFor({ timeout: 15_000 });
      // In code-server, machine-overridable settings are set in the Remote tab.
      await page.locator('.settings-editor .settings-tabs-widget .action-label').filter({ hasText: /^Remote/ }).click();
      await search.fill('neurogebra.server.path');
      const input = page.locator('.settings-editor .setting-item-contents').filter({ hasText: 'Server: Path' })
        .locator('input').first();
      await input.waitFor({ timeout: 15_000 });
      await input.fill(path.join(WORKSPACE, 'no-such-server'));
      await input.press('Tab');
      const text = await toastWith(page, 'pip install "neurogebra[lsp]"', 30_000);
      console.log(`  notification: ${text}`);
      const buttons = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'pip install' })
        .locator('.monaco-button').filter({ hasText: 'Open Settings' });
      if ((await buttons.count()) !== 1) {
        throw new Error('the notification has no "Open Settings" button');
      }
    }, { needsServer: false });
  } finally {
    await browser.close();
  }
}

const started = Date.now();
try {
  await main();
} catch (error) {
  results.push(false);
  console.log(`not ok - the test driver: ${error.stack}`);
}
const passed = results.filter(Boolean).length;
console.log(`VS Code e2e took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length && passed > 0 ? 0 : 1);
