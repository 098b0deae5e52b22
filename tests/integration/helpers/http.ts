/** A tiny HTTP client that keeps cookies and sends the Origin header a browser would. */
export class Client {
	readonly cookies = new Map<string, string>();

	constructor(
		readonly base: string,
		readonly origin = new URL(base).origin
	) {}

	get cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	get sessionToken(): string | undefined {
		return this.cookies.get('fieldbook_session');
	}

	async request(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		if (this.cookies.size) headers.set('cookie', this.cookieHeader);
		const origin = init.origin === undefined ? this.origin : init.origin;
		if (origin !== null && init.method && init.method !== 'GET') headers.set('origin', origin);
		const res = await fetch(new URL(path, this.base), { ...init, headers, redirect: 'manual' });
		for (const c of res.headers.getSetCookie()) {
			const [pair] = c.split(';');
			const i = pair.indexOf('=');
			const name = pair.slice(0, i);
			const value = pair.slice(i + 1);
			if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
		return res;
	}

	/** Posts a form as a browser without JavaScript would (a SvelteKit form action). */
	postForm(
		path: string,
		fields: Record<string, string | string[]>,
		init: { origin?: string | null } = {}
	): Promise<Response> {
		const body = new URLSearchParams();
		for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
		return this.request(path, {
			method: 'POST',
			// As a browser sends it; SvelteKit answers JSON to clients that prefer it.
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body,
			origin: init.origin
		});
	}

	postJson(path: string, body: unknown): Promise<Response> {
		return this.request(path, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: typeof body === 'string' ? body : JSON.stringify(body)
		});
	}

	/** The signed-in user's own id (GET /api/session). */
	async userId(): Promise<string> {
		const res = await this.request('/api/session', { headers: { accept: 'application/json' } });
		if (res.status !== 200) throw new Error(`/api/session answered ${res.status}`);
		return ((await res.json()) as { user: { id: string } }).user.id;
	}

	/** The id of a staff account, from the admin staff API (this client must be an admin). */
	async staffId(email: string): Promise<string> {
		const res = await this.request('/api/staff');
		if (res.status !== 200) throw new Error(`/api/staff answered ${res.status}`);
		const { staff } = (await res.json()) as { staff: { id: string; email: string }[] };
		const found = staff.find((s) => s.email === email);
		if (!found) throw new Error(`no staff account ${email}`);
		return found.id;
	}

	async login(email: string, password: string): Promise<Response> {
		return this.postForm('/login', { email, password });
	}
}
