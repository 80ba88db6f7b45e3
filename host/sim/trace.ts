/**
 * The trace of a simulated history: one line per step (operation,
 * arguments, result or error code), hashed with 32-bit FNV-1a so that two
 * engines can compare whole histories by one number. Only the last lines
 * are kept unless asked, for failure reports.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a (32 bits) of `text` (UTF-16 code units; traces are ASCII), continuing from `h`. */
export function fnv1a(text: string, h = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** The command that replays one history with its trace. */
export function reproCommand(seed: number, steps: number): string {
  return `npm run sim -- --seed ${seed} --steps ${steps} --trace`;
}

export class Trace {
  private h = FNV_OFFSET;
  lines = 0;
  readonly all: string[] | null;
  private readonly tail: string[] = [];

  constructor(keepAll: boolean, private readonly tailSize = 40, private readonly onLine?: (line: string) => void) {
    this.all = keepAll ? [] : null;
  }

  add(line: string): void {
    this.h = fnv1a(line + "\n", this.h);
    this.lines++;
    this.all?.push(line);
    this.tail.push(line);
    if (this.tail.length > this.tailSize) this.tail.shift();
    this.onLine?.(line);
  }

  /** The hash so far, as 8 hex digits. */
  get hash(): string {
    return this.h.toString(16).padStart(8, "0");
  }

  /** The last lines added. */
  last(): string[] {
    return [...this.tail];
  }
}
