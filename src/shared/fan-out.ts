import pLimit from 'p-limit';

/** The outcome of one item of a fan-out: its value or the error it threw. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `work` over `items` with at most `concurrency` at once and returns one result per item, in input
 * order. It never rejects: a failing item becomes `{ ok: false, error }` so one account or rule cannot end
 * the run.
 */
export async function fanOut<I, T>(
  items: readonly I[],
  concurrency: number,
  work: (item: I, index: number) => Promise<T>,
): Promise<Settled<T>[]> {
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(
    items.map((item, index) =>
      limit(async (): Promise<Settled<T>> => {
        try {
          return { ok: true, value: await work(item, index) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    ),
  );
}
