import { type TLiteral, Type } from '@sinclair/typebox';

/**
 * Schema pieces every module uses (ids in routes, calendar dates, a choice from a list). They
 * live here so that no module borrows them from another module's schemas.
 */
export const uuid = Type.String({ format: 'uuid', errorKey: 'errors.notFound' });

/** A calendar date, from 1900 on: JSON Schema's "date" accepts year 0000, which PostgreSQL refuses. */
export const isoDate = Type.String({ format: 'date', pattern: '^(19|[2-9][0-9])[0-9]{2}-', maxLength: 10, errorKey: 'errors.date' });

export const IdParam = Type.Object({ id: uuid });
export const TokenParam = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) });

/** One value of a fixed list, refused with `errorKey` otherwise. */
export const oneOf = <const T extends readonly string[]>(values: T, errorKey = 'errors.choice') =>
  Type.Union(values.map((v) => Type.Literal(v)) as unknown as TLiteral<T[number]>[], { errorKey });
