/**
 * A small time-bounded cache. Identity and role data are read on every request; holding them for a moment
 * (EspoCRM itself caches each user's ACL table) removes most per-request queries, and the short lifetime
 * bounds how long a change made elsewhere (`espo-ref` in another process) takes to apply.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Drops every entry (identity or role data changed: see cache-invalidation.ts). */
  clear(): void {
    this.entries.clear();
  }

  set(key: string, value: V): void {
    if (!this.enabled) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
  }

  /** The cached value, or the loaded one (cached when it is not undefined). */
  async getOrLoad(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const value = await load();
    if (value !== undefined) this.set(key, value);
    return value;
  }
}
