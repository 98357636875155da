// The face of comments: threads anchored to the text, comments, @-mentions and notifications.
// Other features import comments from here only (docs/decisions/021-feature-folders.md).

export {
  addComment, canResolveThread, COMMENT_MAX_LENGTH, commentInput, type CommentView, createThread, createThreadInput, deleteComment, editComment,
  hideComment, hideCommentInput, listMentionable, listThreads, openThreadCounts, type Person, reopenThread, resolveThread, type ThreadStatus, type ThreadView,
} from './comments.ts';
export { mentionedIds, mentionToken, renderMentions, splitMentions } from './mentions.rules.ts';
export { listNotifications, markNotificationsRead, type NotificationKind, type NotificationList, type NotificationView } from './notifications.ts';
