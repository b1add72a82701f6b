import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../platform/errors.ts';
import { formAction, isUpload, type Upload } from '../../platform/http.tsx';
import { PUBLIC } from '../../platform/policy.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import { LIBRARY_FILE_LIMIT } from './files.ts';
import { libraryPolicy } from './library.policy.ts';
import { FeatureInput, LIBRARY_LISTS, LIBRARY_LONG_TEXT, RESOURCE_DEFAULTS, ResourceIdParam, ResourceInput, SearchQuery } from './library.schemas.ts';
import type { LibraryService } from './library.service.ts';
import { CannotAddPage, LibraryPage, ResourceFormPage, ResourcePage } from './views/library.tsx';

/** A library file may be larger than other uploads (a report, a podcast episode): one file, 20 MB. */
const UPLOAD_OPTIONS = { limits: { fileSize: LIBRARY_FILE_LIMIT, files: 1 } };

/** The form's values and its file (an empty file input is no file). */
export function resourceFromForm(body: unknown): { values: Record<string, unknown>; upload: Upload | undefined } {
  const values = cleanForm(body, LIBRARY_LONG_TEXT, LIBRARY_LISTS);
  const file = values.file;
  delete values.file;
  const upload = isUpload(file) && (file.filename !== '' || file.data.length > 0) ? file : undefined;
  // So the page shown again can say the file must be attached again (a browser cannot keep it).
  if (upload) values.hadFile = 'yes';
  return { values, upload };
}

const forSchema = (values: Record<string, unknown>) => {
  const { hadFile: _h, ...rest } = values;
  return { ...RESOURCE_DEFAULTS, ...rest };
};

export function libraryPages(app: FastifyInstance, library: LibraryService): void {
  const add = { config: { access: libraryPolicy.rule('add') } };
  const upload = { config: { access: libraryPolicy.rule('add'), multipartOptions: UPLOAD_OPTIONS } };

  app.get('/library', { config: { access: PUBLIC } }, async (req, reply) => {
    const values = cleanForm(req.query);
    try {
      const data = await library.search(req.actor, parse(SearchQuery, values));
      return reply.page(<LibraryPage ctx={viewContext(req, reply)} data={data} values={values} />);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'invalid_input') throw err;
      // The search box is kept as typed; the rest of the page is the library unfiltered.
      const data = await library.search(req.actor, {});
      return reply.page(<LibraryPage ctx={viewContext(req, reply)} data={data} errors={err.fields} values={values} />, 400);
    }
  });

  app.get('/library/feed.atom', { config: { access: PUBLIC } }, async (req, reply) =>
    reply.header('content-type', 'application/atom+xml; charset=utf-8').header('vary', 'Accept-Language, Cookie').header('cache-control', 'public, max-age=300').send(await library.feed(req.intl.t)),
  );

  const formPage = async (req: FastifyRequest, reply: FastifyReply, state?: FormState, editing?: { id: string; file?: { filename: string } | undefined }) => (
    <ResourceFormPage ctx={viewContext(req, reply)} options={await library.formOptions()} {...(state ? { state } : {})} {...(editing ? { editing } : {})} />
  );

  app.get('/library/new', add, async (req, reply) => {
    // Staff of no member organisation cannot add in anyone's name: say so rather than show a form.
    if (!library.canAdd(req.actor)) return reply.page(<CannotAddPage ctx={viewContext(req, reply)} />);
    return reply.page(await formPage(req, reply, { values: { visibility: 'network' }, errors: {} }));
  });

  app.post('/library', upload, async (req, reply) => {
    const { values, upload: file } = resourceFromForm(req.body);
    const id = await formAction(
      reply,
      () => library.add(req.actor, parse(ResourceInput, forSchema(values)), file),
      (errors, summaryKey) => formPage(req, reply, { values, errors, summaryKey }),
    );
    if (!id) return reply;
    return reply.redirect(`/library/${id}?done=libraryAdded`, 303);
  });

  app.get('/library/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(ResourceIdParam, req.params);
    return reply.page(<ResourcePage ctx={viewContext(req, reply)} data={await library.resource(req.actor, id)} />);
  });

  app.get('/library/:id/file', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(ResourceIdParam, req.params);
    const file = await library.file(req.actor, id);
    // Always a download, never rendered in our origin: a document cannot run as a page here.
    return reply
      .header('content-type', file.media_type)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('cache-control', 'private, no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(file.content);
  });

  app.get('/library/:id/edit', add, async (req, reply) => {
    const { id } = parse(ResourceIdParam, req.params);
    const { data, values } = await library.editForm(req.actor, id);
    return reply.page(await formPage(req, reply, { values, errors: {} }, { id, file: data.file }));
  });

  app.post('/library/:id', upload, async (req, reply) => {
    const { id } = parse(ResourceIdParam, req.params);
    const { values, upload: file } = resourceFromForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await library.update(req.actor, id, parse(ResourceInput, forSchema(values)), file);
        return true;
      },
      async (errors, summaryKey) => formPage(req, reply, { values, errors, summaryKey }, { id, file: (await library.editForm(req.actor, id)).data.file }),
    );
    if (!ok) return reply;
    return reply.redirect(`/library/${id}?done=librarySaved`, 303);
  });

  app.post('/library/:id/feature', { config: { access: libraryPolicy.rule('feature') } }, async (req, reply) => {
    const { id } = parse(ResourceIdParam, req.params);
    const input = parse(FeatureInput, cleanForm(req.body));
    await library.feature(req.actor, id, input);
    return reply.redirect(`/library/${id}?done=${input.featured === 'yes' ? 'libraryFeatured' : 'libraryUnfeatured'}`, 303);
  });
}
