import { constants as zlibConstants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Config } from '../config.ts';
import type { ClientContext } from './context.ts';
import { AppError, type FieldErrors, isAppError } from './errors.ts';
import { DEFAULT_LOCALE, intlFor, type Intl_, isSupportedLocale, negotiate } from './i18n.ts';
import { ANONYMOUS, type AccessRule, type Actor, PUBLIC } from './policy.ts';
import { IdParam } from './schemas.ts';
import { cleanForm, fieldErrors, parse } from './validation.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    intl: Intl_;
    client: ClientContext;
  }
  interface FastifyReply {
    page(node: VNode, status?: number): FastifyReply;
  }
  interface FastifyInstance {
    /** Every route with the access rule it declared: the access test is generated from it. */
    routeTable: RouteEntry[];
  }
  interface FastifyContextConfig {
    /** Who may call this route. Required on every route: a route without it does not start. */
    access?: AccessRule;
    /**
     * A one-click unsubscribe (RFC 8058): the mail program POSTs to the address in the message,
     * with no session, no cookie and no form token. The capability in the path (an HMAC naming one
     * person and one digest) is the whole authority, and the route acts on nothing a session
     * could lend it, so the CSRF checks, which protect sessions, do not apply. Nothing else may
     * set this.
     */
    oneClick?: true;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: string;
}

export const LOCALE_COOKIE = 'ns_lang';

/** A file from a multipart form. `truncated` means it was larger than UPLOAD_LIMIT_BYTES. */
export interface Upload {
  filename: string;
  mediaType: string;
  data: Buffer;
  truncated: boolean;
}
export const UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * The query string of a filtered list (empty values and page 1 left out), in a fixed key order,
 * for links that keep the filters.
 */
export function filterQuery(keys: readonly string[], values: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const key of keys) {
    const v = values[key];
    if (v !== undefined && v !== '' && !(key === 'page' && v === 1)) params.set(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * A file name as sent, without path separators or control characters, kept short. Bidi controls
 * go too: "report\u202Efdp.exe" must not read as "reportexe.pdf" (platform/input.ts).
 */
export function safeFilename(name: string, fallback: string): string {
  return name.replace(/[\u202A-\u202E\u2066-\u2069]/g, '').replace(/[\\/\p{Cc}]/gu, '_').slice(-120) || fallback;
}

export function isUpload(value: unknown): value is Upload {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as Upload).data) && typeof (value as Upload).filename === 'string';
}
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function cookieNames(config: Config) {
  const secure = config.publicUrl.protocol === 'https:';
  return {
    secure,
    session: secure ? '__Host-ns_session' : 'ns_session',
    csrf: secure ? '__Host-ns_csrf' : 'ns_csrf',
  };
}

export function isApi(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

/** A coarse label for "active sessions": browser and system, nothing that singles a device out. */
export function deviceLabel(ua: string | undefined): string {
  if (!ua) return '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /curl|node|undici|python/i.test(ua)
            ? 'API client'
            : 'Browser';
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return system ? `${browser} · ${system}` : browser;
}

export function translateFields(intl: Intl_, fields: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, e]) => [k, intl.t(e.key, e.values)]));
}

/** Turns whatever was thrown into the one error type. */
function toAppError(err: FastifyError | Error, req: FastifyRequest): AppError {
  if (isAppError(err)) return err;
  const fe = err as FastifyError;
  // Busboy reports a broken multipart body with a plain Error and no code.
  if (!fe.code && req.isMultipart?.() && /multipart|part header|boundary|end of form/i.test(err.message)) return AppError.invalid({}, 'errors.badBody');
  if (fe.validation) return AppError.invalid(fieldErrors(fe.validation as never));
  switch (fe.code) {
    case 'FST_CSRF_MISSING_SECRET':
    case 'FST_CSRF_INVALID_TOKEN':
      return new AppError('csrf_failed', 'errors.csrf');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'errors.tooLarge');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'errors.mediaType');
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('payload_too_large', 'errors.tooLarge');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return AppError.invalid({}, 'errors.badBody');
  }
  if (err instanceof SyntaxError || (fe.statusCode === 400 && !fe.validation)) return AppError.invalid({}, 'errors.badBody');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return fe.statusCode === 404 ? AppError.notFound() : AppError.invalid({}, 'errors.badBody');
  }
  return new AppError('internal', 'errors.server', { internal: err.message });
}

/** How requests become people: the accounts module answers, the platform only asks. */
export interface SessionResolver {
  resolveSession(token: string): Promise<Actor | undefined>;
  resolveApiToken(token: string): Promise<Actor | undefined>;
}

/**
 * What the platform shows but does not draw: the views hand in the error page and the
 * stylesheet, so the platform sits below them and never imports views/.
 */
export interface HttpViews {
  errorPage(req: FastifyRequest, reply: FastifyReply, error: { status: number; messageKey: string; values?: Record<string, string | number> | undefined; fields?: string[] }): VNode;
  stylesheet: { url: string; css: string };
}

export async function registerHttpPlatform(app: FastifyInstance, config: Config, accounts: SessionResolver, views: HttpViews): Promise<void> {
  const names = cookieNames(config);

  // Deny by default: a route that does not say who may call it is a programming error.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    if (!route.config?.access) throw new Error(`Route ${route.method} ${route.url} declares no access rule`);
    // The one exemption from the CSRF checks is for one-click unsubscribe addresses only.
    if (route.config.oneClick && (route.method !== 'POST' || route.config.access !== PUBLIC || !route.url.startsWith('/notifications/unsubscribe/'))) {
      throw new Error(`Route ${route.method} ${route.url} may not skip the CSRF checks`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeTable.push({ method, url: route.url, access: route.config.access.name });
    }
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(names.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: names.secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
  });
  // Brotli at quality 4: nearly the size of 11 for small pages, at a fraction of the CPU.
  await app.register(fastifyCompress, {
    global: true,
    threshold: 512,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(fastifyCookie, { hook: 'onRequest' });
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  // Forms with a file (sources of a warning sign, a forecasts file). Files are read into
  // memory up to the limit and handed to the handler as an Upload; nothing touches the disk.
  // Registered before the CSRF hook so the token inside a multipart body is seen.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 5, fields: 300, parts: 320, fieldSize: 64 * 1024 },
    throwFileSizeLimit: false,
    onFile: async (part) => {
      const data = await part.toBuffer();
      const upload: Upload = { filename: part.filename, mediaType: part.mimetype, data, truncated: part.file.truncated };
      (part as unknown as { value: Upload }).value = upload;
    },
  });
  await app.register(fastifyCsrf, {
    cookieKey: names.csrf,
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: names.secure },
  });

  app.decorateRequest('actor', null as never);
  app.decorateRequest('intl', null as never);
  app.decorateRequest('client', null as never);
  app.decorateReply('page', function (this: FastifyReply, node: VNode, status = 200) {
    return this.status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(`<!doctype html>${renderToString(node)}`);
  });

  // Who is asking, and in which language. Static files and the health checks skip the database
  // (a load balancer's check must not depend on a session lookup).
  app.addHook('onRequest', async (req, reply) => {
    req.actor = ANONYMOUS;
    req.client = { ip: req.ip, device: deviceLabel(req.headers['user-agent']) };
    if (!req.url.startsWith('/static/') && req.url !== '/healthz' && req.url !== '/readyz') {
      const auth = req.headers.authorization;
      const sessionToken = req.cookies[names.session];
      if (auth?.startsWith('Bearer ') && isApi(req)) {
        const actor = await accounts.resolveApiToken(auth.slice(7).trim());
        if (!actor) {
          req.intl = intlFor(negotiate(req.headers['accept-language']) ?? DEFAULT_LOCALE);
          throw new AppError('unauthenticated', 'errors.tokenInvalid');
        }
        req.actor = actor;
      } else if (sessionToken && sessionToken.length < 200) {
        req.actor = (await accounts.resolveSession(sessionToken)) ?? ANONYMOUS;
      }
    }
    const cookieLocale = req.cookies[LOCALE_COOKIE];
    const personLocale = req.actor.kind === 'person' ? req.actor.locale : null;
    // A link may ask for its page in a language (`?lang=ar`): a consultation's address sent to a
    // community in Arabic opens in Arabic for everyone, whatever they chose before. A visitor who
    // has chosen nothing (no account, no cookie) keeps it for the next pages, as if they had used
    // the switch; anyone else's choice is left as it is. The parameter is taken off the query so
    // that no route's schema sees it.
    const query = req.query as Record<string, unknown> | undefined;
    const linkLocale = query && typeof query.lang === 'string' ? query.lang : undefined;
    if (query && 'lang' in query) delete query.lang;
    if (req.method === 'GET' && isSupportedLocale(linkLocale) && req.actor.kind === 'anonymous' && !isSupportedLocale(req.cookies[LOCALE_COOKIE])) {
      reply.setCookie(LOCALE_COOKIE, linkLocale, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600, secure: names.secure });
    }
    const locale =
      (isSupportedLocale(linkLocale) && linkLocale) ||
      (isSupportedLocale(personLocale) && personLocale) ||
      (isSupportedLocale(cookieLocale) && cookieLocale) ||
      negotiate(req.headers['accept-language']) ||
      DEFAULT_LOCALE;
    req.intl = intlFor(locale);
  });

  // Access: anonymous people are sent to sign in; signed-in people without the right see 404,
  // so a hidden page cannot be told apart from a missing one.
  app.addHook('onRequest', async (req, reply) => {
    const rule = req.routeOptions.config?.access;
    if (!rule || rule.allows(req.actor)) return;
    if (req.actor.kind === 'anonymous') {
      if (isApi(req)) throw new AppError('unauthenticated', 'errors.signInRequired');
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : '';
      return reply.redirect(`/sign-in${next}`, 303);
    }
    throw AppError.notFound();
  });

  // CSRF on every state-changing request: the Origin must be ours, and a token must match.
  // The Origin is checked as the request arrives, before its body is read; the token, which a
  // form carries in its body, once the body is parsed.
  app.addHook('onRequest', async (req) => {
    if (!STATE_CHANGING.has(req.method) || req.routeOptions.config?.oneClick) return;
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    // With Referrer-Policy no-referrer, browsers send "Origin: null" on their own forms;
    // then Sec-Fetch-Site (which pages cannot forge) must say the form was ours.
    const nullOrigin = origin === 'null';
    if (origin && !nullOrigin && !config.allowedOrigins.includes(origin)) {
      // Usually Northstar opened under another name than PUBLIC_URL: say so, here and in the log.
      // Origins are not personal data; the values are escaped when the page is rendered.
      const values = { origin: origin.slice(0, 200), expected: config.publicUrl.origin };
      req.log.warn(values, 'form refused: its Origin is not PUBLIC_URL');
      throw new AppError('csrf_failed', 'errors.originMismatch', { internal: 'origin mismatch', fields: { origin: { key: 'errors.originMismatch', values } } });
    }
    if (nullOrigin && site !== undefined && site !== 'same-origin') throw new AppError('csrf_failed', 'errors.csrf', { internal: 'null origin, other site' });
    if (site === 'cross-site' || site === 'same-site') throw new AppError('csrf_failed', 'errors.csrf', { internal: 'cross-site' });
    // Files are read into memory before the token inside the body can be checked, so only
    // signed-in people may send them (no form open to visitors has a file): a visitor's
    // multipart body is refused before a byte of it is read.
    if (req.actor.kind === 'anonymous' && /^\s*multipart\//i.test(req.headers['content-type'] ?? '')) throw new AppError('unsupported_media_type', 'errors.mediaType', { internal: 'anonymous multipart' });
  });
  app.addHook('preValidation', (req, reply, done) => {
    if (!STATE_CHANGING.has(req.method) || req.routeOptions.config?.oneClick) return done();
    if (req.actor.kind === 'person' && req.actor.tokenId && !req.cookies[names.session]) return done();
    // On failure this answers through the error handler itself and does not call done.
    app.csrfProtection(req, reply, done);
  });

  app.addHook('onResponse', async (req, reply) => {
    // Route pattern, not URL: tokens in paths (invitations, resets) never reach the log.
    req.log.info(
      { method: req.method, route: req.routeOptions.url ?? '(no route)', status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const appError = toAppError(err, req);
    if (!req.intl) req.intl = intlFor(negotiate(req.headers['accept-language']) ?? DEFAULT_LOCALE);
    if (!req.actor) req.actor = ANONYMOUS;
    if (appError.status >= 500) req.log.error({ err: { message: err.message, stack: err.stack, code: (err as FastifyError).code } }, 'request failed');
    if (appError.options.retryAfterSeconds) reply.header('retry-after', String(appError.options.retryAfterSeconds));
    // The one refusal whose message names values (the two origins); they travel in its field.
    const originMismatch = appError.messageKey === 'errors.originMismatch' ? appError.fields.origin?.values : undefined;
    const accept = req.headers.accept ?? '';
    if (isApi(req) || (!accept.includes('text/html') && accept.includes('application/json'))) {
      return reply.status(appError.status).send({
        error: {
          code: appError.code,
          message: req.intl.t(appError.messageKey, originMismatch),
          ...(Object.keys(appError.fields).length > 0 ? { fields: translateFields(req.intl, appError.fields) } : {}),
        },
      });
    }
    // A refused address (a query string's page or filter) says what was wrong with it, once each.
    const fields = originMismatch ? [] : [...new Set(Object.values(translateFields(req.intl, appError.fields)))];
    return reply.page(views.errorPage(req, reply, { status: appError.status, messageKey: appError.messageKey, values: originMismatch, fields }), appError.status);
  });

  app.setNotFoundHandler({}, async (req) => {
    if (!req.intl) req.intl = intlFor(DEFAULT_LOCALE);
    throw AppError.notFound();
  });

  app.get(views.stylesheet.url, { config: { access: { name: 'public', allows: () => true } } }, async (_req, reply) =>
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(views.stylesheet.css),
  );
}

/**
 * Runs a form action; on bad input (or throttling) re-renders the form with the person's
 * values and the errors, with the right status, and answers undefined.
 */
export async function formAction<T>(
  reply: FastifyReply,
  action: () => Promise<T>,
  rerender: (errors: FieldErrors, summaryKey: string) => VNode | Promise<VNode>,
): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    if (isAppError(err) && (err.code === 'invalid_input' || err.code === 'throttled')) {
      if (err.options.retryAfterSeconds) reply.header('retry-after', String(err.options.retryAfterSeconds));
      reply.page(await rerender(err.fields, err.messageKey), err.status);
      return undefined;
    }
    throw err;
  }
}

/** What a refused form held, and why: enough to show it again. */
export interface PostedForm {
  values: Record<string, unknown>;
  errors: FieldErrors;
  summaryKey?: string;
}

/**
 * A POST that acts on one record from the record's own page (`/things/:id/verb`): the form is
 * cleaned and the action run; a refusal shows that page again with what was typed and why
 * (400), success goes back to it with a notice (303).
 */
export function recordAction(
  app: FastifyInstance,
  path: string,
  access: AccessRule,
  o: {
    longText?: readonly string[];
    run: (req: FastifyRequest, id: string, values: Record<string, unknown>) => Promise<void>;
    refused: (req: FastifyRequest, reply: FastifyReply, id: string, form: PostedForm) => VNode | Promise<VNode>;
    done: (id: string) => string;
  },
): void {
  app.post(path, { config: { access } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body, o.longText);
    const ok = await formAction(
      reply,
      async () => {
        await o.run(req, id, values);
        return true;
      },
      (errors, summaryKey) => o.refused(req, reply, id, { values, errors, summaryKey }),
    );
    if (!ok) return reply;
    return reply.redirect(o.done(id), 303);
  });
}

const SESSION_MAX_AGE = 14 * 24 * 3600;

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  const names = cookieNames(config);
  reply.setCookie(names.session, token, { path: '/', httpOnly: true, secure: names.secure, sameSite: 'lax', maxAge: SESSION_MAX_AGE });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  const names = cookieNames(config);
  reply.clearCookie(names.session, { path: '/', httpOnly: true, secure: names.secure, sameSite: 'lax' });
}

/**
 * Where to go after signing in: `next` resolved as a browser would, against PUBLIC_URL, and
 * kept only when it stays on PUBLIC_URL's origin. Browsers drop tabs and line breaks and read
 * a backslash as `/`, so "/<TAB>/evil.example" or "/<backslash>evil.example" point to another
 * site: the URL parser sees what the browser sees. The answer is re-serialised (percent-encoded), so no control
 * character ever reaches a Location header.
 */
export function safeNext(value: unknown, publicUrl: URL, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 500 || !value.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(value, publicUrl);
  } catch {
    return fallback;
  }
  if (url.origin !== publicUrl.origin) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
