// Core does not re-export the password policy yet; the invitation page needs its limits for the hint and messages.
export { PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from '@sopu/auth';
