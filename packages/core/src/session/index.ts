// The face of session: log-in, log-out, the second factor and the session of a request.
// Other features import session from here only (docs/decisions/021-feature-folders.md).

export { getUnlock, mailUnlockLink, UNLOCK_MAIL_INTERVAL_MS, UNLOCK_TTL_MS, unlockLogin, type UnusableUnlock } from './login-unlock.ts';
export {
  authenticate, beginLogin, completeEnrolment, completeLogin, deviceCookieHeader, enrolmentOfChallenge, identityProviderDomain, login, type ChallengeInput, type LoginInput, type LoginStep, logout,
  pruneExpired, type SignedIn,
} from './session.ts';
export {
  CHALLENGE_TTL_MS, confirmEnrolment, disableSecondFactor, type EnrolmentView, getSecondFactorStatus, pendingEnrolment, regenerateRecoveryCodes, type SecondFactorPolicy, secondFactorPolicy,
  type SecondFactorStatus, secretsOf, findChallenge as findLoginChallenge, startSecondFactorSetup, finishSecondFactorSetup, secondFactorNeed,
} from './second-factor.ts';
