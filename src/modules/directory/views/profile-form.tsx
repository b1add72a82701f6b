import { countryOptions } from '../../../platform/countries.ts';
import type { FieldErrors } from '../../../platform/errors.ts';
import { languageOptions } from '../../../platform/languages.ts';
import { Checkboxes, Field, MultiSelect, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { ACTIVITIES, DEFAULT_MEMBERS_ONLY, OPTIONAL_FIELDS, PREVENTION_SHARES, STAFF_SIZES, STAKEHOLDERS } from '../directory.vocabulary.ts';

/** The profile questions, shared by the application form and the admin's edit form. */
export function ProfileFields({ ctx, values, errors }: { ctx: ViewContext; values: Record<string, unknown>; errors: FieldErrors }) {
  const { t, locale } = ctx.intl;
  const diaspora = values.diasporaLed === true ? 'yes' : values.diasporaLed === false ? 'no' : values.diasporaLed;
  return (
    <>
      <Field ctx={ctx} name="name" label={t('profile.name')} value={values.name} errors={errors} required maxLength={160} />
      <Field ctx={ctx} name="shortName" label={t('profile.shortName')} hint={t('form.optional')} value={values.shortName} errors={errors} maxLength={40} />
      <Textarea ctx={ctx} name="mission" label={t('profile.mission')} hint={t('profile.missionHint')} value={values.mission} errors={errors} required maxLength={4000} />
      <Field ctx={ctx} name="website" type="url" label={t('profile.website')} hint={t('profile.websiteHint')} value={values.website} errors={errors} dir="ltr" maxLength={300} />
      <Field
        ctx={ctx}
        name="yearFounded"
        label={t('profile.yearFounded')}
        hint={t('form.optional')}
        value={values.yearFounded === undefined ? undefined : String(values.yearFounded)}
        errors={errors}
        inputmode="numeric"
        maxLength={4}
      />
      <Select
        ctx={ctx}
        name="staffSize"
        label={t('profile.staffSize')}
        value={values.staffSize ?? ''}
        errors={errors}
        options={[{ value: '', label: t('form.notSaying') }, ...STAFF_SIZES.map((s) => ({ value: s, label: t(`staffSize.${s}`) }))]}
      />
      <MultiSelect
        ctx={ctx}
        name="countries"
        label={t('profile.countries')}
        hint={t('profile.countriesHint')}
        options={countryOptions(locale)}
        value={values.countries}
        errors={errors}
        required
      />
      <Checkboxes
        ctx={ctx}
        name="activities"
        legend={t('profile.activities')}
        hint={t('profile.activitiesHint')}
        options={ACTIVITIES.map((a) => ({ value: a, label: t(`activity.${a}`) }))}
        value={values.activities}
        errors={errors}
        required
      />
      <Checkboxes
        ctx={ctx}
        name="stakeholders"
        legend={t('profile.stakeholders')}
        hint={t('profile.stakeholdersHint')}
        options={STAKEHOLDERS.map((s) => ({ value: s, label: t(`stakeholder.${s}`) }))}
        value={values.stakeholders}
        errors={errors}
      />
      <Select
        ctx={ctx}
        name="preventionShare"
        label={t('profile.preventionShare')}
        hint={t('profile.preventionShareHint')}
        value={values.preventionShare ?? ''}
        errors={errors}
        options={[{ value: '', label: t('form.notSaying') }, ...PREVENTION_SHARES.map((s) => ({ value: s, label: t(`preventionShare.${s}`) }))]}
      />
      <MultiSelect
        ctx={ctx}
        name="languages"
        label={t('profile.languages')}
        hint={t('profile.languagesHint')}
        options={languageOptions(locale)}
        value={values.languages}
        errors={errors}
      />
      <Radios
        ctx={ctx}
        name="diasporaLed"
        legend={t('profile.diasporaLed')}
        hint={t('profile.diasporaLedHint')}
        value={diaspora ?? 'unknown'}
        errors={errors}
        options={[
          { value: 'yes', label: t('form.yes') },
          { value: 'no', label: t('form.no') },
          { value: 'unknown', label: t('form.notSaying') },
        ]}
      />
      <Field
        ctx={ctx}
        name="contactEmail"
        type="email"
        label={t('profile.contactEmail')}
        hint={t('profile.contactEmailHint')}
        value={values.contactEmail}
        errors={errors}
        dir="ltr"
        maxLength={254}
      />
      <Checkboxes
        ctx={ctx}
        name="membersOnly"
        legend={t('profile.membersOnly')}
        hint={t('profile.membersOnlyHint')}
        options={OPTIONAL_FIELDS.map((f) => ({ value: f, label: t(`profile.${f}`) }))}
        value={values.membersOnly ?? DEFAULT_MEMBERS_ONLY}
        errors={errors}
      />
    </>
  );
}
