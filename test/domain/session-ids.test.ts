import { describe, expect, it } from 'vitest';
import { newSessionId } from '../../src/domain/session-ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const timeOf = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('session ids (UUIDv7, RFC 9562 §5.7)', () => {
  it('carry the version, the variant and the creation time in milliseconds', () => {
    const at = Date.UTC(2026, 10, 30, 12, 34, 56, 789);
    const id = newSessionId(at);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBe(at);
    expect(timeOf(newSessionId(0))).toBe(0);
    expect(timeOf(newSessionId(2 ** 48 - 1))).toBe(2 ** 48 - 1);
  });

  it('are random after the time: 10,000 made in one millisecond are all different', () => {
    const at = Date.now();
    const ids = Array.from({ length: 10_000 }, () => newSessionId(at));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(UUID_V7);
    // The random part is spread: every hex digit appears in the last group's first place.
    expect(new Set(ids.map((id) => id[24])).size).toBe(16);
  });

  it('sort by creation time, as text and as PostgreSQL orders uuids (bytewise)', () => {
    const times = [1, 1000, 1_700_000_000_000, 1_700_000_000_001, Date.now()];
    const ids = times.map((t) => newSessionId(t));
    expect([...ids].sort()).toEqual(ids);
  });
});
