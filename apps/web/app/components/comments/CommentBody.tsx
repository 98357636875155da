import { splitMentions } from '@sopu/core/rules';
import { Fragment } from 'react';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { PersonView } from './types.ts';

const URL = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

/** Plain text with its links clickable: every part is a text node or an element React builds, never HTML. */
function TextWithLinks({ text }: { text: string }) {
  const parts = text.split(URL);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} rel="noopener noreferrer nofollow" target="_blank">
            {part}
          </a>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/** A comment's body: plain text with links and mentions (`<@id>` shown as @Name), rendered as text. */
export function CommentBody({ body, people }: { body: string; people: PersonView[] }) {
  const { lang } = useT();
  const byId = new Map(people.map((p) => [p.id, p]));
  return (
    // dir="auto" isolates the body and gives each comment its own direction (an Arabic reply reads right to left).
    <p className="comment__body" dir="auto">
      {splitMentions(body).map((part, i) => {
        if ('text' in part) return <TextWithLinks key={i} text={part.text} />;
        const person = byId.get(part.mention);
        if (!person) return <Fragment key={i}>@?</Fragment>;
        return (
          <span key={i} className="mention" title={municipalityName(person.municipalityName, lang)}>
            @<bdi>{person.name}</bdi>
          </span>
        );
      })}
    </p>
  );
}
