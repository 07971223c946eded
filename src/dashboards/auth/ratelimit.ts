/**
 * Brute-force protection for `POST /login`, as Grafana's: after
 * `maxAttempts` failures for one login (from any address) or from one
 * address within `windowMs`, further attempts are refused until the window
 * passes, whether or not the password is right.
 */

/** Limits of the login limiter. */
export interface LoginLimits {
  /** Failures allowed per window (Grafana: 5). */
  readonly maxAttempts: number;
  /** The window, ms (Grafana: 5 minutes). */
  readonly windowMs: number;
}

/** Grafana's defaults: 5 failures per 5 minutes. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { maxAttempts: 5, windowMs: 5 * 60_000 };

/** Counts recent login failures by login and by client address. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly limits: LoginLimits;
  private readonly now: () => number;

  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS, now: () => number = Date.now) {
    this.limits = limits;
    this.now = now;
  }

  /** True when a login attempt for `login` from `address` must be refused now. */
  blocked(login: string, address: string): boolean {
    return (
      this.recent(`u:${login.toLowerCase()}`) >= this.limits.maxAttempts ||
      this.recent(`a:${address}`) >= this.limits.maxAttempts * 4
    );
  }

  /** Records a failed attempt. */
  fail(login: string, address: string): void {
    for (const key of [`u:${login.toLowerCase()}`, `a:${address}`]) {
      const list = this.failures.get(key) ?? [];
      list.push(this.now());
      this.failures.set(key, list);
    }
    if (this.failures.size > 10_000) this.prune();
  }

  /** Forgets the failures of `login` after a successful login. */
  succeed(login: string): void {
    this.failures.delete(`u:${login.toLowerCase()}`);
  }

  private recent(key: string): number {
    const list = this.failures.get(key);
    if (list === undefined) return 0;
    const since = this.now() - this.limits.windowMs;
    const kept = list.filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept.length;
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
