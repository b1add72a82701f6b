import { type Static, Type } from '@sinclair/typebox';

/**
 * One schema per action, used by both the HTML form and the JSON API. Lengths are capped
 * before anything expensive happens (a password is never hashed past 256 characters).
 */
export const PASSWORD_MAX = 256;
const password = Type.String({ minLength: 12, maxLength: PASSWORD_MAX, errorKey: 'errors.passwordTooShort' });
const anyPassword = Type.String({ minLength: 1, maxLength: PASSWORD_MAX });
const email = Type.String({ minLength: 1, maxLength: 254, format: 'email' });
const totpCode = Type.String({ pattern: '^[0-9]{6}$', errorKey: 'errors.totpFormat' });

// Letters and digits of any script, spaces, dot, dash, underscore; no "@" so it never looks like an email.
export const PSEUDONYM_PATTERN = "^[\\p{L}\\p{M}\\p{N}][\\p{L}\\p{M}\\p{N} ._'-]*$";

export const SignIn = Type.Object({
  identifier: Type.String({ minLength: 1, maxLength: 254, normalise: 'name' }),
  password: anyPassword,
  /** A 6-digit TOTP code or a recovery code (`abcd-efgh-jkmn-pqrs`), when two-step sign-in is on. */
  code: Type.Optional(Type.String({ maxLength: 40 })),
});
export type SignIn = Static<typeof SignIn>;

export const Register = Type.Object({
  pseudonym: Type.String({ minLength: 2, maxLength: 40, pattern: PSEUDONYM_PATTERN, errorKey: 'errors.pseudonym', normalise: 'name' }),
  passphrase: Type.String({ minLength: 20, maxLength: PASSWORD_MAX }),
  saved: Type.Literal('yes', { errorKey: 'errors.passphraseSaved' }),
  email: Type.Optional(email),
});
export type Register = Static<typeof Register>;

export const ChangePassword = Type.Object({
  current: anyPassword,
  password,
});
export type ChangePassword = Static<typeof ChangePassword>;

export const EnableTotp = Type.Object({
  secret: Type.String({ pattern: '^[A-Z2-7]{16,64}$' }),
  code: totpCode,
  current: anyPassword,
});
export type EnableTotp = Static<typeof EnableTotp>;

export const DisableTotp = Type.Object({ totpPassword: anyPassword });
export type DisableTotp = Static<typeof DisableTotp>;

export const NewRecoveryCodes = Type.Object({ recoveryPassword: anyPassword });
export type NewRecoveryCodes = Static<typeof NewRecoveryCodes>;

export const SetLocale = Type.Object({ locale: Type.String({ minLength: 2, maxLength: 10, errorKey: 'errors.choice' }) });
export type SetLocale = Static<typeof SetLocale>;

// The password again: a stolen session alone cannot mint a long-lived credential.
export const CreateApiToken = Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), tokenPassword: anyPassword });
export type CreateApiToken = Static<typeof CreateApiToken>;

export const ForgotPassword = Type.Object({ email });
/** `npm run convener`: the convener's address, and for a new one the name others see. */
export const ConvenerCommand = Type.Object({ email, displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 120, normalise: 'name' })) });
export type ConvenerCommand = Static<typeof ConvenerCommand>;
export type ForgotPassword = Static<typeof ForgotPassword>;

export const ResetPassword = Type.Object({ password });
export type ResetPassword = Static<typeof ResetPassword>;

export const AcceptInvitation = Type.Object({
  displayName: Type.String({ minLength: 1, maxLength: 120, normalise: 'name' }),
  password,
});
export type AcceptInvitation = Static<typeof AcceptInvitation>;

