import type { Db } from '../../db/database.ts';
import { type SignatureRow, signatureRows } from './signatories.repository.ts';

/**
 * How each signatory appears to readers: the one place that decides it, so that pages, the API,
 * exports and feeds can never show more than a person chose (ADR 0019). An organisation appears
 * by name with a link to its profile; an individual by the name or the described role they gave,
 * or only in the count. Nothing else about a signer (account, organisation, email) leaves here.
 */
export type ShownSignatory =
  | { kind: 'organisation'; organisationId: string; name: string; slug: string; signedAt: Date }
  | { kind: 'name'; name: string; signedAt: Date }
  | { kind: 'role'; role: string; signedAt: Date };

export interface ShownWithdrawal {
  /** Absent for an individual who chose to be counted only: "a co-signatory withdrew". */
  who?: ShownSignatory;
  signedAt: Date;
  withdrawnAt: Date;
}

export interface PublicSignatories {
  /** The version these signatures were given to. */
  version: number;
  organisations: Extract<ShownSignatory, { kind: 'organisation' }>[];
  /** Individuals who chose to be named or described, in the order they signed. */
  individuals: Exclude<ShownSignatory, { kind: 'organisation' }>[];
  /** All individual co-signatories still signed, named or not. */
  individualCount: number;
  withdrawals: ShownWithdrawal[];
}

export function shown(row: SignatureRow): ShownSignatory | undefined {
  if (row.appears_as === 'organisation' && row.organisation_id)
    return { kind: 'organisation', organisationId: row.organisation_id, name: row.organisation_name ?? '', slug: row.organisation_slug ?? '', signedAt: row.signed_at };
  if (row.appears_as === 'name' && row.display_name) return { kind: 'name', name: row.display_name, signedAt: row.signed_at };
  if (row.appears_as === 'role' && row.display_role) return { kind: 'role', role: row.display_role, signedAt: row.signed_at };
  return undefined;
}

/** The signatories of one version as readers see them, from rows of `signatureRows`. */
export function signatoriesOf(rows: readonly SignatureRow[], version: number): PublicSignatories {
  const ofVersion = rows.filter((r) => r.version_number === version);
  const standing = ofVersion.filter((r) => r.withdrawn_at === null);
  const organisations: PublicSignatories['organisations'] = [];
  const individuals: PublicSignatories['individuals'] = [];
  for (const row of standing) {
    const who = shown(row);
    if (who?.kind === 'organisation') organisations.push(who);
    else if (who) individuals.push(who);
  }
  const withdrawals = ofVersion
    .filter((r) => r.withdrawn_at !== null)
    .map((r) => {
      const who = shown(r);
      return { ...(who ? { who } : {}), signedAt: r.signed_at, withdrawnAt: r.withdrawn_at as Date };
    })
    .sort((a, b) => a.withdrawnAt.getTime() - b.withdrawnAt.getTime());
  return { version, organisations, individuals, individualCount: standing.filter((r) => r.appears_as !== 'organisation').length, withdrawals };
}

/** The public signatories of published statements, by statement id, for their published version. */
export async function publicSignatories(db: Db, statements: readonly { id: string; published_version: number | null }[]): Promise<Map<string, PublicSignatories>> {
  const published = statements.filter((s) => s.published_version !== null);
  const rows = await signatureRows(
    db,
    published.map((s) => s.id),
  );
  const map = new Map<string, PublicSignatories>();
  for (const s of published) map.set(s.id, signatoriesOf(rows.filter((r) => r.statement_id === s.id), s.published_version as number));
  return map;
}
