// The browser-safe part of core: pure rules and constants, no database, no Node modules. UI components import
// from '@sopu/core/rules'; everything else stays behind '@sopu/core' in *.server.ts modules and loaders.
export { ROLES, isRole, can, type Role, type Permission, type Member } from './roles.ts';
export { checkLabourForceThreshold, LABOUR_FORCE_THRESHOLD, EXCEPTION_GROUNDS, type ThresholdCheck, type ExceptionGround } from './checks.ts';
export { CREATABLE_KINDS, type CreatableKind } from './document-kinds.ts';
export { DOMAIN_ERROR_CODES, type DomainErrorCode } from './errors.ts';
export { splitMentions, mentionToken } from './mentions.ts';
