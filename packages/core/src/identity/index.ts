// The face of identity: sign-in through a municipality's identity provider (OpenID Connect) and the providers the
// operator configures. Other features import identity from here only (docs/decisions/021-feature-folders.md).

export {
  addIdentityProvider, addIdentityProviderInput, type AddIdentityProviderInput, identityProviderOrigins, type IdentityProviderListing, listIdentityProviders, REDIRECT_PATH, redirectUri, removeIdentityProvider,
} from './providers.ts';
export {
  beginProviderSignIn, type CallbackInput, completeProviderSignIn, IDP_RECHECK_GRACE_MS, IDP_RECHECK_MS, IDP_SESSION_WITHOUT_REFRESH_MS, OIDC_STATE_TTL_MS, recheckProviderSessions, SIGN_IN_REFUSALS, type SignInRefusal,
  signInMethod,
} from './sign-in.ts';
