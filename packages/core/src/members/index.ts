// The face of members: members of an area, invitations and their mail.
// Other features import members from here only (docs/decisions/021-feature-folders.md).

export { listMembersOfArea, type MemberSummary } from './members.repository.ts';
export {
  acceptInvitation, acceptInvitationAndSignIn, acceptInvitationInput, changeMemberRole, changeRoleInput, getInvitation, insertInvitation,
  type InvitationView, inviteMember, inviteMemberInput, listPendingInvitations, NAME_TAKEN, type PendingInvitation, removeMember, revokeInvitation,
  SIGN_IN_AS_INVITEE, usableInvitation, acceptInvitationsByVerifiedEmail,
} from './members.ts';
