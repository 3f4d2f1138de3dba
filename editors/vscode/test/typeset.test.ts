import * as assert from 'assert';
import { HoverTypesetter, TypesetStyle } from '../src/typeset';

const DARK: TypesetStyle = { theme: 'dark', pxPerEx: 8 };
const LIGHT: TypesetStyle = { theme: 'light', pxPerEx: 8 };
const GELU_TANH = String.raw`\begin{aligned}
\operatorname{gelu}\left(x\right) &= \frac{x}{2} \left(\tanh{\left(\sqrt{\frac{2}{\pi}} \left(x + 0.044715 x^{3}\right) \right)} + 1\right) \\
\operatorname{gelu}'\left(x\right) &= \frac{1}{2} + \frac{1}{2} \tanh{\left(u \right)} + \frac{x}{2} \sqrt{\frac{2}{\pi}} \left(1 + 0.134145 x^{2}\right) \left(1 - \tanh^{2}{\left(u \right)}\right)
\end{aligned}`;

const mathBlock = (latex: string): string => '```math\n' + latex + '\n```';
const images = (markdown: string): { alt: string; svg: string }[] =>
  [...markdown.matchAll(/!\[([^\]]*)\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/g)]
    .map((match) => ({ alt: match[1], svg: Buffer.from(match[2], 'base64').toString('utf8') }));

describe('HoverTypesetter', () => {
  it('replaces each math block by an SVG image with a plain alt text, keeping the text around it', () => {
    const hover = `✗ the claimed derivative is wrong\n\n${mathBlock(GELU_TANH)}\n\n` +
      `<details><summary>f′(x) = …</summary>\n\n${mathBlock(String.raw`\begin{aligned} f'\left(x\right) &= 2 x + 3 \end{aligned}`)}\n\n</details>`;
    const typeset = new HoverTypesetter().typeset(hover, DARK);
    assert.ok(!typeset.includes('```'), typeset);
    assert.ok(typeset.startsWith('✗ the claimed derivative is wrong\n\n!['));
    assert.ok(typeset.includes('<details><summary>f′(x) = …</summary>\n\n!['));
    const [gelu, claim] = images(typeset);
    assert.match(gelu.svg, /^<svg [^>]*width="[\d.]+px" height="[\d.]+px"/);
    const glyphs = new Set([...gelu.svg.matchAll(/<path id="([^"]+)"/g)].map((match) => match[1]));
    const uses = [...gelu.svg.matchAll(/<use href="#([^"]+)"/g)].map((match) => match[1]);
    assert.ok(uses.length > 0 && uses.every((id) => glyphs.has(id)), 'the glyphs are drawn in the SVG itself');
    assert.ok(!gelu.svg.includes('currentColor'));
    assert.match(gelu.alt, /^gelu\(x\) = x\/2 \(tanh\(√\(2\/π\) \(x \+ 0\.044715 x\^3\)\) \+ 1\); gelu'\(x\) = 1\/2 \+ /);
    assert.strictEqual(claim.alt, "f'(x) = 2 x + 3");
  });

  it('colours the text for the theme kind', () => {
    const typesetter = new HoverTypesetter();
    const [dark] = images(typesetter.typeset(mathBlock('x^{2}'), DARK));
    const [light] = images(typesetter.typeset(mathBlock('x^{2}'), LIGHT));
    const [highContrast] = images(typesetter.typeset(mathBlock('x^{2}'), { theme: 'highContrastDark', pxPerEx: 8 }));
    assert.match(dark.svg, /fill="#cccccc"/);
    assert.match(light.svg, /fill="#1f1f1f"/);
    assert.match(highContrast.svg, /fill="#ffffff"/);
  });

  it('sizes the image from the pixels per ex', () => {
    const typesetter = new HoverTypesetter();
    const width = (pxPerEx: number): number => {
      const [image] = images(typesetter.typeset(mathBlock('x + 1'), { theme: 'dark', pxPerEx }));
      return Number(/width="([\d.]+)px"/.exec(image.svg)?.[1]);
    };
    assert.ok(width(8) > 0);
    assert.ok(Math.abs(width(16) - 2 * width(8)) < 0.2, `${width(16)} vs ${width(8)}`);
  });

  it('leaves a block MathJax cannot typeset as a LaTeX code block', () => {
    const hover = `${mathBlock(String.raw`\frac{1}{`)}\n\n${mathBlock('x^{2}')}`;
    const typeset = new HoverTypesetter().typeset(hover, DARK);
    assert.ok(typeset.startsWith('```latex\n\\frac{1}{\n```\n\n!['), typeset);
    assert.strictEqual(images(typeset).length, 1);
  });

  it('recolours the currentColor of an SVG image the server sent (the plot)', () => {
    const plot = '<svg xmlns="http://www.w3.org/2000/svg"><path stroke="currentColor"/><text fill="currentColor">x</text></svg>';
    const hover = `text\n\n![plot of f](data:image/svg+xml;base64,${Buffer.from(plot).toString('base64')})`;
    const typeset = new HoverTypesetter().typeset(hover, LIGHT);
    assert.deepStrictEqual(images(typeset), [{ alt: 'plot of f', svg: plot.replace(/currentColor/g, '#1f1f1f') }]);
    assert.ok(typeset.startsWith('text\n\n'));
  });

  it('leaves a hover without math or images as it is', () => {
    const hover = '✓ right\n\n```text\nf′(x) = 2·x + 3\n```\n\nA quadratic.';
    assert.strictEqual(new HoverTypesetter().typeset(hover, DARK), hover);
  });
});
