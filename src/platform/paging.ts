/**
 * Long lists are read a page at a time: a page must stay small on a phone and a slow link.
 * `page` is the query's page number (validated by the route's schema as 1–99999).
 */
export interface PageOf {
  limit: number;
  offset: number;
}

/** What a list's pager says and links to. */
export interface Pager {
  /** The first and last row shown (1-based), of `total`. */
  from: number;
  to: number;
  total: number;
  page: number;
  pages: number;
}

export function pageOf(page: string | undefined, size: number): PageOf {
  const n = page ? Number(page) : 1;
  return { limit: size, offset: (Math.max(1, Math.floor(n)) - 1) * size };
}

export function pagerOf(page: PageOf, total: number): Pager {
  return {
    from: Math.min(total, page.offset + 1),
    to: Math.min(total, page.offset + page.limit),
    total,
    page: page.offset / page.limit + 1,
    pages: Math.max(1, Math.ceil(total / page.limit)),
  };
}
