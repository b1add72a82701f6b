import type { FormState } from '../../../views/form.ts';
import { EMPTY } from '../../../views/form.ts';
import { Checkbox, ErrorSummary, Field, Form, PostButton, Select, TableWrap, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { OrganisationRow } from '../directory.repository.ts';
import type { DirectoryService } from '../directory.service.ts';
import { ProfileFields } from './profile-form.tsx';

/** The stored row in the shape of the profile form. */
export function formValues(row: OrganisationRow): Record<string, unknown> {
  return {
    name: row.name,
    shortName: row.short_name ?? undefined,
    mission: row.mission,
    website: row.website ?? undefined,
    yearFounded: row.year_founded ?? undefined,
    staffSize: row.staff_size ?? undefined,
    countries: row.countries,
    activities: row.activities,
    stakeholders: row.stakeholders,
    preventionShare: row.prevention_share ?? undefined,
    languages: row.languages,
    diasporaLed: row.diaspora_led ?? undefined,
    contactEmail: row.contact_email ?? undefined,
    membersOnly: row.members_only,
  };
}

export function EditProfilePage({ ctx, row, state }: { ctx: ViewContext; row: OrganisationRow; state?: FormState }) {
  const { t } = ctx.intl;
  const values = state?.values ?? formValues(row);
  const errors = state?.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  const title = t('edit.title', { name: row.name });
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <p>
        <a href={`/directory/${row.slug}`}>{t('edit.back')}</a>
      </p>
      <h1 dir="auto">{title}</h1>
      <p>{t('edit.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={`/organisations/${row.id}/edit`}>
        <ProfileFields ctx={ctx} values={values} errors={errors} />
        <button type="submit">{t('edit.submit')}</button>
      </Form>
    </Layout>
  );
}

type StaffData = Awaited<ReturnType<DirectoryService['staff']>>;

export function StaffPage({ ctx, data, invite = EMPTY, leave = EMPTY }: { ctx: ViewContext; data: StaffData; invite?: FormState; leave?: FormState }) {
  const { t, date } = ctx.intl;
  const org = data.organisation;
  const failed = Object.keys(invite.errors).length + Object.keys(leave.errors).length > 0;
  const title = t('staff.titleFor', { name: org.name });
  const me = ctx.actor.kind === 'person' ? ctx.actor.id : '';
  const isAdminHere = ctx.actor.kind === 'person' && ctx.actor.memberships.some((m) => m.organisationId === org.id && m.role === 'org_admin');
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <p>
        <a href={`/directory/${org.slug}`}>{t('edit.back')}</a>
      </p>
      <h1 dir="auto">{title}</h1>
      <TableWrap label={t('staff.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('people.name')}</th>
              <th scope="col">{t('people.orgRole')}</th>
              <th scope="col">{t('people.joined')}</th>
              <th scope="col">
                <span class="muted">{t('account.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.staff.map((s) => (
              <tr key={s.id}>
                <td dir="auto">
                  {s.display_name} {s.status === 'disabled' && <span class="badge">{t('status.disabled')}</span>}
                </td>
                <td>{t(`orgRole.${s.role}`)}</td>
                <td>{date(s.created_at)}</td>
                <td>
                  <PostButton ctx={ctx} action={`/organisations/${org.id}/staff/${s.id}/remove`} label={s.id === me ? t('staff.removeSelf') : t('staff.remove')} secondary />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {data.invitations.length > 0 && (
        <>
          <h2 id="pending">{t('people.openInvitations')}</h2>
          <ul aria-labelledby="pending">
            {data.invitations.map((i) => (
              <li key={i.id} dir="ltr">
                {i.email} · {t(`orgRole.${i.org_role ?? 'staff'}`)} · {t('people.expires')} {date(i.expires_at)}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2 id="invite">{t('staff.invite')}</h2>
      <p class="hint">{t('staff.inviteNote')}</p>
      <ErrorSummary ctx={ctx} errors={invite.errors} />
      <Form ctx={ctx} action={`/organisations/${org.id}/staff`}>
        <Field ctx={ctx} name="email" type="email" label={t('people.email')} value={invite.values.email} errors={invite.errors} dir="ltr" required />
        <Select
          ctx={ctx}
          name="orgRole"
          label={t('people.orgRole')}
          value={invite.values.orgRole ?? 'staff'}
          errors={invite.errors}
          options={['staff', 'org_admin'].map((r) => ({ value: r, label: t(`orgRole.${r}`) }))}
        />
        <button type="submit">{t('people.inviteSubmit')}</button>
      </Form>
      {isAdminHere && org.status !== 'left' && (
        <>
          <h2 id="leave">{t('leave.title')}</h2>
          <p>{t('leave.explain')}</p>
          <ErrorSummary ctx={ctx} errors={leave.errors} />
          <Form ctx={ctx} action={`/organisations/${org.id}/leave`}>
            <Textarea ctx={ctx} name="reason" label={t('leave.reason')} hint={t('form.optional')} value={leave.values.reason} errors={leave.errors} rows={3} />
            <Checkbox ctx={ctx} name="confirm" label={t('leave.confirm', { name: org.name })} errors={leave.errors} />
            <button type="submit" class="secondary">
              {t('leave.submit')}
            </button>
          </Form>
        </>
      )}
    </Layout>
  );
}
