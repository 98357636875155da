/** What a milestone of an area is (browser-safe: the settings form lists them). */
export const MILESTONE_KINDS = ['council_meeting', 'board_meeting', 'joint_body_meeting', 'in_force', 'deadline', 'other'] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];
