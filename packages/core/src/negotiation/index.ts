// The face of the negotiation: suggested changes and the host's decisions on them, each municipality's position per
// section, sections marked agreed and reopened (docs/decisions/025).
// Other features import the negotiation from here only (docs/decisions/021-feature-folders.md).

export {
  agreeSection, agreeSectionInput, decideAuthorSuggestions, decideAuthorSuggestionsInput, type DecidedSuggestions, decideSuggestion, decideSuggestionInput,
  listPositions, listSuggestionDecisions, listSuggestions, type PositionsOverview, type PositionView, positionInput, reopenSection, reopenSectionInput,
  type SuggestionDecisionView, type SuggestionView, setPosition,
} from './negotiation.ts';
export { agreeProblems, type AgreeProblem, DECISION_REASON_MAX, PLACEHOLDER, POSITION_TEXT_MAX, type Stance, STANCES } from './negotiation.rules.ts';
