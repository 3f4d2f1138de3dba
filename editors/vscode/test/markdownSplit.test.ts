import * as assert from 'assert';
import { splitMarkdown } from '../src/markdownSplit';

describe('splitMarkdown', () => {
  it('leaves markdown within the limit as one string', () => {
    assert.deepStrictEqual(splitMarkdown('a\n\nb', 10), ['a\n\nb']);
  });

  it('splits between blocks, never inside a code block or a <details> fold', () => {
    const fence = '```text\nline one\n\nline two\n```';
    const fold = '<details><summary>long</summary>\n\n![image](data:x)\n\n</details>';
    const markdown = ['verdict', fence, fold, 'plot'].join('\n\n');
    assert.deepStrictEqual(splitMarkdown(markdown, 35), ['verdict', fence, fold, 'plot']);
    assert.deepStrictEqual(splitMarkdown(markdown, 80), [`verdict\n\n${fence}`, `${fold}\n\nplot`]);
  });

  it('keeps a block longer than the limit whole', () => {
    const long = 'x'.repeat(30);
    assert.deepStrictEqual(splitMarkdown(`a\n\n${long}\n\nb`, 20), ['a', long, 'b']);
  });
});
