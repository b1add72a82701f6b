import { definePolicy, type Role, SIGNED_IN } from '../../platform/policy.ts';

const ANYONE: readonly Role[] = ['anonymous', ...SIGNED_IN];

export const accountsPolicy = definePolicy('accounts', {
  /** sign in, register, reset a password, accept an invitation */
  signIn: ANYONE,
  manageOwnAccount: SIGNED_IN,
});
