import { describe, expect, it } from 'vitest';
import { compareText, formatDateTime, formatDeadline } from './format.ts';

// 7.12.2026 04.19 in Helsinki (winter, UTC+2) and 15.6.2026 16.00 (summer, UTC+3).
/** Counts the Intl objects of a kind built until restored (a subclass in Intl's place). */
function countConstructions(kind: 'DateTimeFormat' | 'Collator') {
  const original = Intl[kind];
  const counter = { count: 0, restore: () => Object.assign(Intl, { [kind]: original }) };
  const Counted = class extends (original as unknown as new (...args: unknown[]) => object) {
    constructor(...args: unknown[]) {
      super(...args);
      counter.count++;
    }
  };
  Object.assign(Intl, { [kind]: Counted });
  return counter;
}

const winter = Date.UTC(2026, 11, 7, 2, 19);
const summer = Date.UTC(2026, 5, 15, 13, 0);

describe('dates and times as people in Finland read them (Europe/Helsinki)', () => {
  it('Finnish: "7.12.2026 klo 4.19"', () => {
    expect(formatDateTime(winter, 'fi')).toBe('7.12.2026 klo 4.19');
    expect(formatDateTime(summer, 'fi')).toBe('15.6.2026 klo 16.00');
  });

  it('Swedish as officials in Finland write it: "7.12.2026 kl. 4.19", not "7 dec. 2026 4.19"', () => {
    expect(formatDateTime(winter, 'sv')).toBe('7.12.2026 kl. 4.19');
    expect(formatDateTime(summer, 'sv')).toBe('15.6.2026 kl. 16.00');
  });

  it('English for developers, still in Helsinki time', () => {
    expect(formatDateTime(winter, 'en')).toBe('7 Dec 2026, 04:19');
  });

  it('a deadline reads the same way', () => {
    expect(formatDeadline(summer, 'fi')).toBe('15.6.2026 klo 16.00');
    expect(formatDeadline(summer, 'sv')).toBe('15.6.2026 kl. 16.00');
    expect(formatDeadline(summer, 'en')).toBe('15/06/2026 at 16:00');
  });
});

describe('formatters are built once (a document page writes a date per comment; building one costs ~1 ms)', () => {
  it('formatting many moments builds each Intl formatter at most once per language', () => {
    const built = countConstructions('DateTimeFormat');
    try {
      for (let i = 0; i < 50; i++) {
        formatDateTime(winter + i * 60_000, 'fi');
        formatDateTime(winter + i * 60_000, 'sv');
        formatDeadline(summer + i * 60_000, 'en');
      }
      expect(formatDateTime(winter, 'fi')).toBe('7.12.2026 klo 4.19');
      // fi and sv: a day and a time each; en's deadline: a day and a time.
      expect(built.count).toBeLessThanOrEqual(6);
    } finally {
      built.restore();
    }
  });
});

describe('names sorted as the language sorts them', () => {
  it('Swedish sorts å, ä, ö after z and Finnish ä, ö after z; one collator per language however many comparisons', () => {
    const built = countConstructions('Collator');
    try {
      expect(['Öja', 'Åbo', 'Zorro', 'Ähtäri'].sort((a, b) => compareText(a, b, 'sv'))).toEqual(['Zorro', 'Åbo', 'Ähtäri', 'Öja']);
      expect(['Öja', 'Zorro', 'Ähtäri', 'Aura'].sort((a, b) => compareText(a, b, 'fi'))).toEqual(['Aura', 'Zorro', 'Ähtäri', 'Öja']);
      for (let i = 0; i < 50; i++) compareText(`a${i}`, `b${i}`, 'fi');
      expect(built.count).toBeLessThanOrEqual(2);
    } finally {
      built.restore();
    }
  });
});
