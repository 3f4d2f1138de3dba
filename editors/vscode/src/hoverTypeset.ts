// The hover middleware: typesets the server's ```math blocks and colours its images for the current theme.
import * as vscode from 'vscode';
import type { ProvideHoverSignature } from 'vscode-languageclient/node';
import type { HoverTypesetter, ThemeKind, TypesetStyle } from './typeset';

const THEME_KINDS: Record<vscode.ColorThemeKind, ThemeKind> = {
  [vscode.ColorThemeKind.Light]: 'light',
  [vscode.ColorThemeKind.Dark]: 'dark',
  [vscode.ColorThemeKind.HighContrast]: 'highContrastDark',
  [vscode.ColorThemeKind.HighContrastLight]: 'highContrastLight',
};

/** Pixels per ex at VS Code's default 14px editor font; the typeset text grows and shrinks with that font. */
const PX_PER_EX_AT_14PX = 8;

let typesetter: Promise<HoverTypesetter> | undefined;

/** MathJax is loaded when first needed (or by an early call after the server starts), not at activation. */
export function loadTypesetter(): Promise<HoverTypesetter> {
  typesetter ??= import('./typeset').then((module) => new module.HoverTypesetter());
  return typesetter;
}

function currentStyle(): TypesetStyle {
  const fontSize = vscode.workspace.getConfiguration('editor').get<number>('fontSize', 14);
  return {
    theme: THEME_KINDS[vscode.window.activeColorTheme.kind] ?? 'dark',
    pxPerEx: Math.round(PX_PER_EX_AT_14PX * (fontSize / 14) * 10) / 10,
  };
}

function typesetContent(content: vscode.MarkdownString | vscode.MarkedString, typeset: (markdown: string) => string) {
  if (!(content instanceof vscode.MarkdownString)) {
    return content;
  }
  const result = new vscode.MarkdownString(typeset(content.value), content.supportThemeIcons);
  result.isTrusted = content.isTrusted;
  result.supportHtml = content.supportHtml;
  result.baseUri = content.baseUri;
  return result;
}

export function typesetHoverMiddleware(log: (line: string) => void) {
  return async (
    document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken, next: ProvideHoverSignature,
  ): Promise<vscode.Hover | null | undefined> => {
    const hover = await next(document, position, token);
    if (!hover) {
      return hover;
    }
    try {
      const hoverTypesetter = await loadTypesetter();
      const style = currentStyle();
      const contents = hover.contents.map((content) =>
        typesetContent(content, (markdown) => hoverTypesetter.typeset(markdown, style)));
      return new vscode.Hover(contents, hover.range);
    } catch (error) {
      log(`Typesetting a hover failed, showing it as the server sent it: ${error}`);
      return hover;
    }
  };
}
