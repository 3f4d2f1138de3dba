import * as assert from 'assert';
import manifest from '../package.json';
import { needsRestart, serverSettings, settingsForSection, SettingsObject } from '../src/settings';

const unset = (): undefined => undefined;
const defaults = serverSettings(unset);

/** package.json's settings, generated from the server's schema (python -m neurogebra_lsp.schema --write). */
const declared = manifest.contributes.configuration.properties as Record<string, { default?: unknown }>;
/** The settings only the extension reads (the schema's EXTENSION_SETTINGS). */
const extensionOnly = ['server.path', 'server.args', 'interpreter', 'trace.server'];

function at(root: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as SettingsObject | undefined)?.[part], root);
}

describe('serverSettings', () => {
  it('nests every declared server setting with its default the way the server reads it, and no client-only one', () => {
    const keys = Object.keys(declared).map((fullKey) => fullKey.slice('neurogebra.'.length));
    assert.ok(keys.includes('gradcheck.samples') && keys.includes('hover.rich'));
    for (const key of keys) {
      const expected = extensionOnly.includes(key) ? undefined : declared[`neurogebra.${key}`].default;
      assert.deepStrictEqual(at(defaults, key), expected, key);
    }
    assert.strictEqual(at(defaults, 'gradcheck.samples'), 100);
    assert.strictEqual(at(defaults, 'hover.rich'), true);  // the server's default is false
    assert.strictEqual(at(defaults, 'hover.typeset'), true);  // not a setting: this client typesets
    assert.deepStrictEqual(Object.keys(defaults).sort(), [...new Set(keys.filter((key) => !extensionOnly.includes(key))
      .map((key) => key.split('.')[0]))].sort());
  });

  it('takes the values the editor has', () => {
    const values: Record<string, unknown> = { 'gradcheck.samples': 7, 'hover.rich': false, 'server.path': '/x' };
    const settings = serverSettings((key) => values[key]);
    assert.deepStrictEqual(settings.gradcheck, { ...(defaults.gradcheck as SettingsObject), samples: 7 });
    assert.deepStrictEqual(settings.hover, { ...(defaults.hover as SettingsObject), rich: false, typeset: true });
    assert.strictEqual(settings.server, undefined);
  });
});

describe('settingsForSection', () => {
  const values: Record<string, unknown> = { 'gradcheck.rtol': 0.5 };
  const get = (key: string): unknown => values[key];

  it('answers the whole section', () => {
    assert.deepStrictEqual(settingsForSection('neurogebra', get), serverSettings(get));
  });

  it('answers a subsection and a single value', () => {
    assert.deepStrictEqual(settingsForSection('neurogebra.gradcheck', get), { ...(defaults.gradcheck as SettingsObject), rtol: 0.5 });
    assert.strictEqual(settingsForSection('neurogebra.gradcheck.rtol', get), 0.5);
    assert.strictEqual(settingsForSection('neurogebra.hover.typeset', get), true);
  });

  it('answers null for an unknown key of ours and leaves other sections alone', () => {
    assert.strictEqual(settingsForSection('neurogebra.nothing', get), null);
    assert.strictEqual(settingsForSection('neurogebra.server.path', get), null);
    assert.strictEqual(settingsForSection('python', get), undefined);
    assert.strictEqual(settingsForSection('neurogebraX', get), undefined);
  });
});

describe('needsRestart', () => {
  const changed = (...keys: string[]) => (key: string): boolean => keys.includes(key);

  it('restarts for the server path, its arguments and the interpreter', () => {
    assert.ok(needsRestart(changed('neurogebra.server.path')));
    assert.ok(needsRestart(changed('neurogebra.server.args')));
    assert.ok(needsRestart(changed('neurogebra.interpreter')));
  });

  it('only notifies for settings the server reads', () => {
    assert.ok(!needsRestart(changed('neurogebra.gradcheck.samples', 'neurogebra.hover.rich', 'neurogebra.trace.server')));
  });
});
