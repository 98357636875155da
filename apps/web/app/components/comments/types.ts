// The shapes the document page gives its comment components (serialised from core's ThreadView by the loader).
export interface PersonView {
  id: string;
  name: string;
  municipalityCode: string;
  municipalityName: { fi: string; sv: string };
}

export interface CommentData {
  id: string;
  threadId: string;
  author: PersonView;
  body: string;
  mentions: PersonView[];
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
  hidden: { by: string; reason: string; at: number } | null;
  canEdit: boolean;
  canDelete: boolean;
  canHide: boolean;
}

export interface ThreadData {
  id: string;
  documentId: string;
  section: string;
  quote: string;
  anchor: { from: string; to: string } | null;
  anchorLost: boolean;
  status: 'open' | 'resolved';
  createdBy: PersonView;
  createdAt: number;
  resolvedBy: PersonView | null;
  resolvedAt: number | null;
  comments: CommentData[];
  canReply: boolean;
  canResolve: boolean;
}
