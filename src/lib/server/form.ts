import { error } from '@sveltejs/kit';

/**
 * A body over the server's size limit (adapter-node's BODY_SIZE_LIMIT, 512 KB unless set):
 * adapter-node errors the request's body stream with a 413, and reading it rejects with that
 * error. Reported as a 413 — a page in the user's language (+error.svelte) for a form post, a
 * JSON error for an API — never a crash or a misleading 400 (issue #14 item 10).
 */
function isTooLarge(e: unknown): boolean {
	return typeof e === 'object' && e !== null && (e as { status?: unknown }).status === 413;
}

async function readBody<T>(read: () => Promise<T>): Promise<T | null> {
	try {
		return await read();
	} catch (e) {
		if (isTooLarge(e)) error(413, 'Payload Too Large');
		return null;
	}
}

/**
 * A request's form fields. A body that is not a form (another content type, broken
 * multipart) is the client's mistake: 400 with a clear message, never a 500 (issue #9).
 */
export async function readForm(request: Request): Promise<Record<string, unknown>> {
	const form = await readFormOrNull(request);
	if (!form) error(400, 'Expected a form (application/x-www-form-urlencoded or multipart/form-data)');
	return form;
}

/** As readForm, but a body that is not a form is null, for actions that answer it themselves. */
export async function readFormOrNull(request: Request): Promise<Record<string, unknown> | null> {
	const form = await readBody(() => request.formData());
	return form ? formToObject(form) : null;
}

/** A JSON body, or undefined when it is not JSON (the caller answers 400); too large is a 413. */
export async function readJson(request: Request): Promise<unknown> {
	return (await readBody(async () => ({ value: (await request.json()) as unknown })))?.value;
}

/**
 * Turns FormData into a plain object for the shared validators: a field sent once becomes
 * its string; a field sent several times becomes an array (refused as "not text"), so
 * `email=a&email=b` cannot slip a second value past validation.
 */
export function formToObject(form: FormData): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key);
		out[key] = all.length === 1 ? all[0] : all;
	}
	return out;
}

function hasControlCharacter(s: string): boolean {
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 0x20 || c === 0x7f) return true;
	}
	return false;
}

/** A same-origin path to go back to after a form post; anything else falls back to "/". */
export function safeRedirect(target: unknown, fallback = '/'): string {
	if (
		typeof target !== 'string' ||
		!target.startsWith('/') ||
		target.startsWith('//') ||
		target.includes('\\') ||
		// Browsers drop tabs and newlines from URLs: "/\t/evil.com" would become "//evil.com".
		hasControlCharacter(target)
	) {
		return fallback;
	}
	return target;
}
