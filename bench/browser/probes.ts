/**
 * In-page timing probes, bundled by bench/run.ts into an init script that runs in every
 * document before the app's own scripts (Playwright addInitScript). All times are
 * performance.now() of the document: milliseconds since its navigation started.
 *
 * "Painted" means: the rendering update that contains the change has run. A change is
 * noticed (MutationObserver, or an input listener), then requestAnimationFrame waits for the
 * next frame, and a message posted from inside that frame's rAF callback runs after the frame
 * (style, layout, paint) is done. That moment is the time recorded.
 */

export interface KeyRecord {
	/** The input event's timeStamp (when the browser created the event). */
	start: number;
	/** After the app's input handlers and Svelte's update ran (DOM updated). */
	dom: number;
	/** The next frame's requestAnimationFrame callback (the wait for the frame ends). */
	raf: number;
	/** After the next frame was painted. */
	painted: number;
	value: string;
	rows: number;
}

export interface OpenRecord {
	start: number;
	/** The list's rows left the DOM: the router switched to the customer page (still loading). */
	routed: number | null;
	painted: number;
	heading: string;
	/** The /api/session request the navigation made (the staff layout's load), if any. */
	session: { start: number; end: number } | null;
}

export interface Probes {
	/** Sync status changes (the top bar's `data-state`), with Date.now() times. */
	status: { state: string; at: number }[];
	/** The first table row of a list painted, in this document. */
	firstRow: number | null;
	firstRowCount: string | null;
	keys: KeyRecord[];
	opens: OpenRecord[];
	armSearch(selector: string): void;
	armOpen(): void;
	/** Resolves once `n` keystrokes (or opens, or a first row) were recorded: no polling. */
	whenKeys(n: number): Promise<void>;
	whenOpens(n: number): Promise<void>;
	whenFirstRow(): Promise<void>;
}

declare global {
	interface Window {
		__fbBench: Probes;
	}
}

function afterPaint(cb: (t: number, raf: number) => void): void {
	requestAnimationFrame(() => {
		const raf = performance.now();
		const ch = new MessageChannel();
		ch.port1.onmessage = () => {
			ch.port1.close();
			cb(performance.now(), raf);
		};
		ch.port2.postMessage(0);
	});
}

const ROW = 'main table tbody tr';

function install(): void {
	if (window.__fbBench) return;
	// Resource entries explain a record open; the default buffer (250) fills in a long session.
	performance.setResourceTimingBufferSize(100_000);
	let rowSeen = false;
	let open: { start: number | null; routed: number | null } | null = null;
	let search: string | null = null;
	const waiters = new Set<{ ready: () => boolean; resolve: () => void }>();
	const wake = () => {
		for (const w of waiters) {
			if (!w.ready()) continue;
			waiters.delete(w);
			w.resolve();
		}
	};
	const when = (ready: () => boolean) =>
		new Promise<void>((resolve) => {
			if (ready()) return resolve();
			waiters.add({ ready, resolve });
		});

	const probes: Probes = {
		status: [],
		firstRow: null,
		firstRowCount: null,
		keys: [],
		opens: [],
		armSearch(selector) {
			search = selector;
		},
		armOpen() {
			open = { start: null, routed: null };
		},
		whenKeys: (n) => when(() => probes.keys.length >= n),
		whenOpens: (n) => when(() => probes.opens.length >= n),
		whenFirstRow: () => when(() => probes.firstRow !== null)
	};
	window.__fbBench = probes;

	const check = () => {
		const state = document.querySelector('.sync-status')?.getAttribute('data-state');
		if (state && state !== probes.status.at(-1)?.state) probes.status.push({ state, at: Date.now() });
		if (!rowSeen && document.querySelector(ROW)) {
			rowSeen = true;
			afterPaint((t) => {
				probes.firstRow = t;
				// The list's count ("Showing 100 of 10,000"); other live regions in main hold no number.
				const count = [...document.querySelectorAll('main [role="status"]')].find((e) =>
					/\d/.test(e.textContent ?? '')
				);
				probes.firstRowCount = count?.textContent?.trim() ?? null;
				wake();
			});
		}
		if (open && open.start !== null) {
			if (open.routed === null && !document.querySelector(ROW)) open.routed = performance.now();
			const h = document.querySelector<HTMLElement>('main h1:not(#list-heading)');
			if (h) {
				const { start, routed } = open;
				open = null;
				performance.mark('bench-open-heading');
				afterPaint((t) => {
					const fetched = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
						(r) => r.startTime >= start && new URL(r.name).pathname === '/api/session'
					);
					const session = fetched[0] ? { start: fetched[0].startTime, end: fetched[0].responseEnd } : null;
					performance.mark('bench-open-painted');
					probes.opens.push({ start, routed, painted: t, heading: h.textContent?.trim() ?? '', session });
					wake();
				});
			}
		}
	};
	new MutationObserver(check).observe(document, {
		childList: true,
		subtree: true,
		characterData: true,
		attributeFilter: ['data-state']
	});

	// Capture phase on window: before SvelteKit's router sees the click.
	window.addEventListener(
		'click',
		(e) => {
			if (open && open.start === null && (e.target as Element | null)?.closest?.('a[href*="/customers/"]')) {
				open.start = e.timeStamp;
				performance.mark('bench-open-click');
			}
		},
		true
	);

	// Bubble phase on window: runs after the element's listeners and Svelte's delegated handler;
	// Svelte's update ran in the microtask checkpoint after the bind:value listener returned.
	window.addEventListener('input', (e) => {
		const el = e.target as HTMLInputElement | null;
		if (!search || !el?.matches?.(search)) return;
		const start = e.timeStamp;
		queueMicrotask(() => {
			const dom = performance.now();
			afterPaint((painted, raf) => {
				probes.keys.push({ start, dom, raf, painted, value: el.value, rows: document.querySelectorAll(ROW).length });
				wake();
			});
		});
	});
}

install();
