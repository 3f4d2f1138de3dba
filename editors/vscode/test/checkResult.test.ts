import * as assert from 'assert';
import { readCheckResult } from '../src/checkResult';

describe('readCheckResult', () => {
  it("reads the server's summary and the diagnostics of each file", () => {
    const diagnostic = { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } }, message: 'wrong' };
    const result = readCheckResult({
      files: 2, errors: 1, warnings: 0, message: 'checked 2 file(s): 1 error(s), 0 warning(s)',
      documents: [{ uri: 'file:///w/a.ngb', diagnostics: [diagnostic] }, { uri: 42 }, 'junk'],
    });
    assert.deepStrictEqual(result, {
      summary: 'checked 2 file(s): 1 error(s), 0 warning(s)',
      documents: [{ uri: 'file:///w/a.ngb', diagnostics: [diagnostic] }],
    });
  });

  it('takes a plain string as the summary and anything else as a bare "checked"', () => {
    assert.deepStrictEqual(readCheckResult('3 files'), { summary: '3 files', documents: [] });
    assert.deepStrictEqual(readCheckResult(null), { summary: 'workspace checked', documents: [] });
    assert.deepStrictEqual(readCheckResult({ message: '' }), { summary: 'workspace checked', documents: [] });
  });
});
