import MarkdownIt from 'markdown-it';

/**
 * People's rich text (missions, terms of reference) is Markdown rendered with raw HTML
 * disabled: whatever anyone types, the page gets no markup they wrote. Images are off too —
 * the Content-Security-Policy would block outside pictures, and a tracking pixel is the
 * last thing a participant needs.
 */
const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false }).disable(['image']);

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  // Links lead off the platform: tell nobody where the reader came from, vouch for nothing.
  tokens[idx]?.attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}

/**
 * The words of a Markdown text without its markup, for search and for short excerpts: the text
 * of markdown-it's own tokens, so that what it reads as markup goes and the rest stays as typed
 * (`snake_case` keeps its underscore; a link whose address has brackets leaves no ")").
 */
export function markdownToText(source: string): string {
  const parts: string[] = [];
  for (const token of md.parse(source, {})) {
    if (token.type === 'inline') {
      for (const child of token.children ?? []) {
        if (child.type === 'text' || child.type === 'code_inline') parts.push(child.content);
        else if (child.type === 'softbreak' || child.type === 'hardbreak') parts.push(' ');
      }
      parts.push(' ');
    } else if (token.type === 'code_block' || token.type === 'fence') {
      parts.push(token.content, ' ');
    }
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** At most `max` characters, cut at a word boundary. */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
