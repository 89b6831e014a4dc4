import type { CliIo } from './output.js';

/** Thrown when the operator presses Ctrl-C (or Ctrl-D) at a prompt. */
export class PromptCancelled extends Error {
  override readonly name = 'PromptCancelled';
}

/** Whether the CLI can ask a question: its stdin is a terminal. */
export function canAsk(io: CliIo): boolean {
  return io.stdin.isTTY === true;
}

/**
 * Asks for a secret on the terminal without echoing it. The question goes to
 * stderr so that stdout stays clean for --json.
 */
export function promptHidden(io: CliIo, question: string): Promise<string> {
  const { stdin } = io;
  if (!('setRawMode' in stdin)) throw new Error('promptHidden needs a terminal; check canAsk() first');
  // Raw mode before the question: anything typed once it shows must not echo.
  stdin.setRawMode(true);
  io.stderr.write(question);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(value));
        if (ch === '\u0003' || (ch === '\u0004' && value === ''))
          return finish(() => reject(new PromptCancelled('cancelled')));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
