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

/** The text of the active editor's rendered lines, top to bottom (inlay hints included, as Monaco renders them). */
async function editorLines(page) {
  return page.evaluate((editorSelector) => {
    const lines = [...document.querySelectorAll(`${editorSelector} .view-lines .view-line`)];
    return lines
      .map((line) => ({ top: parseFloat(line.style.top) || 0, text: line.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text);
  }, EDITOR);
}

/** Screen coordinates of the first character of `text` in the rendered line that starts with `lineStart`. */
async function pointAt(page, lineStart, text) {
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
  }, { editorSelector: EDITOR, lineStart, text });
  return until(`"${text}" in the line "${lineStart}..." of the editor`, 10_000, find);
}

/** Hovers `text` in the line `prefix` until the hover shows `expected`; the first hovers may come before the server. */
async function hoverUntil(page, prefix, text, expected) {
  const deadline = Date.now() + SERVER_START_MS;
  let seen = '(no hover)';
  while (Date.now() < deadline) {
    const point = await pointAt(page, prefix, text);
    await page.mouse.move(point.x - 40, point.y + 60);
    await sleep(150);
    await page.mouse.move(point.x, point.y, { steps: 4 });
    const hover = page.locator('.monaco-hover-content').filter({ hasText: expected }).first();
    try {
      await hover.waitFor({ state: 'visible', timeout: 3_000 });
      return hover;
    } catch {
      seen = (await page.locator('.monaco-hover-content').allInnerTexts()).join(' | ') || '(no hover)';
    }
  }
  throw new Error(`no hover with ${expected} over "${text}"; last seen: ${seen}`);
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

async function openInsertDerivativeMenu(page, prefix, text) {
  await page.keyboard.press('Escape');
  const point = await pointAt(page, prefix, text);
  await page.mouse.click(point.x, point.y);
  for (const menu of ['Quick Fix...', 'Refactor...']) {
    await runCommand(page, menu);
    const action = page.locator('.action-widget .monaco-list-row').filter({ hasText: /Insert derivative/ }).first();
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
  throw new Error(`no "Insert derivative" action on "${prefix}" under Quick Fix... or Refactor...`);
}

async function toastWith(page, pattern, timeoutMs) {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: pattern }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.innerText()).replace(/\s+/g, ' ');
}

const results = [];
/** Set by the first hover: once the server has never answered, its other checks fail without waiting. */
let serverAnswered;

async function check(page, name, body, { needsServer = true } = {}) {
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
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
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

    serverAnswered = await check(page, 'hovering f shows its derivative 2*x + 3', async () => {
      const hover = await hoverUntil(page, 'f(x) = x**2', 'f', DERIVATIVE);
      console.log(`  hover: ${(await hover.innerText()).replace(/\s+/g, ' ').slice(0, 160)}`);
      await sleep(500);
      await screenshot('hover.png');
    });

    await check(page, 'the hover shows an SVG plot (neurogebra.hover.rich is on by default)', async () => {
      const images = page.locator('.monaco-hover-content img[src^="data:image/svg+xml"]');
      await images.first().waitFor({ state: 'visible', timeout: 5_000 });
      const boxes = await images.evaluateAll((all) => all.map((img) => [img.naturalWidth, img.naturalHeight]));
      console.log(`  images (natural size): ${JSON.stringify(boxes)}`);
      if (!boxes.some(([width, height]) => width > 0 && height > 0)) {
        throw new Error('the SVG images in the hover did not load');
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
      await screenshot('problems.png');
    });

    await check(page, "'Insert derivative d/dx' on f(x) inserts f'(x) = 2*x + 3", async () => {
      const before = await editorLines(page);
      const action = await openInsertDerivativeMenu(page, 'f(x) = x**2', 'f');
      await screenshot('quick-fix.png');
      await action.click({ timeout: 5_000 });
      const after = await until('the inserted derivative line', 15_000, async () => {
        const lines = await editorLines(page);
        return lines.length === before.length + 1 && lines.some((l) => /^f'\(x\)\s*=/.test(l) && DERIVATIVE.test(l)) && lines;
      });
      console.log(`  lines now: ${JSON.stringify(after)}`);
    });

    await check(page, 'hovering the formula string in Python shows its derivative', async () => {
      await openFile(page, 'model.py');
      const hover = await hoverUntil(page, 'f = Expression(', 'x**2', DERIVATIVE);
      console.log(`  hover: ${(await hover.innerText()).replace(/\s+/g, ' ').slice(0, 160)}`);
      await sleep(500);
      await screenshot('python-hover.png');
    });

    await check(page, "'Insert derivative d/dx' in Python adds a line defining the derivative Expression", async () => {
      await page.mouse.move(5, 5);
      const before = await editorLines(page);
      const action = await openInsertDerivativeMenu(page, 'f = Expression(', 'x**2');
      await action.click({ timeout: 5_000 });
      const after = await until('the inserted Python line', 15_000, async () => {
        const lines = await editorLines(page);
        const index = lines.findIndex((l) => l.startsWith('f = Expression('));
        return lines.length === before.length + 1 && /Expression\(/.test(lines[index + 1] ?? '') &&
          DERIVATIVE.test(lines[index + 1]) && lines[index + 1];
      });
      console.log(`  inserted: ${after}`);
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
