/**
 * A list's search text, filters and sort, kept in the page's URL (issue #14): a link opens the
 * list as it was, and Back from a customer returns to the same filtered, sorted list. Typing
 * replaces the history entry instead of adding one per keystroke.
 *
 * Written with goto(…, { replaceState }) — a real navigation — not SvelteKit's shallow
 * replaceState: a shallow entry is restored by Back at the page's original URL, which would
 * drop the search. Our own writes are not read back (the input is ahead of them while typing).
 */
import { afterNavigate, beforeNavigate, goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { page } from '$app/state';
import type { ResolvedPathname } from '$app/types';
import { isSortOrder, type SortOrder } from '$lib/data/search';

const MAX_TEXT = 200;

export class ListUrlState {
	text = $state('');
	contactTypeId = $state('');
	manager = $state<'all' | 'mine'>('all');
	sort = $state<SortOrder>('name-asc');
	/** Additional fields shown as columns (ids, in the admin's order when drawn): `cols=a,b`. */
	columns = $state<string[]>([]);
	/** Filters on additional fields, field id -> what is asked: `cf.<id>=…`. */
	custom = $state<Record<string, string>>({});

	/** The state was read from the URL the navigation arrived at; only then is it written back. */
	private ready = $state(false);

	/** Call during component initialisation (it registers an afterNavigate callback). */
	constructor(private readonly route: '/(staff)/companies' | '/(staff)/persons') {
		this.read(page.url);
		// Back, Forward and links arrive here with their own URL; page.url may still be the
		// previous page's while the component is created.
		afterNavigate(({ to, type }) => {
			if (to && type !== 'goto') this.read(to.url);
			this.ready = true;
			this.leaving = false;
		});
		// Leaving the list: a write still waiting for its frame must not bring the user back.
		beforeNavigate(({ to }) => {
			if (to?.url.pathname !== resolve(this.route)) this.leaving = true;
		});
	}

	private read(url: URL): void {
		const p = url.searchParams;
		this.text = (p.get('q') ?? '').slice(0, MAX_TEXT);
		this.contactTypeId = (p.get('type') ?? '').slice(0, 64);
		this.manager = p.get('manager') === 'mine' ? 'mine' : 'all';
		const sort = p.get('sort');
		this.sort = isSortOrder(sort) ? sort : 'name-asc';
		this.columns = (p.get('cols') ?? '')
			.split(',')
			.filter((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id))
			.slice(0, 50);
		const custom: Record<string, string> = {};
		for (const [k, v] of p) {
			const id = k.startsWith('cf.') ? k.slice(3) : '';
			if (/^[A-Za-z0-9_-]{1,64}$/.test(id) && v) custom[id] = v.slice(0, MAX_TEXT);
		}
		this.custom = custom;
	}

	/** The query for the current state, "" or "?…" (defaults left out: a plain list keeps a plain URL). */
	search(): string {
		const pairs: [string, string][] = [];
		const add = (key: string, value: string, fallback: string) => value !== fallback && pairs.push([key, value]);
		add('q', this.text, '');
		add('type', this.contactTypeId, '');
		add('manager', this.manager, 'all');
		add('sort', this.sort, 'name-asc');
		add('cols', this.columns.join(','), '');
		for (const [id, v] of Object.entries(this.custom)) add(`cf.${id}`, v, '');
		const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
		return query ? `?${query}` : '';
	}

	private writing: Promise<void> | null = null;
	private again = false;
	private scheduled = false;
	private leaving = false;

	/**
	 * Writes the state into the current history entry, if it changed (one write at a time),
	 * once the frame that shows the change is painted: the navigation reads the scroll position
	 * (a forced layout) and replaces the history entry, which had cost a keystroke's frame more
	 * than the search itself (issue #15 item 2). Keystrokes within a frame are written once.
	 */
	save(): void {
		// Read now, so that the effect calling save() runs again when any of it changes.
		this.search();
		if (!this.ready || this.scheduled) return;
		this.scheduled = true;
		const write = () => {
			this.scheduled = false;
			this.write();
		};
		if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(write, 0));
		else setTimeout(write, 0);
	}

	private write(): void {
		if (!this.ready || this.leaving) return;
		const search = this.search();
		if (search === location.search) return;
		if (this.writing) {
			this.again = true;
			return;
		}
		// The route's resolved path plus a query (resolve() takes no query).
		const target = `${resolve(this.route)}${search}` as ResolvedPathname;
		this.writing = goto(target, { replaceState: true, keepFocus: true, noScroll: true })
			.catch(() => {})
			.finally(() => {
				this.writing = null;
				if (this.again) {
					this.again = false;
					this.write();
				}
			});
	}
}
