import type { onRequestHookHandler } from 'fastify';
import type { HashingQueue } from '../domain/hashing-queue.js';

/**
 * onRequest hook for the routes that hash a password (register, login, the account page's
 * sign-in, password change): while the hashing queue is full, a request is refused with 503
 * as it arrives, before its body is read and validated. In a login storm most requests are
 * shed, so shedding must cost the event loop as little as possible: it answers every other
 * request (token checks, logouts) too. The route still queues through HashingQueue.run, which
 * sheds the few that race past this check. The refusal leaves after the queue's
 * `shedDelayMs`, so that a client retrying at once cannot make refusals the loop's main work.
 */
export function shedWhenHashingFull(hashing: HashingQueue): onRequestHookHandler {
  return (_request, _reply, done) => {
    try {
      hashing.refuseWhenFull();
      done();
    } catch (err) {
      if (hashing.shedDelayMs > 0) setTimeout(done, hashing.shedDelayMs, err as Error);
      else done(err as Error);
    }
  };
}
