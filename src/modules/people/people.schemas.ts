import { type Static, Type } from '@sinclair/typebox';

export const Invite = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254, format: 'email' }),
  networkRole: Type.Union([Type.Literal('convener'), Type.Literal('member'), Type.Literal('associate')], { errorKey: 'errors.choice' }),
  organisationId: Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.choice' })),
  orgRole: Type.Optional(Type.Union([Type.Literal('org_admin'), Type.Literal('staff')], { errorKey: 'errors.choice' })),
});
export type Invite = Static<typeof Invite>;
