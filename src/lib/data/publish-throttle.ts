/**
 * How often the workspace hands a new summaries list to the screens while changes stream in.
 *
 * Every new list makes the lists and their search index start again from all records (search.ts
 * keys its index by the array). A fresh device's catch-up arrives in many small bursts: with a
 * list open, rebuilding after each one cost more than the catch-up itself (3,000 customers took
 * 17 s on the device instead of 6). So changes from elsewhere publish at once when the screen
 * has been quiet, and otherwise once at the end of the interval, with everything that came
 * meanwhile; the user's own edits publish at once (`runNow`).
 */
export class PublishThrottle {
	private timer: ReturnType<typeof setTimeout> | null = null;
	private last = Number.NEGATIVE_INFINITY;

	constructor(
		private readonly publish: () => void,
		private readonly everyMs: number,
		private readonly now: () => number = () => performance.now()
	) {}

	/** Publishes now if the last one was at least `everyMs` ago, else once when that is so. */
	runSoon(): void {
		if (this.timer) return;
		const wait = this.last + this.everyMs - this.now();
		if (wait <= 0) this.runNow();
		else
			this.timer = setTimeout(() => {
				this.timer = null;
				this.runNow();
			}, wait);
	}

	/** Publishes now; a publication that was waiting is part of this one. */
	runNow(): void {
		this.cancel();
		this.last = this.now();
		this.publish();
	}

	/** Drops a waiting publication (the workspace is closed). */
	cancel(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
