import { describe, expect, it, vi } from 'vitest';
import { formatDateTime, formatDeadline } from './format.ts';

// 7.12.2026 04.19 in Helsinki (winter, UTC+2) and 15.6.2026 16.00 (summer, UTC+3).
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
    const built = vi.spyOn(Intl, 'DateTimeFormat');
    try {
      for (let i = 0; i < 50; i++) {
        formatDateTime(winter + i * 60_000, 'fi');
        formatDateTime(winter + i * 60_000, 'sv');
        formatDeadline(summer + i * 60_000, 'en');
      }
      expect(formatDateTime(winter, 'fi')).toBe('7.12.2026 klo 4.19');
      // fi and sv: a day and a time each; en's deadline: a day and a time.
      expect(built.mock.calls.length).toBeLessThanOrEqual(6);
    } finally {
      built.mockRestore();
    }
  });
});
