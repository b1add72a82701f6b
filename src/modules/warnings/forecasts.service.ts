import { createHash } from 'node:crypto';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { isCountryCode } from '../../platform/countries.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import { safeFilename, type Upload } from '../../platform/http.tsx';
import type { Actor } from '../../platform/policy.ts';
import { parseForecasts, suggestByName } from './forecasts.parse.ts';
import * as repo from './forecasts.repository.ts';
import { warningsPolicy } from './warnings.policy.ts';

/** A forecasts file is about 30 KB; anything near this is not one. */
export const FORECASTS_MAX_BYTES = 1024 * 1024;
/** How many bad rows a message lists before saying "and N more". */
const PROBLEMS_SHOWN = 20;

export type Decision = 'skip' | string;

/**
 * Import of the Early Warning Project's statistical forecasts, in three steps: upload (parsed,
 * nothing stored but the preview), preview with a decision for every row whose Correlates of
 * War code has no ISO mapping, and commit in one transaction. Nothing is dropped silently.
 */
export class ForecastsService {
  constructor(private p: Platform) {}

  private allow(actor: Actor): string {
    if (actor.kind !== 'person' || !warningsPolicy.can(actor, 'importForecasts')) throw AppError.notFound();
    return actor.id;
  }

  async overview(actor: Actor) {
    this.allow(actor);
    return { imports: await repo.listImports(this.p.db) };
  }

  async upload(actor: Actor, file: Upload | undefined): Promise<string> {
    const personId = this.allow(actor);
    if (!file || (file.filename === '' && file.data.length === 0)) throw AppError.field('file', 'errors.fileRequired');
    if (file.truncated || file.data.length > FORECASTS_MAX_BYTES) {
      throw AppError.field('file', 'errors.forecastsTooLarge', { max: FORECASTS_MAX_BYTES / 1024 / 1024 });
    }
    const parsed = parseForecasts(file.data);
    if (!parsed.ok) {
      // Every message about the file names what it lacks, even when it is not CSV at all.
      const values = parsed.values ?? (parsed.key === 'errors.forecastsNotForecasts' ? { missing: 'ewp_name, ccode, risk.YYYYandYYYY.fromYYYY' } : undefined);
      const fields: FieldErrors = { file: { key: parsed.key, ...(values ? { values } : {}) } };
      for (const problem of parsed.problems.slice(0, PROBLEMS_SHOWN)) {
        fields[`line-${problem.line}`] = { key: problem.key, values: { line: problem.line, ...problem.values } };
      }
      if (parsed.problems.length > PROBLEMS_SHOWN) fields.more = { key: 'errors.forecastsMoreProblems', values: { count: parsed.problems.length - PROBLEMS_SHOWN } };
      throw AppError.invalid(fields, 'errors.forecastsRejected');
    }
    const suggestions: Record<string, string | null> = {};
    for (const row of parsed.unmapped) suggestions[String(row.cowCode)] = suggestByName(row.ewpName);
    const filename = safeFilename(file.filename, 'forecasts.csv');
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertImport(trx, {
        sha256: createHash('sha256').update(file.data).digest('hex'),
        filename,
        edition: parsed.edition.riskColumn,
        first_year: parsed.edition.firstYear,
        last_year: parsed.edition.lastYear,
        data_year: parsed.edition.dataYear,
        rows: { rows: parsed.rows, suggestions },
        imported_by: personId,
      });
      await audit(trx, actor, { action: 'forecasts.upload', recordType: 'forecast_import', recordId: id });
      return id;
    });
  }

  async preview(actor: Actor, id: string) {
    this.allow(actor);
    const found = await repo.findImport(this.p.db, id);
    if (!found) throw AppError.notFound();
    const [stored, previous, sameFile] = await Promise.all([
      repo.storedEdition(this.p.db, found.edition),
      repo.previousDecisions(this.p.db, found.edition),
      repo.committedWithHash(this.p.db, found.sha256),
    ]);
    const byCow = new Map(stored.map((r) => [r.cow_code, r]));
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    for (const row of found.rows.rows) {
      if (row.iso3 === null) continue;
      const old = byCow.get(row.cowCode);
      if (!old) added++;
      else if (old.risk !== row.risk || old.rank !== row.rank || old.country !== row.iso3 || old.ewp_name !== row.ewpName) changed++;
      else unchanged++;
    }
    const unmapped = found.rows.rows
      .filter((r) => r.iso3 === null)
      .map((r) => ({ ...r, suggestion: found.rows.suggestions[String(r.cowCode)] ?? null, previous: previous[String(r.cowCode)] ?? null }));
    return { import: found, total: found.rows.rows.length, added, changed, unchanged, unmapped, sameFileCommittedAt: sameFile?.id !== id ? (sameFile?.committed_at ?? null) : null };
  }

  /** Every unmapped row needs a decision: a country (matched by name) or "leave out". */
  async commit(actor: Actor, id: string, values: Record<string, unknown>): Promise<number> {
    this.allow(actor);
    const found = await repo.findImport(this.p.db, id);
    if (!found) throw AppError.notFound();
    if (found.status !== 'preview') throw AppError.invalid({}, 'errors.importDone');
    const decisions: Record<string, Decision> = {};
    const errors: FieldErrors = {};
    for (const row of found.rows.rows.filter((r) => r.iso3 === null)) {
      const field = `match-${row.cowCode}`;
      const v = values[field];
      if (v === 'skip' || (typeof v === 'string' && isCountryCode(v))) decisions[String(row.cowCode)] = v;
      else errors[field] = { key: v === undefined ? 'errors.decisionRequired' : 'errors.countryUnknown', values: { name: row.ewpName, code: row.cowCode } };
    }
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    return this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockImport(trx, id);
      if (locked?.status !== 'preview') throw AppError.invalid({}, 'errors.importDone');
      const rows: repo.ForecastValues[] = [];
      for (const r of found.rows.rows) {
        const country = r.iso3 ?? decisions[String(r.cowCode)];
        if (!country || country === 'skip') continue;
        rows.push({
          edition: found.edition,
          cow_code: r.cowCode,
          ewp_name: r.ewpName,
          country,
          risk: r.risk,
          rank: r.rank,
          first_year: found.first_year,
          last_year: found.last_year,
          import_id: id,
        });
      }
      const changed = (await repo.upsertForecasts(trx, rows)) + (await repo.deleteOthers(trx, found.edition, rows.map((r) => r.cow_code)));
      await repo.markImport(trx, id, { status: 'committed', decisions, changed_rows: changed });
      await audit(trx, actor, { action: 'forecasts.commit', recordType: 'forecast_import', recordId: id });
      return changed;
    });
  }

  async discard(actor: Actor, id: string): Promise<void> {
    this.allow(actor);
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockImport(trx, id);
      if (!locked) throw AppError.notFound();
      if (locked.status !== 'preview') throw AppError.invalid({}, 'errors.importDone');
      await repo.markImport(trx, id, { status: 'discarded' });
      await audit(trx, actor, { action: 'forecasts.discard', recordType: 'forecast_import', recordId: id });
    });
  }
}
