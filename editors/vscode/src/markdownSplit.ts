// VS Code shows at most 100,000 characters of one markdown string and cuts the rest, which can fall inside an
// image's data URI. A hover whose typeset images make it longer goes out as several strings, split between blocks.

export const MAX_MARKDOWN_CHARS = 100_000;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Whether the text opens no code fence and no <details> that it does not close. */
function complete(text: string): boolean {
  return count(text, /^```/gm) % 2 === 0 && count(text, /<details\b/g) === count(text, /<\/details>/g);
}

/** The markdown's top-level blocks: paragraphs, code blocks and <details> folds, each whole. */
function blocks(markdown: string): string[] {
  const found: string[] = [];
  let open = '';
  for (const paragraph of markdown.split(/\n\n+/)) {
    open = open === '' ? paragraph : `${open}\n\n${paragraph}`;
    if (complete(open)) {
      found.push(open);
      open = '';
    }
  }
  return open === '' ? found : [...found, open];
}

/** The markdown in as few strings of at most `maxChars` as its blocks allow (a longer block stays whole). */
export function splitMarkdown(markdown: string, maxChars = MAX_MARKDOWN_CHARS): string[] {
  if (markdown.length <= maxChars) {
    return [markdown];
  }
  const parts: string[] = [];
  let current = '';
  for (const block of blocks(markdown)) {
    if (current !== '' && current.length + 2 + block.length > maxChars) {
      parts.push(current);
      current = block;
    } else {
      current = current === '' ? block : `${current}\n\n${block}`;
    }
  }
  return [...parts, current];
}
