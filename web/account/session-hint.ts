/**
 * Whether this browser had a session, remembered in localStorage. The session
 * itself lives in HttpOnly cookies the page cannot see, so without this the
 * page would have to ask the server on every visit, and a first visit would
 * answer with 401s (which the browser logs as errors). The hint is only a
 * hint: nothing is trusted from it, it holds no secret, and a stale one costs
 * one request that gets 401 — which is exactly how the page learns that this
 * device was signed out from elsewhere.
 */
const KEY = 'gatehouse.account.session';

export interface SessionHint {
  /** When the session would end on its own (its absolute expiry). */
  expiresAt: string;
}

/** The hint; null when there is none; undefined when storage is blocked and the page cannot tell. */
export function readHint(): SessionHint | null | undefined {
  let raw: string | null;
  try {
    raw = localStorage.getItem(KEY);
  } catch {
    return undefined;
  }
  try {
    const hint = raw ? (JSON.parse(raw) as Partial<SessionHint>) : null;
    return typeof hint?.expiresAt === 'string' ? { expiresAt: hint.expiresAt } : null;
  } catch {
    return null; // a mangled value: as if there were none
  }
}

export function writeHint(hint: SessionHint | null): void {
  try {
    if (hint) localStorage.setItem(KEY, JSON.stringify(hint));
    else localStorage.removeItem(KEY);
  } catch {
    // Storage blocked: the page still works, it just asks the server on the next visit.
  }
}
