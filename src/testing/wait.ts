/** Bounded polling for tests. */

/**
 * Polls `probe` every `intervalMs` until it returns a value other than
 * undefined, and resolves with it; rejects with `timed out waiting for <what>`
 * after `ms`. A probe that throws rejects at once.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 8000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
