/**
 * Users, teams and roles changed in this process. The caches of identities and role tables
 * (`ESPO_IDENTITY_CACHE_MS`) of every app in the process listen and clear themselves, so a change made
 * through this project's functions applies at once here; other processes see it when their entries expire.
 */
type Listener = () => void;

const listeners = new Set<Listener>();

/** Returns the function that stops listening. */
export function onIdentityChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Call after the change has committed. */
export function identityChanged(): void {
  for (const listener of listeners) listener();
}
