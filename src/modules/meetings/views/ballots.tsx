import { ActingFor, ErrorSummary, Form, PostButton, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import { MOTION_LIMITS } from '../ballots.schemas.ts';
import type { BallotsService, MotionResult } from '../ballots.service.ts';
import { listOf } from '../../../views/format.ts';

type MotionsData = Awaited<ReturnType<BallotsService['page']>>;

export interface MotionForms {
  propose?: FormState;
  chair?: { motionId: string; state: FormState };
  vote?: { motionId: string; state: FormState };
  delegate?: FormState;
  answer?: FormState;
}

function Result({ ctx, m }: { ctx: ViewContext; m: MotionResult }) {
  const { t, number } = ctx.intl;
  if (m.state !== 'closed') return null;
  return (
    <>
      <p>
        <strong>{m.carried ? t('ballots.carried') : t('ballots.notCarried')}</strong>
        {m.quorumMet === false && <> · {t('ballots.noQuorum')}</>}
      </p>
      <p>{t('ballots.counts', { for: number(m.for), against: number(m.against), abstain: number(m.abstain), eligible: number(m.eligible) })}</p>
    </>
  );
}

export function MotionsPage({ ctx, data, forms }: { ctx: ViewContext; data: MotionsData; forms: MotionForms }) {
  const { t, number } = ctx.intl;
  const title = t('ballots.title', { meeting: data.meeting.title });
  const propose = forms.propose ?? EMPTY;
  const delegate = forms.delegate ?? EMPTY;
  const answer = forms.answer ?? EMPTY;
  const choices = (['for', 'against', 'abstain'] as const).map((c) => ({ value: c, label: t(`ballots.choice.${c}`) }));
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={`/meetings/${data.meeting.id}`} dir="auto">
          {t('ballots.back', { meeting: data.meeting.title })}
        </a>
      </p>
      <h1 dir="auto">{title}</h1>
      {/* A refused vote or step is said at the top: the motion's form may no longer be shown (closed, already voted, not one's to cast). */}
      {forms.vote && <ErrorSummary ctx={ctx} errors={forms.vote.state.errors} summaryKey={forms.vote.state.summaryKey} />}
      {forms.chair && <ErrorSummary ctx={ctx} errors={forms.chair.state.errors} summaryKey={forms.chair.state.summaryKey} />}
      {/* Someone who is no admin has no delegation form to show the refusal beside: say it here. */}
      {forms.delegate && data.delegation.length === 0 && <ErrorSummary ctx={ctx} errors={forms.delegate.errors} summaryKey={forms.delegate.summaryKey} />}
      <p>
        {t('ballots.quorum', { percent: number(data.quorum.percent), present: number(data.quorum.present), eligible: number(data.quorum.eligible) })}{' '}
        <strong>{data.quorum.met ? t('ballots.quorumMet') : t('ballots.quorumNotMet')}</strong>
      </p>
      {data.offeredToMe.length > 0 && (
        <section aria-labelledby="delegation-offer">
          <h2 id="delegation-offer">{t('ballots.delegateOfferTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={answer.errors} summaryKey={answer.summaryKey} />
          {data.offeredToMe.map((d) => (
            <div key={d.organisationId}>
              <p>{d.state === 'accepted' ? t('ballots.delegateYouAre', { organisation: d.name }) : d.state === 'declined' ? t('ballots.delegateYouDeclined', { organisation: d.name }) : t('ballots.delegateAsked', { organisation: d.name })}</p>
              <div class="actions">
                {d.state !== 'accepted' && <PostButton ctx={ctx} action={`/meetings/${data.meeting.id}/delegates/answer`} label={t('ballots.delegateAccept')} hidden={{ organisation: d.organisationId, answer: 'accept' }} />}
                {d.state !== 'declined' && <PostButton ctx={ctx} action={`/meetings/${data.meeting.id}/delegates/answer`} label={t('ballots.delegateDecline')} secondary hidden={{ organisation: d.organisationId, answer: 'decline' }} />}
              </div>
            </div>
          ))}
        </section>
      )}
      <h2>{t('ballots.motions')}</h2>
      {data.results.length === 0 && <p>{t('ballots.none')}</p>}
      <ol class="cards">
        {data.results.map((m) => {
          const vote = forms.vote?.motionId === m.id ? forms.vote.state : EMPTY;
          const voted = data.voted.get(m.id) ?? [];
          const canVoteFor = data.votingFor.filter((o) => !voted.includes(o.organisationId));
          const closed = data.closedVotes.get(m.id);
          return (
            <li key={m.id} id={`motion-${m.number}`}>
              <h3>{t('ballots.motionNumber', { number: String(m.number) })}</h3>
              <p dir="auto">{m.text}</p>
              <p>
                {m.ballot === 'secret' ? t('ballots.secret') : t('ballots.open')} · {t(`ballots.state.${m.state}`)}
              </p>
              <Result ctx={ctx} m={m} />
              {closed && closed.open.length > 0 && (
                <ul>
                  {closed.open.map((v) => (
                    <li key={v.id}>
                      {v.name}: {t(`ballots.choice.${v.choice}`)}
                    </li>
                  ))}
                </ul>
              )}
              {closed && m.ballot === 'secret' && closed.voters.length > 0 && <p>{t('ballots.votedSecret', { names: listOf(ctx, closed.voters.map((v) => v.name)) })}</p>}
              {data.chair && m.state === 'draft' && <PostButton ctx={ctx} action={`/meetings/${data.meeting.id}/motions/${m.id}/open`} label={t('ballots.openBallot')} />}
              {data.chair && m.state === 'open' && <PostButton ctx={ctx} action={`/meetings/${data.meeting.id}/motions/${m.id}/close`} label={t('ballots.closeBallot')} />}
              {m.state === 'open' && voted.length > 0 && <p>{t('ballots.youVoted')}</p>}
              {m.state === 'open' && canVoteFor.length > 0 && (
                <Form ctx={ctx} action={`/meetings/${data.meeting.id}/motions/${m.id}/vote`}>
                    {canVoteFor.length === 1 ? (
                      <p class="acting-for">{t('ballots.votingFor', { organisation: canVoteFor[0]?.name ?? '' })}</p>
                    ) : (
                      <Radios
                        ctx={ctx}
                        name="actingFor"
                        legend={t('ballots.votingForLegend')}
                        options={canVoteFor.map((o) => ({ value: o.organisationId, label: o.name }))}
                        value={vote.values.actingFor}
                        errors={vote.errors}
                      />
                    )}
                    {canVoteFor.length === 1 && <input type="hidden" name="actingFor" value={canVoteFor[0]?.organisationId} />}
                    <Radios ctx={ctx} name="choice" legend={t('ballots.yourVote')} options={choices} value={vote.values.choice} errors={vote.errors} />
                    <button type="submit">{t('ballots.castVote')}</button>
                  </Form>
              )}
            </li>
          );
        })}
      </ol>
      {data.organiser && (
        <section aria-labelledby="propose">
          <h2 id="propose">{t('ballots.proposeTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={propose.errors} summaryKey={propose.summaryKey} />
          <Form ctx={ctx} action={`/meetings/${data.meeting.id}/motions`}>
            <ActingFor ctx={ctx} value={propose.values.actingFor} errors={propose.errors} />
            <Textarea ctx={ctx} name="text" label={t('ballots.text')} value={propose.values.text} errors={propose.errors} rows={4} maxLength={MOTION_LIMITS.text} required />
            <Radios
              ctx={ctx}
              name="ballot"
              legend={t('ballots.ballotKind')}
              hint={t('ballots.ballotHint')}
              options={[
                { value: 'open', label: t('ballots.open') },
                { value: 'secret', label: t('ballots.secret') },
              ]}
              value={propose.values.ballot}
              errors={propose.errors}
            />
            <button type="submit">{t('ballots.propose')}</button>
          </Form>
        </section>
      )}
      {data.delegation.length > 0 && (
        <section aria-labelledby="delegate">
          <h2 id="delegate">{t('ballots.delegateTitle')}</h2>
          <p>{t('ballots.delegateIntro')}</p>
          <ErrorSummary ctx={ctx} errors={delegate.errors} summaryKey={delegate.summaryKey} />
          {data.delegation.map((o) => (
            <div key={o.organisationId}>
              {o.current && <p>{t(`ballots.delegateState.${o.current.state}`, { name: o.current.display_name, organisation: o.name })}</p>}
              <Form ctx={ctx} action={`/meetings/${data.meeting.id}/delegates`}>
                <input type="hidden" name="organisation" value={o.organisationId} />
                <Select
                  ctx={ctx}
                  name="person"
                  label={t('ballots.delegatePerson', { organisation: o.name })}
                  value={delegate.values.organisation === o.organisationId ? delegate.values.person : (o.current?.person_id ?? '')}
                  errors={delegate.values.organisation === o.organisationId ? delegate.errors : {}}
                  options={[{ value: '', label: t('ballots.delegateNone') }, ...o.staff.map((s) => ({ value: s.id, label: s.display_name }))]}
                />
                <button type="submit">{t('ballots.delegateSubmit')}</button>
              </Form>
            </div>
          ))}
        </section>
      )}
    </Layout>
  );
}
