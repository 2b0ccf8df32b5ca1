import type { TimelineBucket } from "./dashboard-state";

const MIN_BUCKETS = 12;
const MAX_BUCKETS = 2000;

/**
 * The chart's series: every bucket from the first (or the last hour, whichever is
 * earlier) up to the current one, the empty ones at zero, so the rhythm reads true
 * and a quiet quarter of an hour shows as quiet. Seconds on x, as uPlot wants.
 */
export function continuousSeries(
  buckets: TimelineBucket[],
  bucketSeconds: number,
  now: number = Date.now(),
): [number[], number[]] {
  const step = bucketSeconds * 1000;
  const current = Math.floor(now / step) * step;
  const last = Math.max(current, buckets[buckets.length - 1]?.at ?? current);
  let first = Math.min(buckets[0]?.at ?? last, last - (MIN_BUCKETS - 1) * step);
  first = Math.max(first, last - (MAX_BUCKETS - 1) * step);
  const byStart = new Map(buckets.map((bucket) => [bucket.at, bucket.connections]));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let at = first; at <= last; at += step) {
    xs.push(at / 1000);
    ys.push(byStart.get(at) ?? 0);
  }
  return [xs, ys];
}
