export * from './templates.ts';
export * from './layout.ts';
export * from './schema.ts';
export * from './canonical.ts';
export { promptsFor, legalFor, type PromptLanguage } from './prompts.ts';
export * from './guard.ts';
export * from './presence.ts';
export * from './anchor.ts';
export * from './diff.ts';
