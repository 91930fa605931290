/**
 * Progress of a long task on stderr: a bar redrawn in place on a terminal, one line per tenth otherwise
 * (so logs of CI runs stay short) and when NO_COLOR is set (no escape codes at all then).
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  update(done: number): void;
  /** Ends the bar and prints the summary line. */
  finish(summary: string): void;
}

const WIDTH = 30;
const REDRAW_MS = 100;

/** NO_COLOR (https://no-color.org): set and not empty turns colours and other escape codes off. */
export function noColor(env: NodeJS.ProcessEnv): boolean {
  return (env.NO_COLOR ?? '') !== '';
}

export function progress(stream: ProgressStream, total: number, unit: string, env: NodeJS.ProcessEnv = process.env): Progress {
  const inPlace = stream.isTTY === true && !noColor(env);
  const started = Date.now();
  let lastDraw = 0;
  let lastTenth = 0;
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  return {
    update(done) {
      const ratio = total === 0 ? 1 : Math.min(1, done / total);
      if (inPlace) {
        const now = Date.now();
        if (now - lastDraw < REDRAW_MS && done < total) return;
        lastDraw = now;
        const filled = Math.round(ratio * WIDTH);
        stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${Math.floor(ratio * 100)}% ${done}/${total} ${unit} ${elapsed()}`);
        return;
      }
      const tenth = Math.floor(ratio * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${tenth * 10}% ${done}/${total} ${unit} ${elapsed()}\n`);
      }
    },
    finish(summary) {
      stream.write(`${inPlace ? '\r\x1b[K' : ''}${summary} in ${elapsed()}\n`);
    },
  };
}
