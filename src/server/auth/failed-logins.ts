/**
 * EspoCRM's login lockout (Authentication\Hook\Hooks\FailedAttemptsLimit), off unless configured: when an
 * address has more than `maxAttempts` refused logins within `periodMs`, every request from it that carries
 * credentials answers 403 with an empty body, PHP's `text/html; charset=UTF-8` and no `X-Status-Reason`,
 * until the refusals age out of the period. EspoCRM's settings are `authMaxFailedAttemptNumber` (10) and
 * `authFailedAttemptsPeriod` ('60 seconds'); here `ESPO_AUTH_MAX_FAILED_ATTEMPT_NUMBER` (0: off, the
 * default) and `ESPO_AUTH_FAILED_ATTEMPTS_PERIOD` (seconds). Counted per server process, in memory.
 */
export interface FailedLoginLimitOptions {
  maxAttempts: number;
  periodMs: number;
}

export class FailedLoginLimit {
  private readonly refusals = new Map<string, number[]>();

  constructor(
    private readonly options: FailedLoginLimitOptions,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private recent(address: string): number[] {
    const since = this.now() - this.options.periodMs;
    const kept = (this.refusals.get(address) ?? []).filter((at) => at > since);
    if (kept.length) this.refusals.set(address, kept);
    else this.refusals.delete(address);
    return kept;
  }

  /** More than `maxAttempts` refused logins within the period (EspoCRM compares with `<=`). */
  isBlocked(address: string): boolean {
    return this.recent(address).length > this.options.maxAttempts;
  }

  noteRefused(address: string): void {
    const kept = this.recent(address);
    kept.push(this.now());
    this.refusals.set(address, kept);
    // Bound the memory a flood of addresses can take: forget the oldest addresses first.
    if (this.refusals.size > 10_000) this.refusals.delete(this.refusals.keys().next().value!);
  }
}
