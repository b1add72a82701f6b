import type { FieldErrors } from '../../../platform/errors.ts';
import { ErrorSummary, PostButton } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { DirectoryService } from '../directory.service.ts';

type InvitationsData = Awaited<ReturnType<DirectoryService['myInvitations']>>;

/** Invitations to join an organisation: nothing changes until the person answers here. */
export function OrganisationInvitationsPage({ ctx, data, errors = {}, summaryKey }: { ctx: ViewContext; data: InvitationsData; errors?: FieldErrors; summaryKey?: string | undefined }) {
  const { t, date } = ctx.intl;
  const title = t('orgInvitations.title');
  const failed = Object.keys(errors).length > 0 || summaryKey !== undefined;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <h1>{title}</h1>
      <p>{t('orgInvitations.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} summaryKey={summaryKey} />
      {data.invitations.length === 0 ? (
        <p>{t('orgInvitations.none')}</p>
      ) : (
        <>
          {!data.canAccept && <p class="warning">{t('orgInvitations.cannotAccept')}</p>}
          <ul class="cards">
            {data.invitations.map((i) => (
              <li key={i.id}>
                <h2 dir="auto">{i.organisation_name}</h2>
                <p>
                  {t('orgInvitations.describe', { inviter: i.inviter_name ?? t('signs.secretariat'), role: t(`orgRole.${i.org_role ?? 'staff'}`) })} · {t('people.expires')}{' '}
                  {date(i.expires_at)}
                </p>
                <p class="hint">{t('orgInvitations.acceptMeans', { organisation: i.organisation_name })}</p>
                <p class="actions">
                  {data.canAccept && <PostButton ctx={ctx} action={`/invitations/organisation/${i.id}/accept`} label={t('orgInvitations.accept')} />}{' '}
                  <PostButton ctx={ctx} action={`/invitations/organisation/${i.id}/decline`} label={t('orgInvitations.decline')} secondary />
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
