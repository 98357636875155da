import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Milliseconds since the epoch, UTC. Every time column in Sopu is one. */
type Millis = number;

export interface AreasTable {
  id: string;
  slug: string;
  name_fi: string;
  name_sv: string;
  name_en: string;
  cooperation_model: string;
  legal_basis: string | null;
  host_municipality_id: string | null;
  /** JSON array of exception-ground codes (implementing act 4 §). */
  exception_grounds: string;
  /** JSON array of free-text facts shown on the dashboard. */
  facts: string;
  created_at: Millis;
  /** 'active' | 'suspended' (by the operator; a suspended area is closed to its members). */
  status: ColumnType<string, string | undefined, string>;
  status_changed_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  /** The municipality whose member chairs the joint body now. */
  chair_municipality_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The Government's exception-permit decision (implementing act 4 §), as recorded. */
  exception_permit_reference: ColumnType<string | null, string | null | undefined, string | null>;
  /** YYYY-MM-DD. */
  exception_permit_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of {fi, sv, en}: key facts shown on the dashboard in the reader's language. */
  key_facts: ColumnType<string, string | undefined, string>;
  /** 1: every member who signs in with a password needs a second factor (host admins always do). */
  require_second_factor: ColumnType<number, number | undefined, number>;
  /** Who changes agreement text directly: 'host' (the host's drafters; members suggest) or 'everyone'. */
  direct_editing: ColumnType<string, string | undefined, string>;
  /** The agreement's minimum consultation period in days; null when it states none. */
  min_consultation_days: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1 when July is not counted in the minimum consultation period. */
  min_consultation_excludes_july: ColumnType<number, number | undefined, number>;
}

export interface MunicipalitiesTable {
  id: string;
  area_id: string;
  code: string;
  name_fi: string;
  name_sv: string;
  language: string;
  labour_force: number | null;
  /** 1 when the labour-force figure is illustrative demo data, not statistics. */
  labour_force_is_demo: number;
  seats: number | null;
  votes_per_seat: number | null;
  created_at: Millis;
  /** Where the labour-force figure comes from, e.g. "Tilastokeskus, työssäkäyntitilasto". */
  labour_force_source: ColumnType<string | null, string | null | undefined, string | null>;
  /** The statistical year of the labour-force figure. */
  labour_force_year: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  locale: string;
  created_at: Millis;
  /** 1: never asked for a second factor (the demo accounts, refused on a non-local address anyway). */
  password_only: ColumnType<number, number | undefined, number>;
}

export interface SessionsTable {
  /** sha256 of the session token, hex: a leaked table does not hand out sessions. */
  id: string;
  user_id: string;
  expires_at: Millis;
  created_at: Millis;
  absolute_expires_at: Millis;
  ip: string | null;
  user_agent: string | null;
}

export interface MembershipsTable {
  id: string;
  area_id: string;
  user_id: string;
  municipality_id: string;
  role: string;
  created_at: Millis;
}

export interface InvitationsTable {
  id: string;
  area_id: string;
  municipality_id: string;
  email: string;
  display_name: string;
  role: string;
  token_hash: string;
  /** Null for an area's first host admin, invited by the operator's command. */
  invited_by: string | null;
  created_at: Millis;
  expires_at: Millis;
  accepted_at: Millis | null;
  accepted_by: string | null;
  revoked_at: Millis | null;
}

export interface OutboxTable {
  id: string;
  /** Null for mail that belongs to no area (a login unlock link). */
  area_id: string | null;
  to_email: string;
  subject: string;
  body_text: string;
  created_at: Millis;
  sent_at: Millis | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  /** The HTML part of a notification mail (plain text only when null). */
  body_html: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON object of extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
  headers: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of {filename, contentType, content} (an .ics file). */
  attachments: ColumnType<string | null, string | null | undefined, string | null>;
  /** The person a notification mail is for; null for invitations and unlock links. */
  user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The notification kind, 'digest', or null for invitations and unlock links. */
  kind: ColumnType<string | null, string | null | undefined, string | null>;
  /** When a process claimed it to hand it to the mail server (cleared after the attempt), and which process. */
  sending_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  sender: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Something that happened that people may be mailed about, recorded in the use case's transaction. */
export interface NotificationEventsTable {
  id: Generated<number>;
  area_id: string;
  kind: string;
  subject_id: string | null;
  actor_id: string | null;
  /** JSON object. */
  details: string;
  created_at: Millis;
  /** When the planner turned it into jobs. */
  planned_at: Millis | null;
}

/** One notification for one person, planned once (dedupe_key), then mailed or skipped. */
export interface NotificationJobsTable {
  id: string;
  area_id: string;
  user_id: string;
  kind: string;
  dedupe_key: string;
  /** JSON object: the ids the mail names. */
  details: string;
  /** immediate | digest */
  delivery: string;
  created_at: Millis;
  /** When it may be mailed: the end of its gathering window, or the digest's hour. */
  due_at: Millis;
  /** pending | mailed | skipped */
  state: string;
  skip_reason: string | null;
  outbox_id: string | null;
  finished_at: Millis | null;
}

export interface NotificationPreferencesTable {
  user_id: string;
  kind: string;
  /** immediate | daily | off */
  mode: string;
  updated_at: Millis;
}

export interface UnsubscribeTokensTable {
  id: string;
  user_id: string;
  /** JSON array of the kinds the link switches off. */
  kinds: string;
  token_hash: string;
  created_at: Millis;
  used_at: Millis | null;
}

export interface CalendarFeedsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Millis;
  revoked_at: Millis | null;
  last_used_at: Millis | null;
}

/** What the stale-approval check last saw of a request's document. */
export interface ApprovalWatchTable {
  approval_request_id: string;
  area_id: string;
  /** The document's update sequence number when checked. */
  checked_seq: number;
  /** Since when the text differs from the approved version's (null: it is that text). */
  stale_since: Millis | null;
  checked_at: Millis;
}

export interface AuditEventsTable {
  id: string;
  area_id: string;
  seq: number;
  actor_user_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  details: string;
  created_at: Millis;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  area_id: string;
  seq: number;
  hash: string;
  /** HMAC-SHA256 over area, seq and hash with the audit key, which is not stored in the database. */
  mac: string;
}

export interface DocumentLeasesTable {
  document_id: string;
  /** The process (instance id) allowed to write the document's updates. */
  owner: string;
  expires_at: Millis;
}

export interface DocClientsTable {
  document_id: string;
  /** A Yjs client id that has written to the document. */
  client_id: number;
  user_id: string;
}

export interface CommentThreadsTable {
  id: string;
  area_id: string;
  document_id: string;
  section_key: string;
  /** Yjs relative positions (Y.encodeRelativePosition) of the quoted range; null for a comment on the whole section. */
  anchor_from: Uint8Array | null;
  anchor_to: Uint8Array | null;
  quote: string;
  status: string;
  /** 'fi' | 'sv': the language column of a bilingual document the thread is on; null in a document of one language. */
  language: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string;
  created_at: Millis;
  resolved_by: string | null;
  resolved_at: Millis | null;
  updated_at: Millis;
}

export interface CommentsTable {
  id: string;
  area_id: string;
  thread_id: string;
  author_id: string;
  body: string;
  /** JSON array of mentioned user ids. */
  mentions: string;
  created_at: Millis;
  edited_at: Millis | null;
  deleted_at: Millis | null;
  hidden_at: Millis | null;
  hidden_by: string | null;
  hidden_reason: string | null;
}

export interface NotificationsTable {
  id: string;
  area_id: string;
  user_id: string;
  kind: string;
  document_id: string | null;
  thread_id: string | null;
  comment_id: string | null;
  actor_id: string | null;
  created_at: Millis;
  read_at: Millis | null;
  /** The round a 'round_reminder' is about; optional when inserting other kinds. */
  consultation_round_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FeedEventsTable {
  id: Generated<number>;
  area_id: string;
  document_id: string | null;
  user_id: string | null;
  kind: string;
  subject_id: string | null;
  created_at: Millis;
}

export interface VersionsTable {
  id: string;
  area_id: string;
  document_id: string;
  number: number;
  label: string;
  /** canonicalJson of the CanonicalDocument (packages/doc-model). */
  content: string;
  hash: string;
  /** JSON object: section key → sha256 of that section's canonical JSON. */
  section_hashes: string;
  /** Y.encodeStateAsUpdate of the document when the version was saved. */
  snapshot: Uint8Array;
  restored_from: number | null;
  created_by: string | null;
  created_at: Millis;
  /** JSON array of the suggestions pending when the version was saved (doc-model PendingSuggestion). */
  pending_suggestions: ColumnType<string, string | undefined, string>;
}

export interface ApprovalRequestsTable {
  id: string;
  area_id: string;
  document_id: string;
  version_id: string;
  status: string;
  sent_by: string | null;
  sent_at: Millis;
  superseded_at: Millis | null;
  /** When every party council had decided; status 'closed'. */
  closed_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  /** The host's background text for the councils' decision proposals (plain text; '' when none). */
  background: ColumnType<string, string | undefined, string>;
}

/** Every exported version, current text and decision proposal, by the sha256 of its bytes (docs/decisions/022). */
export interface ExportFilesTable {
  id: string;
  area_id: string;
  document_id: string;
  /** 'version' | 'current' | 'proposal' */
  kind: string;
  /** 'docx' | 'pdf' */
  format: string;
  version_number: number | null;
  content_hash: string;
  file_sha256: string;
  file_name: string;
  byte_length: number;
  approval_request_id: string | null;
  municipality_id: string | null;
  created_by: string | null;
  api_token_id: string | null;
  created_at: Millis;
}

export interface CouncilDecisionsTable {
  id: string;
  area_id: string;
  approval_request_id: string;
  municipality_id: string;
  state: string;
  /** Calendar dates as YYYY-MM-DD (a council meets on a day, in Finland). */
  meeting_date: string | null;
  decision_date: string | null;
  minutes_section: string | null;
  minutes_url: string | null;
  note: string | null;
  /** YYYY-MM-DD: the decision became final (lainvoimainen); and the agreement's signature, optional. */
  final_date: ColumnType<string | null, string | null | undefined, string | null>;
  signed_date: ColumnType<string | null, string | null | undefined, string | null>;
  signatory: ColumnType<string | null, string | null | undefined, string | null>;
  recorded_by: string | null;
  recorded_at: Millis | null;
}

export interface CouncilDecisionEventsTable {
  id: string;
  area_id: string;
  council_decision_id: string;
  state: string;
  meeting_date: string | null;
  decision_date: string | null;
  minutes_section: string | null;
  minutes_url: string | null;
  note: string | null;
  /** YYYY-MM-DD: the decision became final (lainvoimainen); and the agreement's signature, optional. */
  final_date: ColumnType<string | null, string | null | undefined, string | null>;
  signed_date: ColumnType<string | null, string | null | undefined, string | null>;
  signatory: ColumnType<string | null, string | null | undefined, string | null>;
  recorded_by: string | null;
  api_token_id: string | null;
  on_behalf: number;
  created_at: Millis;
}

export interface ApiTokensTable {
  id: string;
  area_id: string;
  municipality_id: string;
  label: string;
  token_hash: string;
  created_by: string | null;
  created_at: Millis;
  revoked_at: Millis | null;
  last_used_at: Millis | null;
}

export interface ConsultationRoundsTable {
  id: string;
  area_id: string;
  document_id: string;
  version_id: string;
  title: string;
  /** JSON array of strings. */
  questions: string;
  cover_letter: string;
  /** An instant; entered and shown in Europe/Helsinki. */
  deadline: Millis;
  state: string;
  opened_by: string | null;
  opened_at: Millis;
  closed_by: string | null;
  closed_at: Millis | null;
  published_by: string | null;
  published_at: Millis | null;
  /** Why the host opened the round with a shorter period than the agreement's minimum (confirmed), or null. */
  short_period_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ConsultationInviteesTable {
  id: string;
  area_id: string;
  consultation_round_id: string;
  municipality_id: string;
  status: string;
  /** When its statement was last submitted. */
  answered_at: Millis | null;
}

export interface ConsultationStatementRevisionsTable {
  id: string;
  area_id: string;
  consultation_invitee_id: string;
  number: number;
  general: string;
  /** JSON array of {key, text}. */
  section_comments: string;
  no_comments: number;
  submitted_by: string | null;
  on_behalf: number;
  created_at: Millis;
  /** JSON array of {question, text} (question: 1-based number of the round's question). */
  answers: ColumnType<string, string | undefined, string>;
  /** The body that decided the statement (kunnanhallitus, or an official with delegated power). */
  decision_body: ColumnType<string | null, string | null | undefined, string | null>;
  /** YYYY-MM-DD. */
  decision_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** The minute section, e.g. "§ 123". */
  decision_section: ColumnType<string | null, string | null | undefined, string | null>;
  decision_url: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ConsultationAttachmentsTable {
  id: string;
  area_id: string;
  consultation_round_id: string;
  /** null: the round's own material; else the statement of that invitee. */
  consultation_invitee_id: string | null;
  file_name: string;
  /** Sniffed from the content (file-type), never taken from the name. */
  media_type: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  uploaded_by: string | null;
  created_at: Millis;
}

export interface ConsultationResponsesTable {
  id: string;
  area_id: string;
  consultation_round_id: string;
  consultation_invitee_id: string;
  /** '' for the general statement, else the key of the commented section. */
  section_key: string;
  status: string;
  reason: string;
  responded_by: string | null;
  responded_at: Millis;
}

export interface ConsultationRemindersTable {
  id: string;
  area_id: string;
  consultation_round_id: string;
  /** JSON array of municipality codes. */
  municipalities: string;
  recipients: number;
  sent_by: string | null;
  sent_at: Millis;
}

export interface RuleAdoptionsTable {
  id: string;
  area_id: string;
  document_id: string;
  version_id: string;
  consultation_round_id: string;
  decision_body: string;
  /** YYYY-MM-DD. */
  decision_date: string;
  minutes_section: string;
  changed_since_consultation: number;
  /** JSON array of section keys. */
  changed_sections: string;
  current_hash: string;
  recorded_by: string | null;
  recorded_at: Millis;
}

export interface MilestonesTable {
  id: string;
  area_id: string;
  /** council_meeting | board_meeting | joint_body_meeting | in_force | deadline | other */
  kind: string;
  label_fi: string;
  label_sv: string;
  /** YYYY-MM-DD. */
  date: string;
  municipality_id: string | null;
  created_by: string | null;
  created_at: Millis;
}

export interface CostShareCalculationsTable {
  id: string;
  area_id: string;
  year: number;
  net_costs_cents: number;
  /** labour_force | job_seekers | custom */
  key: string;
  /** JSON array of {code, value}. */
  figures: string;
  created_by: string | null;
  created_at: Millis;
}

export interface LoginAttemptsTable {
  key: string;
  failures: number;
  window_started_at: Millis;
  locked_until: Millis | null;
}

/** The security log: log-ins, failures, lock-outs, unlocks, log-outs (docs/decisions/003). */
export interface SecurityEventsTable {
  id: string;
  created_at: Millis;
  /** login | login_failed | lockout | unlock_mailed | unlocked | logout */
  kind: string;
  /** The account concerned, when there is one (kept when the user is deleted: no foreign key). */
  user_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON object. */
  details: ColumnType<string, string | undefined, string>;
}

/** Browsers known to an account (a login or an unlock link): the sha256 of their device cookie's token. */
export interface KnownDevicesTable {
  id: string;
  user_id: string;
  created_at: Millis;
  expires_at: Millis;
}

/** Single-use links that lift an account's login lock. */
export interface LoginUnlocksTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

export interface DocumentsTable {
  id: string;
  area_id: string;
  kind: string;
  title: string;
  created_by: string | null;
  created_at: Millis;
  /** YYYY-MM-DD: when an agreement says it enters into force (once the councils' decisions are final). */
  entry_into_force_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** 'fi' | 'sv': the language of the text (of a bilingual document, its main text; decision 026). */
  language: ColumnType<string, string | undefined, string>;
}

export interface DocUpdatesTable {
  document_id: string;
  seq: number;
  update: ColumnType<Uint8Array, Uint8Array, never>;
  user_id: string | null;
  created_at: Millis;
}

export interface DocSnapshotsTable {
  document_id: string;
  /** The snapshot contains every update with seq ≤ this. */
  seq: number;
  state: Uint8Array;
  created_at: Millis;
}

/** One identity provider (OpenID Connect) per municipality, configured by the operator (docs/decisions/024). */
export interface IdentityProvidersTable {
  id: string;
  area_id: string;
  municipality_id: string;
  issuer: string;
  client_id: string;
  /** AES-256-GCM under SECRETS_KEY. */
  client_secret_enc: string;
  created_at: Millis;
}

export interface IdentityProviderDomainsTable {
  /** Lowercase e-mail domain; one provider each. */
  domain: string;
  area_id: string;
  provider_id: string;
}

export interface OidcLoginStatesTable {
  /** sha256 of the state sent to the provider. */
  id: string;
  provider_id: string;
  /** sha256 of the browser's binding cookie. */
  browser_hash: string;
  code_verifier: string;
  nonce: string;
  /** The address typed on the login page (or the invitation's). */
  email: string;
  invitation_id: string | null;
  redirect_to: string;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

export interface UserIdentitiesTable {
  id: string;
  user_id: string;
  provider_id: string;
  subject: string;
  email: string;
  created_at: Millis;
  last_login_at: Millis;
}

export interface IdpSessionsTable {
  /** sessions.id */
  session_id: string;
  user_id: string;
  provider_id: string;
  /** AES-256-GCM under SECRETS_KEY; null when the provider gave none (the session is then short). */
  refresh_token_enc: string | null;
  checked_at: Millis;
  check_due_at: Millis;
}

export interface TotpCredentialsTable {
  user_id: string;
  /** AES-256-GCM under SECRETS_KEY. */
  secret_enc: string;
  created_at: Millis;
  confirmed_at: Millis | null;
  /** The 30-second step of the last code accepted. */
  last_used_step: number | null;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  /** sha256 of the code. */
  code_hash: string;
  created_at: Millis;
  used_at: Millis | null;
}

export interface LoginChallengesTable {
  /** sha256 of the challenge cookie's token. */
  id: string;
  user_id: string;
  /** 'totp': the code is asked; 'enrol': a second factor must be set up first. */
  kind: string;
  /** The known device the password was typed on, if any: the code is throttled on the same path. */
  device_id: string | null;
  redirect_to: string;
  created_at: Millis;
  expires_at: Millis;
}

export interface SuggestionDecisionsTable {
  id: string;
  area_id: string;
  document_id: string;
  /** The suggestion's id in the text's marks. */
  suggestion_id: string;
  section_key: string;
  /** 'insert' | 'delete' */
  kind: string;
  text: string;
  author_id: string | null;
  municipality_code: string;
  suggested_at: Millis;
  /** 'accepted' | 'rejected' */
  decision: string;
  reason: string;
  decided_by: string | null;
  decided_at: Millis;
}

export interface SectionPositionsTable {
  id: string;
  area_id: string;
  document_id: string;
  section_key: string;
  municipality_id: string;
  /** 'agree' | 'reservations' | 'objects' */
  stance: string;
  /** The reservation or objection ('' when agreeing). */
  text: string;
  /** sha256 of the section's text when the position was given (of its `language` column alone when it names one). */
  section_hash: string;
  /** The language column of a bilingual document the position concerns ('fi' | 'sv'); null: the section in every language. */
  language: string | null;
  set_by: string | null;
  set_at: Millis;
}

export interface Database {
  areas: AreasTable;
  municipalities: MunicipalitiesTable;
  users: UsersTable;
  sessions: SessionsTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  outbox: OutboxTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  document_leases: DocumentLeasesTable;
  doc_clients: DocClientsTable;
  comment_threads: CommentThreadsTable;
  comments: CommentsTable;
  notifications: NotificationsTable;
  feed_events: FeedEventsTable;
  versions: VersionsTable;
  approval_requests: ApprovalRequestsTable;
  export_files: ExportFilesTable;
  council_decisions: CouncilDecisionsTable;
  council_decision_events: CouncilDecisionEventsTable;
  api_tokens: ApiTokensTable;
  consultation_rounds: ConsultationRoundsTable;
  consultation_invitees: ConsultationInviteesTable;
  consultation_statement_revisions: ConsultationStatementRevisionsTable;
  consultation_attachments: ConsultationAttachmentsTable;
  consultation_responses: ConsultationResponsesTable;
  consultation_reminders: ConsultationRemindersTable;
  rule_adoptions: RuleAdoptionsTable;
  milestones: MilestonesTable;
  cost_share_calculations: CostShareCalculationsTable;
  suggestion_decisions: SuggestionDecisionsTable;
  section_positions: SectionPositionsTable;
  login_attempts: LoginAttemptsTable;
  security_events: SecurityEventsTable;
  known_devices: KnownDevicesTable;
  login_unlocks: LoginUnlocksTable;
  identity_providers: IdentityProvidersTable;
  identity_provider_domains: IdentityProviderDomainsTable;
  oidc_login_states: OidcLoginStatesTable;
  user_identities: UserIdentitiesTable;
  idp_sessions: IdpSessionsTable;
  totp_credentials: TotpCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  login_challenges: LoginChallengesTable;
  documents: DocumentsTable;
  doc_updates: DocUpdatesTable;
  doc_snapshots: DocSnapshotsTable;
  notification_events: NotificationEventsTable;
  notification_jobs: NotificationJobsTable;
  notification_preferences: NotificationPreferencesTable;
  unsubscribe_tokens: UnsubscribeTokensTable;
  calendar_feeds: CalendarFeedsTable;
  approval_watch: ApprovalWatchTable;
}

export type AreaRow = Selectable<AreasTable>;
export type MunicipalityRow = Selectable<MunicipalitiesTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type DocumentRow = Selectable<DocumentsTable>;
export type ConsultationRoundRow = Selectable<ConsultationRoundsTable>;
export type ConsultationInviteeRow = Selectable<ConsultationInviteesTable>;
export type ConsultationStatementRevisionRow = Selectable<ConsultationStatementRevisionsTable>;
export type ConsultationAttachmentRow = Selectable<ConsultationAttachmentsTable>;
export type ConsultationResponseRow = Selectable<ConsultationResponsesTable>;
export type ConsultationReminderRow = Selectable<ConsultationRemindersTable>;
export type RuleAdoptionRow = Selectable<RuleAdoptionsTable>;
export type MilestoneRow = Selectable<MilestonesTable>;
export type CostShareCalculationRow = Selectable<CostShareCalculationsTable>;
export type NotificationJobRow = Selectable<NotificationJobsTable>;
export type NotificationEventRow = Selectable<NotificationEventsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
export type UserUpdate = Updateable<UsersTable>;
export type { Generated };
