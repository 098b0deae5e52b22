import { error } from '@sveltejs/kit';
/**
 * Turns FormData into a plain object for the shared validators: a field sent once becomes
 * its string; a field sent several times becomes an array (refused as "not text"), so
 * `email=a&email=b` cannot slip a second value past validation.
 */
/**
 * A request's form fields. A body that is not a form (another content type, broken
 * multipart) is the client's mistake: 400 with a clear message, never a 500 (issue #9).
 */
export async function readForm(request: Request): Promise<Record<string, unknown>> {
	const form = await request.formData().catch(() => null);
	if (!form) error(400, 'Expected a form (application/x-www-form-urlencoded or multipart/form-data)');
	return formToObject(form);
}

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
