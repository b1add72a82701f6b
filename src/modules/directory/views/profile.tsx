import { type ComponentChildren, Fragment } from 'preact';
import { countryName } from '../../../platform/countries.ts';
import type { FieldErrors } from '../../../platform/errors.ts';
import { languageName } from '../../../platform/languages.ts';
import { markdownToText, renderMarkdown } from '../../../platform/markdown.ts';
import { ErrorSummary, Form, Prose, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { DirectoryService, Profile } from '../directory.service.ts';
import type { OptionalField } from '../directory.vocabulary.ts';
import { listOf } from '../../../views/format.ts';

type ProfileData = Awaited<ReturnType<DirectoryService['profile']>>;

const EMPLOYEES: Record<string, [number, number | undefined]> = { '1-5': [1, 5], '6-10': [6, 10], '11-25': [11, 25], '26-100': [26, 100], '100+': [100, undefined] };

/** schema.org Organization, from exactly what this reader may see. */
export function jsonLd(profile: Profile, pageUrl: string): string {
  const size = profile.staffSize ? EMPLOYEES[profile.staffSize] : undefined;
  const data = {
    '@context': 'https://schema.org',
    '@type': 'Organization',
    '@id': pageUrl,
    name: profile.name,
    ...(profile.shortName ? { alternateName: profile.shortName } : {}),
    ...(profile.mission ? { description: markdownToText(profile.mission) } : {}),
    ...(profile.website ? { url: profile.website } : {}),
    ...(profile.yearFounded ? { foundingDate: String(profile.yearFounded) } : {}),
    ...(profile.contactEmail ? { email: profile.contactEmail } : {}),
    ...(profile.countries.length ? { areaServed: profile.countries.map((c) => ({ '@type': 'Country', name: countryName('en', c), identifier: c })) } : {}),
    ...(profile.languages.length ? { knowsLanguage: profile.languages } : {}),
    ...(size ? { numberOfEmployees: { '@type': 'QuantitativeValue', minValue: size[0], ...(size[1] ? { maxValue: size[1] } : {}) } } : {}),
  };
  // Inside a script element "<" would let text close it: JSON allows it escaped.
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

function MembersOnly({ ctx, profile, field }: { ctx: ViewContext; profile: Profile; field: OptionalField }) {
  return profile.membersOnly.includes(field) ? <span class="badge">{ctx.intl.t('profile.membersOnlyBadge')}</span> : null;
}

export interface StatusFormState {
  values: Record<string, unknown>;
  errors: FieldErrors;
}

export function ProfilePage({ ctx, data, pageUrl, statusForm }: { ctx: ViewContext; data: ProfileData; pageUrl: string; statusForm?: StatusFormState }) {
  const { t, locale, date } = ctx.intl;
  const p = data.profile;
  const list = (items: string[], name: (v: string) => string) => listOf(ctx, items.map(name));
  const facts: { field: OptionalField; label: string; value: ComponentChildren }[] = [];
  if (p.website)
    facts.push({
      field: 'website',
      label: t('profile.website'),
      value: (
        <a href={p.website} rel="nofollow noopener noreferrer" dir="ltr">
          {p.website}
        </a>
      ),
    });
  if (p.yearFounded) facts.push({ field: 'yearFounded', label: t('profile.yearFounded'), value: String(p.yearFounded) });
  if (p.staffSize) facts.push({ field: 'staffSize', label: t('profile.staffSize'), value: t(`staffSize.${p.staffSize}`) });
  if (p.countries.length) facts.push({ field: 'countries', label: t('profile.countries'), value: list(p.countries, (c) => countryName(locale, c)) });
  if (p.activities.length) facts.push({ field: 'activities', label: t('profile.activities'), value: list(p.activities, (a) => t(`activity.${a}`)) });
  if (p.stakeholders.length) facts.push({ field: 'stakeholders', label: t('profile.stakeholders'), value: list(p.stakeholders, (s) => t(`stakeholder.${s}`)) });
  if (p.preventionShare) facts.push({ field: 'preventionShare', label: t('profile.preventionShare'), value: t(`preventionShare.${p.preventionShare}`) });
  if (p.languages.length) facts.push({ field: 'languages', label: t('profile.languages'), value: list(p.languages, (l) => languageName(locale, l)) });
  if (p.diasporaLed !== null) facts.push({ field: 'diasporaLed', label: t('profile.diasporaLed'), value: p.diasporaLed ? t('form.yes') : t('form.no') });
  if (p.contactEmail)
    facts.push({
      field: 'contactEmail',
      label: t('profile.contactEmail'),
      value: (
        <a href={`mailto:${p.contactEmail}`} dir="ltr">
          {p.contactEmail}
        </a>
      ),
    });
  const failed = statusForm && Object.keys(statusForm.errors).length > 0;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: p.name }) : p.name}>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: JSON from JSON.stringify with "<" escaped, in a data block that never runs */}
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd(p, pageUrl) }} />
      <p>
        <a href="/directory">{t('profile.back')}</a>
      </p>
      <h1 dir="auto">
        {p.name} {p.shortName && <span class="muted">({p.shortName})</span>}
      </h1>
      {p.isDemo && <p class="demo">{t('demo.organisation')}</p>}
      {p.status !== 'member' && <p class="warning">{t(`orgStatus.${p.status}`)}</p>}
      {data.canEdit && (
        <p class="actions">
          <a href={`/organisations/${p.id}/edit`}>{t('profile.edit')}</a>
          <a href={`/organisations/${p.id}/staff`}>{t('staff.title')}</a>
        </p>
      )}
      {p.mission && (
        <section aria-labelledby="mission">
          <h2 id="mission">
            {t('profile.mission')} <MembersOnly ctx={ctx} profile={p} field="mission" />
          </h2>
          <Prose html={renderMarkdown(p.mission)} />
        </section>
      )}
      <h2 id="facts">{t('profile.facts')}</h2>
      <dl class="facts" aria-labelledby="facts">
        {facts.map((f) => (
          <Fragment key={f.field}>
            <dt>
              {f.label} <MembersOnly ctx={ctx} profile={p} field={f.field} />
            </dt>
            <dd dir="auto">{f.value}</dd>
          </Fragment>
        ))}
      </dl>
      {data.audience === 'members' && <p class="hint">{t('profile.membersOnlyExplained')}</p>}

      <h2 id="related">{t('profile.related')}</h2>
      {data.related.length === 0 ? (
        <p>{t('profile.relatedNone')}</p>
      ) : (
        <ol aria-labelledby="related">
          {data.related.map((r) => (
            <li key={r.slug}>
              <a href={`/directory/${r.slug}`} dir="auto">
                {r.name}
              </a>
              <span class="hint">
                {[
                  r.shared_countries.length ? t('profile.sharedCountries', { list: list(r.shared_countries, (c) => countryName(locale, c)) }) : '',
                  r.shared_activities.length ? t('profile.sharedActivities', { list: list(r.shared_activities, (a) => t(`activity.${a}`)) }) : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </li>
          ))}
        </ol>
      )}

      {data.history.length > 0 && (
        <>
          <h2 id="history">{t('profile.history')}</h2>
          <ol class="timeline" aria-labelledby="history">
            {data.history.map((h, i) => (
              <li key={String(i)}>
                <strong>{t(`orgStatusName.${h.status}`)}</strong> · {date(h.created_at)}
                {h.actor_name && <> · <span dir="auto">{h.actor_name}</span></>}
                {h.reason && <p dir="auto">{h.reason}</p>}
              </li>
            ))}
          </ol>
        </>
      )}
      {ctx.isConvener && (
        <>
          <h2 id="status-heading">{t('profile.changeStatus')}</h2>
          <ErrorSummary ctx={ctx} errors={statusForm?.errors ?? {}} />
          <Form ctx={ctx} action={`/organisations/${p.id}/status`}>
            <Select
              ctx={ctx}
              name="status"
              label={t('profile.newStatus')}
              value={statusForm?.values.status ?? p.status}
              errors={statusForm?.errors ?? {}}
              options={['member', 'associate', 'suspended'].map((s) => ({ value: s, label: t(`orgStatusName.${s}`) }))}
            />
            <Textarea ctx={ctx} name="reason" label={t('profile.statusReason')} hint={t('profile.statusReasonHint')} value={statusForm?.values.reason} errors={statusForm?.errors ?? {}} rows={3} required />
            <button type="submit">{t('profile.changeStatusSubmit')}</button>
          </Form>
        </>
      )}
      <p class="hint">{t('profile.updated', { date: date(p.updatedAt) })}</p>
    </Layout>
  );
}
