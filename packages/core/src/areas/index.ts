// The face of areas: an area's dashboard, settings, the checks the law implies, the joint body's votes, chair rotation, cost shares, agreement tables, and the operator's use cases.
// Other features import areas from here only (docs/decisions/021-feature-folders.md).

export {
  calculateCostShares, chairRotation, type ChairRotation, chairRotationInput, COST_SHARE_SECTION, costSharesInput, type CostShareTable,
  type InsertedTable, ROTATION_SECTION, type TableLanguage,
} from './agreement-tables.ts';
export { apportion, toUnits } from './apportion.rules.ts';
export { type AreaDashboard, type AreaSummary, getArea, getAreaDashboard, getMe, type Me } from './areas.ts';
export {
  generateChairRotation, ROTATION_MAX_MEMBERS, ROTATION_MAX_YEARS, ROTATION_MIN_MEMBERS, ROTATION_MIN_YEARS, type RotationYear,
} from './chair-rotation.rules.ts';
export {
  CHECKED_KINDS, type CheckedKind, type CheckStatus, type CheckVerdict, EXCEPTION_GROUND_LABELS, formatDate, formatDecimal, formatEuros,
  formatInteger, formatPercent, inLanguage, labourForceCheck, type LabourForceFacts, type Localised, majorityCheck, mentionsTieRule, pickLanguage,
  requiredTopicsCheck, tieRuleCheck, type TopicState,
} from './checks.rules.ts';
export { type AreaCheck, listChecks } from './checks.ts';
export {
  computeCostShares, COST_SHARE_KEYS, type CostShareInput, type CostShareKey, type CostShareRow, type CostShares, FIGURE_DECIMALS,
  NET_COSTS_MAX_CENTS,
} from './cost-shares.rules.ts';
export { MILESTONE_KINDS, type MilestoneKind } from './milestones.rules.ts';
export {
  insertArea, isBilingual, MUNICIPALITY_LANGUAGES, type MunicipalityLanguage, type NewArea, newAreaInput, type NewAreaInput, type NewMunicipality,
  toNewArea,
} from './new-area.ts';
export {
  type AreaExport, type AreaListing, type AuditChainReport, createArea, createAreaInput, type CreatedAreaReport, EXPORT_EXCLUDED, exportArea,
  EXPORTED_TABLES, listAreas, setAreaStatus, verifyAuditChains,
} from './operator.ts';
export {
  type AreaSettings, type CostShareCalculationView, type EntryIntoForce, entryIntoForceInput, exceptionInput, getAreaSettings, jointBodyInput,
  KEY_FACTS_MAX, keyFactsInput, LABOUR_FORCE_MAX, labourForceInput, type Milestone, MILESTONES_MAX, milestonesInput, type MunicipalitySettings,
  updateDirectEditing, directEditingInput, updateConsultationPeriod, consultationPeriodInput, consultationPeriodOf, updateEntryIntoForce, updateExceptionGround, updateJointBody, updateKeyFacts, updateLabourForce, updateMilestones, updateSecondFactorRequirement, secondFactorRequirementInput,
} from './settings.ts';
export {
  checkLabourForceThreshold, EXCEPTION_GROUNDS, type ExceptionGround, LABOUR_FORCE_THRESHOLD, type ThresholdCheck,
} from './threshold.rules.ts';
export {
  type JointBodyMember, SEATS_MAX, type VoteReason, VOTES_PER_SEAT_MAX, type VoteShare, voteShares, type VoteShares, type VoteVerdict,
} from './vote-shares.rules.ts';
