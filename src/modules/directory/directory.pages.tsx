import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { isAppError } from '../../platform/errors.ts';
import { formAction, recordAction } from '../../platform/http.tsx';
import { viewContext } from '../../views/context.ts';
import { type Actor, PUBLIC } from '../../platform/policy.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { IdParam } from '../../platform/schemas.ts';
import { directoryCsv } from './directory.csv.ts';
import { answerInvitation, directoryPolicy, leaveNetwork, manageOrganisation } from './directory.policy.ts';
import { DirectoryQuery, Leave, PROFILE_LISTS, ProfileInput, profileFromForm, SlugParam, StaffInvite, StaffParams, StatusChange } from './directory.schemas.ts';
import type { DirectoryService } from './directory.service.ts';
import { DirectoryListPage } from './views/directory.tsx';
import { OrganisationInvitationsPage } from './views/invitations.tsx';
import { EditProfilePage, StaffPage } from './views/organisation.tsx';
import { SectorMapPage } from './views/map.tsx';
import { ProfilePage } from './views/profile.tsx';

/** Query-string filters: one value each, the page as a number. */
export function directoryFilters(query: unknown): DirectoryQuery {
  const values = cleanForm(query);
  if (typeof values.page === 'string' && /^\d{1,6}$/.test(values.page)) values.page = Number(values.page);
  if (typeof values.country === 'string') values.country = values.country.toUpperCase();
  return parse(DirectoryQuery, values);
}

export function directoryPages(app: FastifyInstance, directory: DirectoryService, config: Config) {
  const publicUrl = (path: string) => new URL(path, config.publicUrl).href;

  app.get('/directory', { config: { access: PUBLIC } }, async (req, reply) => {
    try {
      const query = directoryFilters(req.query);
      return reply.page(<DirectoryListPage ctx={viewContext(req, reply)} data={await directory.list(req.actor, query)} />);
    } catch (err) {
      // A filter that is not one of ours: say which, and show the unfiltered directory.
      if (!isAppError(err) || err.code !== 'invalid_input') throw err;
      const data = await directory.list(req.actor, {});
      return reply.page(<DirectoryListPage ctx={viewContext(req, reply)} data={data} errors={err.fields} />, 400);
    }
  });

  app.get('/directory/export.csv', { config: { access: PUBLIC } }, async (req, reply) => {
    const rows = await directory.export(req.actor, directoryFilters(req.query));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="northstar-directory.csv"')
      .header('cache-control', 'no-store')
      .send(directoryCsv(rows, (slug) => publicUrl(`/directory/${slug}`)));
  });

  app.get('/directory/:slug', { config: { access: PUBLIC } }, async (req, reply) => {
    const { slug } = parse(SlugParam, req.params);
    const data = await directory.profile(req.actor, slug);
    return reply.page(<ProfilePage ctx={viewContext(req, reply)} data={data} pageUrl={publicUrl(`/directory/${slug}`)} />);
  });

  app.get('/map', { config: { access: PUBLIC } }, async (req, reply) =>
    reply.page(<SectorMapPage ctx={viewContext(req, reply)} data={await directory.sectorMap(req.actor)} />),
  );

  // ---- org admins ----------------------------------------------------------------------------

  const profileForm = (body: unknown) => profileFromForm(cleanForm(body, [], PROFILE_LISTS));

  app.get('/organisations/:id/edit', { config: { access: manageOrganisation } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(<EditProfilePage ctx={viewContext(req, reply)} row={await directory.editable(req.actor, id)} />);
  });

  app.post('/organisations/:id/edit', { config: { access: manageOrganisation } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const row = await directory.editable(req.actor, id);
    const values = profileForm(req.body);
    const slug = await formAction(
      reply,
      () => directory.updateProfile(req.actor, id, parse(ProfileInput, values)),
      (errors) => <EditProfilePage ctx={viewContext(req, reply)} row={row} state={{ values, errors }} />,
    );
    if (!slug) return reply;
    return reply.redirect(`/directory/${slug}?done=profileSaved`, 303);
  });

  const staffPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: { invite?: Parameters<typeof StaffPage>[0]['invite']; leave?: Parameters<typeof StaffPage>[0]['leave'] } = {}) =>
    <StaffPage ctx={viewContext(req, reply)} data={await directory.staff(req.actor, id)} {...forms} />;

  app.get('/organisations/:id/staff', { config: { access: manageOrganisation } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await staffPage(req, reply, id));
  });

  app.post('/organisations/:id/staff', { config: { access: manageOrganisation } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const done = await formAction(
      reply,
      async () => {
        await directory.inviteStaff(req.actor, id, parse(StaffInvite, values), req.intl.locale);
        return true;
      },
      (errors) => staffPage(req, reply, id, { invite: { values, errors } }),
    );
    if (!done) return reply;
    // The same answer whether or not the address has an account (see inviteStaff).
    return reply.redirect(`/organisations/${id}/staff?done=staffInvited`, 303);
  });

  app.post('/organisations/:id/staff/:personId/remove', { config: { access: manageOrganisation } }, async (req, reply) => {
    const { id, personId } = parse(StaffParams, req.params);
    const done = await formAction(
      reply,
      async () => {
        await directory.removeStaff(req.actor, id, personId);
        return true;
      },
      (errors) => staffPage(req, reply, id, { invite: { values: {}, errors } }),
    );
    if (!done) return reply;
    const self = req.actor.kind === 'person' && req.actor.id === personId;
    return reply.redirect(self ? '/account?done=leftOrganisation' : `/organisations/${id}/staff?done=staffRemoved`, 303);
  });

  app.post('/organisations/:id/leave', { config: { access: leaveNetwork } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const done = await formAction(
      reply,
      async () => {
        await directory.leave(req.actor, id, parse(Leave, values));
        return true;
      },
      (errors) => staffPage(req, reply, id, { leave: { values, errors } }),
    );
    if (!done) return reply;
    // A departed organisation's memberships give nothing any more, its staff page included.
    return reply.redirect('/account?done=organisationLeft', 303);
  });

  app.post('/organisations/:id/status', { config: { access: directoryPolicy.rule('changeStatus') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const slug = await formAction(
      reply,
      () => directory.changeStatus(req.actor, id, parse(StatusChange, values)),
      async (errors) => {
        const row = await directory.editable(req.actor, id);
        const data = await directory.profile(req.actor, row.slug);
        return <ProfilePage ctx={viewContext(req, reply)} data={data} pageUrl={publicUrl(`/directory/${row.slug}`)} statusForm={{ values, errors }} />;
      },
    );
    if (!slug) return reply;
    return reply.redirect(`/directory/${slug}?done=statusChanged`, 303);
  });

  // ---- invitations to join an organisation (for people who have an account) ------------------

  app.get('/invitations/organisation', { config: { access: answerInvitation } }, async (req, reply) =>
    reply.page(<OrganisationInvitationsPage ctx={viewContext(req, reply)} data={await directory.myInvitations(req.actor)} />),
  );

  const invitationAction = (path: string, run: (actor: Actor, id: string) => Promise<void>, done: string) =>
    recordAction(app, path, answerInvitation, {
      run: (req, id) => run(req.actor, id),
      refused: async (req, reply, _id, form) => (
        <OrganisationInvitationsPage ctx={viewContext(req, reply)} data={await directory.myInvitations(req.actor)} errors={form.errors} summaryKey={form.summaryKey} />
      ),
      done: () => done,
    });
  invitationAction('/invitations/organisation/:id/accept', (actor, id) => directory.acceptInvitation(actor, id), '/account?done=invitationAccepted');
  invitationAction('/invitations/organisation/:id/decline', (actor, id) => directory.declineInvitation(actor, id), '/invitations/organisation?done=invitationDeclined');
}
