/**
 * How many of a list's rows are in the page and how many are drawn (issue #15 item 2). The
 * page holds `limit` rows ("Showing 100 of 30,000", raised by "Show more"). While the user
 * types or changes a filter, only the rows a screen can show are drawn, so each keystroke's
 * frame paints at once; the rest of the page is drawn once typing pauses and the browser is
 * idle. The table, its count and its keyboard order stay as they are: only rows below the
 * screen come a moment later.
 */
export class DrawnRows {
	/** Rows in the page: the count says so, "Select all in view" takes them. */
	limit = $state(0);
	private drawn = $state(0);
	private timer: ReturnType<typeof setTimeout> | null = null;
	private idle = 0;

	/** `page`: rows per page and per "Show more". */
	constructor(private readonly page: number) {
		this.limit = page;
		this.drawn = page;
	}

	/** Rows drawn now (at most the page's). */
	get count(): number {
		return Math.min(this.limit, this.drawn);
	}

	/** The search or a filter changed: the page starts again, the first screenful at once. */
	restart(): void {
		this.limit = this.page;
		this.drawn = Math.min(this.page, screenful());
		this.cancel();
		// The rest when typing pauses (a keystroke every ~100 ms keeps it waiting), in idle time.
		this.timer = setTimeout(() => {
			this.timer = null;
			const all = () => (this.drawn = this.limit);
			if (typeof requestIdleCallback === 'function') this.idle = requestIdleCallback(all, { timeout: 500 });
			else all();
		}, PAUSE_MS);
	}

	/** "Show more": the next page, drawn at once. */
	more(): void {
		this.cancel();
		this.limit += this.page;
		this.drawn = this.limit;
	}

	cancel(): void {
		if (this.timer !== null) clearTimeout(this.timer);
		this.timer = null;
		if (this.idle && typeof cancelIdleCallback === 'function') cancelIdleCallback(this.idle);
		this.idle = 0;
	}
}

/** Typing slower than this is a pause: the rest of the page is drawn. */
const PAUSE_MS = 250;

/** Rows that fill the window: a row is at least ~32 px high (a phone's cards are taller). */
function screenful(): number {
	const h = typeof window === 'undefined' ? 800 : window.innerHeight;
	return Math.ceil(h / 32) + 5;
}
