// The face of versions: frozen versions of a document, their hashes, restore and diff.
// Other features import versions from here only (docs/decisions/021-feature-folders.md).

export {
  canVersion, compareVersions, type Comparison, type ComparisonSide, comparisonTarget, contentOf, currentContent, type DocumentAccess,
  documentAccessOf, type DocumentContent, getVersion, listVersions, restoreVersion, saveVersion, type VersionDetail, versionNumber,
  type VersionSection, type VersionSummary, frozenVersion, versionDetail,
} from './versions.ts';
