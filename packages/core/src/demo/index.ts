// The face of demo: the demo areas and their loaders (@sopu/core/demo); they build on the features, and nothing in core but tests and testing.ts reads them.
// Other features import demo from here only (docs/decisions/021-feature-folders.md).

export { DEMO_PASSWORD, type DemoLogin, demoLogins, loadDemoAreasIfEmpty } from './demo.ts';
