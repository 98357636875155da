// The shapes the document page gives its comment components: core's views, as the loader serialises them (all
// plain JSON already: numbers, strings, booleans).
import type { CommentView, Person, ThreadView } from '@sopu/core';

export type PersonView = Person;
export type CommentData = CommentView;
export type ThreadData = ThreadView;
