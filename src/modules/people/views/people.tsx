import type { FormState } from '../../../views/form.ts';
import { EMPTY } from '../../../views/form.ts';
import { ErrorSummary, Field, Form, PostButton, Select, TableWrap } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { PeopleService } from '../people.service.ts';

type Overview = Awaited<ReturnType<PeopleService['overview']>>;

export function PeoplePage({ ctx, data, state = EMPTY }: { ctx: ViewContext; data: Overview; state?: FormState }) {
  const { t, date } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0;
  const me = ctx.actor.kind === 'person' ? ctx.actor.id : '';
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: t('people.title') }) : t('people.title')}>
      <h1>{t('people.title')}</h1>
      <h2 id="invite">{t('people.invite')}</h2>
      <p class="hint">{t('people.inviteNote')}</p>
      <ErrorSummary ctx={ctx} errors={state.errors} />
      <Form ctx={ctx} action="/people/invitations">
        <Field ctx={ctx} name="email" type="email" label={t('people.email')} value={state.values.email} errors={state.errors} dir="ltr" required />
        <Select
          ctx={ctx}
          name="networkRole"
          label={t('people.role')}
          value={state.values.networkRole ?? 'member'}
          errors={state.errors}
          options={['member', 'associate', 'convener'].map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <Select
          ctx={ctx}
          name="organisationId"
          label={t('people.organisation')}
          hint={t('people.organisationHint')}
          value={state.values.organisationId ?? ''}
          errors={state.errors}
          options={[{ value: '', label: t('people.noOrganisation') }, ...data.organisations.map((o) => ({ value: o.id, label: o.name }))]}
        />
        <Select
          ctx={ctx}
          name="orgRole"
          label={t('people.orgRole')}
          value={state.values.orgRole ?? 'staff'}
          errors={state.errors}
          options={['staff', 'org_admin'].map((r) => ({ value: r, label: t(`orgRole.${r}`) }))}
        />
        <button type="submit">{t('people.inviteSubmit')}</button>
      </Form>

      {data.invitations.length > 0 && (
        <>
          <h2 id="invitations">{t('people.openInvitations')}</h2>
          <TableWrap label={t('people.openInvitations')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('people.email')}</th>
                  <th scope="col">{t('people.role')}</th>
                  <th scope="col">{t('people.organisation')}</th>
                  <th scope="col">{t('people.expires')}</th>
                </tr>
              </thead>
              <tbody>
                {data.invitations.map((i) => (
                  <tr key={i.id}>
                    <td dir="ltr">{i.email}</td>
                    <td>{t(`role.${i.network_role}`)}</td>
                    <td dir="auto">{i.organisation_name ?? '—'}</td>
                    <td>{date(i.expires_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}

      <h2 id="list">{t('people.everyone', { count: data.people.length })}</h2>
      <TableWrap label={t('people.title')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('people.name')}</th>
              <th scope="col">{t('people.role')}</th>
              <th scope="col">{t('people.status')}</th>
              <th scope="col">{t('people.joined')}</th>
              <th scope="col">
                <span class="muted">{t('account.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.people.map((p) => (
              <tr key={p.id}>
                <td dir="auto">
                  {p.display_name} {p.is_demo && <span class="demo">{t('demo.badge')}</span>}
                </td>
                <td>{t(`role.${p.network_role}`)}</td>
                <td>{t(`status.${p.status}`)}</td>
                <td>{date(p.created_at)}</td>
                <td>
                  {p.id !== me &&
                    (p.status === 'active' ? (
                      <PostButton ctx={ctx} action={`/people/${p.id}/disable`} label={t('people.disable')} secondary />
                    ) : (
                      <PostButton ctx={ctx} action={`/people/${p.id}/enable`} label={t('people.enable')} secondary />
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Layout>
  );
}
