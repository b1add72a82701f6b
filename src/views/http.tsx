import type { HttpViews } from '../platform/http.tsx';
import { STYLESHEET, STYLESHEET_URL } from './assets.ts';
import { viewContext } from './context.ts';
import { ErrorPage, OriginMismatchPage } from './layout.tsx';

/** The pages and the stylesheet the platform serves but does not draw (registerHttpPlatform). */
export const httpViews: HttpViews = {
  errorPage: (req, reply, { status, messageKey, values, fields }) =>
    values ? <OriginMismatchPage ctx={viewContext(req, reply)} values={values} /> : <ErrorPage ctx={viewContext(req, reply)} status={status} messageKey={messageKey} fields={fields ?? []} />,
  stylesheet: { url: STYLESHEET_URL, css: STYLESHEET },
};
