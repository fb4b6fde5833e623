import { describe, expect, it } from 'vitest';
import { caseInsensitiveCollision, unsafeEntryNameReason } from './entry-name.js';

describe('archive entry names', () => {
  it('accepts the layout names', () => {
    for (const name of ['case.json', 'events/events.ndjson', 'inventory/vigil-lab.json', 'policies/deny-egress.yaml', 'replays/x.json']) {
      expect(unsafeEntryNameReason(name), name).toBeUndefined();
    }
  });

  it('refuses names that escape, are absolute, or are not plain files', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/], ['../x', /climbs/], ['a/../../x', /climbs/], ['/etc/passwd', /absolute/], ['C:/x', /drive letter/],
      ['c:x', /drive letter/], ['a\\b', /backslash/], ['a/', /directory/], ['a//b', /empty or "."/], ['./a', /empty or "."/],
      ['a\nb', /control/], ['x'.repeat(600), /longer than/],
    ];
    for (const [name, reason] of cases) expect(unsafeEntryNameReason(name), JSON.stringify(name)).toMatch(reason);
  });

  it('finds names that collide on case-insensitive file systems', () => {
    expect(caseInsensitiveCollision(['a.json', 'b.json'])).toBeUndefined();
    expect(caseInsensitiveCollision(['notes.json', 'events/x', 'NOTES.json'])).toEqual(['notes.json', 'NOTES.json']);
  });
});
