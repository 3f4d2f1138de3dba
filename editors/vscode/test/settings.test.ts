import * as assert from 'assert';
import { needsRestart, serverSettings, settingsForSection } from '../src/settings';

const unset = (): undefined => undefined;

describe('serverSettings', () => {
  it('nests the declared defaults the way the server reads them, without client-only settings', () => {
    assert.deepStrictEqual(serverSettings(unset), {
      gradcheck: { samples: 100, rtol: 1e-6, atol: 0, dtype: 'float64' },
      defaultDomain: '(-inf, inf)',
      inlayHints: { enabled: true },
      hover: { maxDerivativeOrder: 3, rich: true, typeset: true },
      analysis: { timeBudgetMs: 10000 },
      python: { enabled: true },
      diagnostics: { poles: false },
    });
  });

  it('takes the values the editor has', () => {
    const values: Record<string, unknown> = { 'gradcheck.samples': 7, 'hover.rich': false, 'server.path': '/x' };
    const settings = serverSettings((key) => values[key]);
    assert.deepStrictEqual(settings.gradcheck, { samples: 7, rtol: 1e-6, atol: 0, dtype: 'float64' });
    assert.deepStrictEqual(settings.hover, { maxDerivativeOrder: 3, rich: false, typeset: true });
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
    assert.deepStrictEqual(settingsForSection('neurogebra.gradcheck', get), { samples: 100, rtol: 0.5, atol: 0, dtype: 'float64' });
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
