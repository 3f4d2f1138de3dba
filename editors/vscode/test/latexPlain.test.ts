import * as assert from 'assert';
import { plainText } from '../src/latexPlain';

describe('plainText', () => {
  it('reads fractions, roots, names and rows of an aligned block as one line', () => {
    assert.strictEqual(
      plainText(String.raw`\begin{aligned} \sigma\left(x\right) &= \frac{1}{1 + e^{- x}} \\ \operatorname{loss}' &= \sqrt{\frac{2}{\pi}} \cdot y_{1} \end{aligned}`),
      "σ(x) = 1/(1 + e^(- x)); loss' = √(2/π) · y_1");
  });

  it('keeps the words of \\text and shortens a long formula', () => {
    assert.strictEqual(plainText(String.raw`x &&\text{(claimed)}`), 'x (claimed)');
    const long = plainText('x + '.repeat(100), 40);
    assert.strictEqual(long.length, 40);
    assert.ok(long.endsWith('…'));
  });
});
