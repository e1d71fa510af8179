/**
 * One client per business (a rail's API client, an SMS adapter, an SMTP transport), kept until the
 * business's settings change (their `updated_at`, or `forget` when they are saved), so a cached
 * token or connection is shared by every request meanwhile and a changed secret takes effect on the
 * next use.
 */
export function perBusinessCache<T>() {
  const cache = new Map<string, { updatedAt: string; value: T }>();
  const get = (businessId: string, updatedAt: string, make: () => T): T => {
    const cached = cache.get(businessId);
    if (cached && cached.updatedAt === updatedAt) return cached.value;
    const value = make();
    cache.set(businessId, { updatedAt, value });
    return value;
  };
  return Object.assign(get, { forget: (businessId: string) => { cache.delete(businessId); } });
}
