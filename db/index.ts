import type { Migration } from 'kysely';
import * as foundation from './migrations/2026-11-28T0400_foundation.ts';
import * as hardening from './migrations/2026-12-01T0900_hardening.ts';
import * as comments from './migrations/2026-12-01T1200_comments.ts';
import * as versionsApprovals from './migrations/2026-12-02T0900_versions_approvals.ts';
import * as consultation from './migrations/2026-12-02T1200_consultation.ts';
import * as servicePlanTitle from './migrations/2026-12-03T0800_service_plan_title.ts';
import * as tenantsAndChecks from './migrations/2026-12-03T0900_tenants_and_checks.ts';
import * as loginSecurity from './migrations/2026-12-07T0900_login_security.ts';
import * as approvalFinality from './migrations/2026-12-07T1000_approval_finality.ts';
import * as exportFiles from './migrations/2026-12-08T0900_exports.ts';
import * as negotiation from './migrations/2026-12-08T1000_negotiation.ts';
import * as mailNotifications from './migrations/2026-12-08T1100_mail_notifications.ts';
import * as signIn from './migrations/2026-12-08T1200_sign_in.ts';
import * as bilingual from './migrations/2026-12-08T1300_bilingual.ts';
import * as consultationAnswers from './migrations/2026-12-08T1400_consultation_answers.ts';
import * as positionLanguage from './migrations/2026-12-09T1100_position_language.ts';

/** Every migration, by name; names sort in the order they run. Add new ones here, never edit old ones. */
export const migrations: Record<string, Migration> = {
  '2026-11-28T0400_foundation': foundation,
  '2026-12-01T0900_hardening': hardening,
  '2026-12-01T1200_comments': comments,
  '2026-12-02T0900_versions_approvals': versionsApprovals,
  '2026-12-02T1200_consultation': consultation,
  '2026-12-03T0800_service_plan_title': servicePlanTitle,
  '2026-12-03T0900_tenants_and_checks': tenantsAndChecks,
  '2026-12-07T0900_login_security': loginSecurity,
  '2026-12-07T1000_approval_finality': approvalFinality,
  '2026-12-08T0900_exports': exportFiles,
  '2026-12-08T1000_negotiation': negotiation,
  '2026-12-08T1100_mail_notifications': mailNotifications,
  '2026-12-08T1200_sign_in': signIn,
  '2026-12-08T1300_bilingual': bilingual,
  '2026-12-08T1400_consultation_answers': consultationAnswers,
  '2026-12-09T1100_position_language': positionLanguage,
};
