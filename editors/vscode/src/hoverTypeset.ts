// The hover middleware: typesets the server's ```math blocks and colours its images for the current theme.
import * as vscode from 'vscode';
import type { ProvideHoverSignature } from 'vscode-languageclient/node';
import { splitMarkdown } from './markdownSplit';
import type { HoverTypesetter, ThemeKind, TypesetStyle } from './typeset';

const THEME_KINDS: Record<vscode.ColorThemeKind, ThemeKind> = {
  [vscode.ColorThemeKind.Light]: 'light',
  [vscode.ColorThemeKind.Dark]: 'dark',
  [vscode.ColorThemeKind.HighContrast]: 'highContrastDark',
  [vscode.ColorThemeKind.HighContrastLight]: 'highContrastLight',
};

/** Hover text has the editor's font size; MathJax's letters match it at about 8px per ex for the default 14px. */
const PX_PER_EX_PER_FONT_PX = 8 / 14;

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
    pxPerEx: Math.round(PX_PER_EX_PER_FONT_PX * fontSize * 10) / 10,
  };
}

type HoverContent = vscode.MarkdownString | vscode.MarkedString;

function typesetContent(content: HoverContent, typeset: (markdown: string) => string): HoverContent[] {
  if (!(content instanceof vscode.MarkdownString)) {
    return [content];
  }
  return splitMarkdown(typeset(content.value)).map((markdown) => {
    const part = new vscode.MarkdownString(markdown, content.supportThemeIcons);
    part.isTrusted = content.isTrusted;
    part.supportHtml = content.supportHtml;
    part.baseUri = content.baseUri;
    return part;
  });
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
      const contents = hover.contents.flatMap((content: HoverContent) =>
        typesetContent(content, (markdown) => hoverTypesetter.typeset(markdown, style)));
      return new vscode.Hover(contents, hover.range);
    } catch (error) {
      log(`Typesetting a hover failed, showing it as the server sent it: ${error}`);
      return hover;
    }
  };
}
