// Turns the server's hover markdown into what VS Code shows: each ```math block (LaTeX) typeset by MathJax as an
// SVG image, and every SVG image coloured for the theme (an <img> does not inherit the hover's text colour).
// No `vscode` import: the unit tests and bench/typeset.mjs run it in plain Node.
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
import { plainText } from './latexPlain';

export type ThemeKind = 'dark' | 'light' | 'highContrastDark' | 'highContrastLight';

/** The hover text colour of VS Code's default themes of each kind. */
const FOREGROUND: Record<ThemeKind, string> = {
  dark: '#cccccc',
  light: '#1f1f1f',
  highContrastDark: '#ffffff',
  highContrastLight: '#000000',
};

export interface TypesetStyle {
  theme: ThemeKind;
  /** Pixels per TeX ex unit: the size of the typeset text. */
  pxPerEx: number;
}

const MATH_BLOCK = /^```math[ \t]*\r?\n([\s\S]*?)\r?\n```[ \t]*$/gm;
const SVG_IMAGE = /!\[([^\]]*)\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/g;
const EX_LENGTH = /(width|height)="(-?[\d.]+)ex"/g;
const MAX_CACHED = 500;

let mathDocument: ReturnType<typeof createMathDocument> | undefined;
const adaptor = liteAdaptor();

function createMathDocument() {
  RegisterHTMLHandler(adaptor);
  const tex = new TeX({
    packages: ['base', 'ams'],
    formatError: (_jax: unknown, error: Error) => {
      throw error; // instead of typesetting the error message, so that the block stays readable as code
    },
  });
  return mathjax.document('', { InputJax: tex, OutputJax: new SVG({ fontCache: 'local' }) });
}

/** One LaTeX formula as a self-contained SVG document of its natural size in pixels. Throws on a TeX error. */
function renderSvg(latex: string, style: TypesetStyle): string {
  mathDocument ??= createMathDocument();
  const container = mathDocument.convert(latex, { display: true, ex: style.pxPerEx, em: 2 * style.pxPerEx });
  const svg = adaptor.innerHTML(container)
    .replace(EX_LENGTH, (_, side: string, ex: string) => `${side}="${(Number(ex) * style.pxPerEx).toFixed(1)}px"`);
  return colour(compact(svg), FOREGROUND[style.theme]);
}

/**
 * A third smaller, drawn the same: without MathJax's data attributes (for its own menus), with short glyph ids.
 * VS Code shows at most 100,000 characters of a hover's markdown, images included.
 */
function compact(svg: string): string {
  const ids = new Map<string, string>();
  const shortId = (id: string): string => {
    if (!ids.has(id)) {
      ids.set(id, `g${ids.size}`);
    }
    return ids.get(id) as string;
  };
  return svg
    .replace(/ data-(?:mml-node|c|mjx-texclass)="[^"]*"/g, '')
    .replace(/ id="(MJX-[^"]+)"/g, (_, id: string) => ` id="${shortId(id)}"`)
    .replace(/ xlink:href="#(MJX-[^"]+)"/g, (_, id: string) => ` href="#${shortId(id)}"`)
    .replace(/><\/use>/g, '/>')
    .replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', '');
}

function colour(svg: string, foreground: string): string {
  return svg.replace(/currentColor/g, foreground);
}

function svgImage(alt: string, svg: string): string {
  return `![${alt}](data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')})`;
}

/** Typesets hovers; remembers each formula's image per style, as hovering the same name again is common. */
export class HoverTypesetter {
  private readonly images = new Map<string, string | null>();

  typeset(markdown: string, style: TypesetStyle): string {
    const foreground = FOREGROUND[style.theme];
    const recoloured = markdown.replace(SVG_IMAGE, (_image, alt: string, base64: string) =>
      svgImage(alt, colour(Buffer.from(base64, 'base64').toString('utf8'), foreground)));
    return recoloured.replace(MATH_BLOCK, (_block, latex: string) => this.image(latex, style) ?? '```latex\n' + latex + '\n```');
  }

  /** The markdown image of one formula, or null when MathJax cannot typeset it. */
  private image(latex: string, style: TypesetStyle): string | null {
    const key = `${style.theme} ${style.pxPerEx}\n${latex}`;
    let image = this.images.get(key);
    if (image === undefined) {
      try {
        image = svgImage(plainText(latex), renderSvg(latex, style));
      } catch {
        image = null;
      }
      if (this.images.size >= MAX_CACHED) {
        this.images.delete(this.images.keys().next().value as string);
      }
      this.images.set(key, image);
    }
    return image;
  }
}
