import { describe, expect, it } from 'vitest';
import { safeRedirect } from './safe-redirect.ts';

describe('safeRedirect', () => {
  it('keeps same-site relative paths with their query', () => {
    expect(safeRedirect('/areas/kainuu-koillismaa/members?remove=1')).toBe('/areas/kainuu-koillismaa/members?remove=1');
  });

  it.each([
    ['https://evil.example/'],
    ['//evil.example'],
    ['/\\evil.example'],
    ['/\t/evil.example'],
    ['javascript:alert(1)'],
    ['areas/x'],
    [''],
    [null],
    [undefined],
  ])('falls back to / for %j', (target) => {
    expect(safeRedirect(target)).toBe('/');
  });
});
