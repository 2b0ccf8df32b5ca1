/**
 * A scan carries the phone's own clock. It differs from the server's time of the
 * meeting when the scan waited offline on the phone, or when the phone's clock is
 * wrong: then the contact page shows both, so the attendee knows when they really met.
 */
export const NOTABLE_DIFFERENCE_MS = 5 * 60_000;

export function phoneTimeDiffers(contact: { met_at: string; device_at?: string | null }): boolean {
  if (!contact.device_at) return false;
  const phone = new Date(contact.device_at).getTime();
  const server = new Date(contact.met_at).getTime();
  if (Number.isNaN(phone) || Number.isNaN(server)) return false;
  return Math.abs(server - phone) >= NOTABLE_DIFFERENCE_MS;
}
