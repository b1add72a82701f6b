/**
 * The forms of a page, read as a browser reads them, so that tests post what the real form
 * posts (field names and a valid value for each) and stay true when a form changes.
 */
export interface FormShape {
  method: 'GET' | 'POST';
  action: string;
  enctype: string;
  /** Field name → the values a person can choose (the first is the default). */
  fields: Map<string, string[]>;
  /** Fields sent with every value ticked (check boxes, multiple selects). */
  multi: Set<string>;
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, '&');

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (m) return decode(m[1] ?? m[2] ?? m[3] ?? '');
  // A bare attribute (`<option value selected>`) is the empty string, as a browser reads it.
  return new RegExp(`\\s${name}(?=[\\s>/])`, 'i').test(tag) ? '' : undefined;
};
const flag = (tag: string, name: string) => new RegExp(`\\s${name}(\\s|=|>|/)`, 'i').test(tag);

export function formsIn(html: string, pageUrl: string): FormShape[] {
  const forms: FormShape[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = `<form${m[1]}>`;
    const inner = m[2] ?? '';
    const method = (attr(open, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
    const action = attr(open, 'action') || pageUrl.split('?')[0] || '/';
    const fields = new Map<string, string[]>();
    const multi = new Set<string>();
    const add = (name: string | undefined, value: string, first = false) => {
      if (!name || name === '_csrf') return;
      const list = fields.get(name) ?? [];
      if (!list.includes(value)) first ? list.unshift(value) : list.push(value);
      fields.set(name, list);
    };
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const tag = input[0];
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      if (['submit', 'button', 'reset', 'image', 'file'].includes(type)) {
        if (type === 'submit' && attr(tag, 'name')) add(attr(tag, 'name'), attr(tag, 'value') ?? '');
        continue;
      }
      const name = attr(tag, 'name');
      if (type === 'checkbox') {
        if (name) multi.add(name);
        add(name, attr(tag, 'value') ?? 'on');
      } else add(name, attr(tag, 'value') ?? '', type === 'radio' && flag(tag, 'checked'));
    }
    for (const button of inner.matchAll(/<button\b[^>]*>/gi)) {
      const name = attr(button[0], 'name');
      if (name) add(name, attr(button[0], 'value') ?? '');
    }
    for (const select of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const tag = `<select${select[1]}>`;
      const name = attr(tag, 'name');
      if (flag(tag, 'multiple') && name) multi.add(name);
      for (const option of (select[2] ?? '').matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)) {
        const otag = `<option${option[1]}>`;
        const value = attr(otag, 'value') ?? decode(option[2] ?? '').trim();
        add(name, value, flag(otag, 'selected'));
      }
    }
    for (const area of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) add(attr(`<textarea${area[1]}>`, 'name'), decode(area[2] ?? ''));
    forms.push({ method, action, enctype: attr(open, 'enctype') ?? 'application/x-www-form-urlencoded', fields, multi });
  }
  return forms;
}

/** The route pattern (of `patterns`) a concrete path belongs to: static segments win. */
export function routeOf(path: string, patterns: string[]): string | undefined {
  const clean = path.split('?')[0]?.split('#')[0] ?? path;
  const matching = patterns.filter((p) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(clean));
  return matching.sort((a, b) => (a.match(/:/g)?.length ?? 0) - (b.match(/:/g)?.length ?? 0))[0];
}
