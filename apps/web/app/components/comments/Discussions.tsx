import { useT } from '../../hooks.ts';
import type { Row } from '../document/hooks.ts';
import { ThreadCard } from './ThreadCard.tsx';
import { ThreadList } from './ThreadList.tsx';
import type { PersonView, ThreadData } from './types.ts';

/** The document's threads beside the text: the list by section, and a resolved thread's card when one is opened from it. */
export function Discussions(props: {
  threads: ThreadData[];
  people: PersonView[];
  myUserId: string;
  rows: Row[];
  listed: string | null;
  sectionTitle: (key: string) => string;
  onSelect: (threadId: string) => void;
  onShowInText: (thread: ThreadData) => void;
}) {
  const { threads, people, myUserId, rows, listed, sectionTitle, onSelect, onShowInText } = props;
  const { t, lang } = useT();
  return (
    <section className="discussions" aria-labelledby="discussions-heading">
      <h2 id="discussions-heading" className="section-nav__heading">
        {t('comments.heading', { count: threads.filter((th) => th.status === 'open').length })}
      </h2>
      <ThreadList
        threads={threads}
        people={people}
        myUserId={myUserId}
        sections={rows.map((r, i) => ({ key: r.template.key, number: i + 1, title: r.template.title[lang] }))}
        onSelect={(th) => onSelect(th.id)}
      />
      {listed
        ? threads
            .filter((th) => th.id === listed)
            .map((th) => <ThreadCard key={th.id} thread={th} people={people} sectionTitle={sectionTitle(th.section)} active onShowInText={() => onShowInText(th)} />)
        : null}
    </section>
  );
}
