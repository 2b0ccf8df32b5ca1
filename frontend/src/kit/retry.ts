/**
 * When to try a lost connection again: capped, jittered exponential backoff, so a
 * room full of phones that lost the Wi-Fi together do not come back all at once.
 */
export class Retry {
  private attempt = 0;
  private timer = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly maxMs = 15_000,
  ) {}

  /** No attempt has failed since the last success. */
  get fresh(): boolean {
    return this.attempt === 0;
  }

  delayFor(attempt: number, random: () => number = Math.random): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** attempt);
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  /** Run `action` once the next delay has passed (replacing any retry already planned). */
  later(action: () => void): number {
    const delay = this.delayFor(this.attempt);
    this.attempt += 1;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(action, delay);
    return delay;
  }

  succeeded(): void {
    this.attempt = 0;
  }

  cancel(): void {
    window.clearTimeout(this.timer);
  }
}
