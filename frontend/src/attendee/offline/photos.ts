// The photos of people seen on this phone, kept by the service worker (sw/sw.ts) so that
// cards and contacts show faces offline. Bounded there; emptied here with the rest of the
// personal data when the attendee signs out or deletes their account.

export const PHOTO_CACHE = "rencontre-photos";
/** How many photos the phone keeps at most (about 10 KB each, the least recently used go first). */
export const MAX_CACHED_PHOTOS = 400;

export async function forgetPhotos(): Promise<void> {
  try {
    await globalThis.caches?.delete(PHOTO_CACHE);
  } catch {
    // No Cache Storage (private browsing on some browsers): nothing was kept.
  }
}
