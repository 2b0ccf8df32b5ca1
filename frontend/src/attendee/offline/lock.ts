/** Run `task` while holding a Web Lock (page and service worker share it), when the browser has them. */
export async function withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (!locks) return task();
  return locks.request(name, task) as Promise<T>;
}
