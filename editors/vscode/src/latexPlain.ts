// A one-line plain reading of a LaTeX formula, for the alt text of its typeset image: `σ(x) = 1/(1 + e^(−x))`.

const SYMBOLS: Record<string, string> = {
  cdot: '·', times: '×', partial: '∂', infty: '∞', leq: '≤', geq: '≥', neq: '≠', approx: '≈', pm: '±',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', theta: 'θ', lambda: 'λ',
  mu: 'μ', pi: 'π', sigma: 'σ', tau: 'τ', phi: 'φ', omega: 'ω', Delta: 'Δ', Sigma: 'Σ',
  '\\': ';', ',': ' ', ';': ' ', ':': ' ', '!': '', quad: ' ', qquad: ' ', left: '', right: '',
};

/** Commands whose braced arguments are read, and how they read. */
const TEMPLATES: Record<string, (args: string[]) => string> = {
  frac: ([numerator, denominator]) => `${grouped(numerator)}/${grouped(denominator)}`,
  sqrt: ([radicand]) => `√${grouped(radicand)}`,
  operatorname: ([name]) => name,
  mathit: ([name]) => name,
  mathrm: ([name]) => name,
  text: ([words]) => words,
  begin: () => '',
  end: () => '',
};
const ARITY: Record<string, number> = { frac: 2 };
const COMMAND = /\\([a-zA-Z]+|.)/y;

function grouped(text: string): string {
  return /^[\p{L}\p{N}_.′']+$/u.test(text) ? text : `(${text})`;
}

/** The index of the `}` that closes the `{` at `open` (the text's end when it is not closed). */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text[index] === '{') {
      depth++;
    } else if (text[index] === '}' && --depth === 0) {
      return index;
    }
  }
  return text.length;
}

function read(latex: string): string {
  let text = '';
  let index = 0;
  while (index < latex.length) {
    const char = latex[index];
    if (char === '\\') {
      COMMAND.lastIndex = index;
      const name = COMMAND.exec(latex)?.[1] ?? '';
      index += 1 + name.length;
      const template = TEMPLATES[name];
      if (template === undefined) {
        text += SYMBOLS[name] ?? name;
        continue;
      }
      const args: string[] = [];
      while (args.length < (ARITY[name] ?? 1) && latex.slice(index).trimStart().startsWith('{')) {
        const open = latex.indexOf('{', index);
        const close = closingBrace(latex, open);
        args.push(read(latex.slice(open + 1, close)).trim());
        index = close + 1;
      }
      text += template(args);
    } else if (char === '{') {
      const close = closingBrace(latex, index);
      const inner = read(latex.slice(index + 1, close)).trim();
      text += text.endsWith('^') || text.endsWith('_') ? grouped(inner) : inner;
      index = close + 1;
    } else {
      text += char === '&' || char === '[' || char === ']' ? '' : char;
      index++;
    }
  }
  return text;
}

export function plainText(latex: string, maxChars = 120): string {
  const text = read(latex).replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ (?=[);])/g, '').replace(/;$/, '').trim();
  return text.length <= maxChars ? text : text.slice(0, maxChars - 1) + '…';
}
