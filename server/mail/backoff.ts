/**
 * Retry timing after a temporary failure (4xx, connection lost): exponential from 1 s,
 * capped at one hour, with "equal jitter" (half fixed, half random) so that rows deferred
 * together do not all come back in the same instant (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"). Counted per recipient domain by the worker, so one slow domain does
 * not hold mail for the others.
 */
export const BASE_MS = 1000;
export const CAP_MS = 3600_000;

/** Delay before the next try after `failures` consecutive failures (1 = the first). */
export function retryDelay(failures: number, random: () => number = Math.random): number {
	const exp = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, Math.min(failures - 1, 30)));
	return Math.round(exp / 2 + (exp / 2) * random());
}
