import { describe, expect, it } from 'vitest';
import { readOnlyLabelKey } from './PresenceList.tsx';

describe('what the presence list says of a read-only person', () => {
  it('those who comment "can comment" (voi kommentoida / kan kommentera), not "read only"', () => {
    expect(readOnlyLabelKey({ readOnly: true, role: 'member_rep' })).toBe('editor.canCommentShort');
    expect(readOnlyLabelKey({ readOnly: true, role: 'council_secretary' })).toBe('editor.canCommentShort');
  });

  it('a viewer only reads; those who edit get no label', () => {
    expect(readOnlyLabelKey({ readOnly: true, role: 'viewer' })).toBe('editor.readOnlyShort');
    expect(readOnlyLabelKey({ readOnly: false, role: 'drafter' })).toBeNull();
    expect(readOnlyLabelKey({ readOnly: true, role: 'no such role' })).toBe('editor.readOnlyShort');
  });
});
