/**
 * How the server process is doing, for admins and operators (GET /api/health): the delay of
 * its event loop — every client waits behind each stretch of synchronous work — as a
 * histogram since start or since the last reset, plus open sockets and loaded documents.
 * The security tests read it around their fuzz runs (issue #9: p99 < 100 ms).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

export interface HealthReport {
	/** Event-loop delay in ms since `since` (p50, p99, max). */
	eventLoop: { p50: number; p99: number; max: number; samples: number };
	since: number;
	rssBytes: number;
}

export class Health {
	private readonly histogram: IntervalHistogram;
	private since = Date.now();

	constructor() {
		this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
		this.histogram.enable();
	}

	report(): HealthReport {
		const h = this.histogram;
		// The histogram holds each sampling interval's length (the resolution plus the delay).
		const ms = (ns: number) => Math.max(0, Math.round((ns - RESOLUTION_MS * 1e6) / 1e4) / 100);
		return {
			eventLoop: {
				p50: h.count ? ms(h.percentile(50)) : 0,
				p99: h.count ? ms(h.percentile(99)) : 0,
				max: h.count ? ms(h.max) : 0,
				samples: h.count
			},
			since: this.since,
			rssBytes: process.memoryUsage().rss
		};
	}

	reset(): void {
		this.histogram.reset();
		this.since = Date.now();
	}

	close(): void {
		this.histogram.disable();
	}
}
