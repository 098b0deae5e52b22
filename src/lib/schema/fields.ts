/**
 * Field rules shared by client and server. Validation returns error codes, not sentences,
 * so each side words them in the user's language.
 */
export type FieldError =
	| 'required'
	| 'invalid_email'
	| 'too_long'
	| 'too_short'
	| 'not_text'
	| 'invalid_choice'
	| 'not_integer'
	| 'out_of_range';

export type FieldErrors<K extends string> = Partial<Record<K, FieldError>>;

export type Check<T> = { ok: true; value: T } | { ok: false; error: FieldError };

export type Result<T, K extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<K> };

export const MAX_NAME = 200;
export const MAX_EMAIL = 254; // RFC 5321 path limit
export const MIN_PASSWORD = 8;
/** Passwords longer than this are refused before hashing (argon2 cost is per byte). */
export const MAX_PASSWORD_BYTES = 1024;

// Deliberately simple: one "@", no spaces, a dot in the domain. Deliverability is the SMTP server's call.
export const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

const fail = (error: FieldError): Check<never> => ({ ok: false, error });
const pass = <T>(value: T): Check<T> => ({ ok: true, value });

/** The one rule for comparing e-mail addresses (sign-in accounts, contact uniqueness — `emailKey`): trimmed, lower case. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** Accepts only a string; anything else (null, array, number, object) is not text. */
export function text(value: unknown, opts: { required: boolean; max: number }): Check<string> {
	if (value === undefined || value === null) return opts.required ? fail('required') : pass('');
	if (typeof value !== 'string') return fail('not_text');
	const v = value.trim();
	if (opts.required && v === '') return fail('required');
	if (v.length > opts.max) return fail('too_long');
	return pass(v);
}

export function email(value: unknown, required: boolean): Check<string> {
	const v = text(value, { required, max: MAX_EMAIL });
	if (!v.ok || v.value === '') return v;
	return EMAIL_RE.test(v.value) ? pass(normalizeEmail(v.value)) : fail('invalid_email');
}

/** A new password: 8 characters to 1 KB. */
export function newPassword(value: unknown): Check<string> {
	const v = anyPassword(value);
	if (!v.ok) return v;
	return [...v.value].length < MIN_PASSWORD ? fail('too_short') : v;
}

/** A password as typed at sign-in: any non-empty string up to 1 KB (length rules are for new ones). */
export function anyPassword(value: unknown): Check<string> {
	if (value === undefined || value === null || value === '') return fail('required');
	if (typeof value !== 'string') return fail('not_text');
	// Byte length, checked before anything expensive touches it.
	if (new TextEncoder().encode(value).length > MAX_PASSWORD_BYTES) return fail('too_long');
	return pass(value);
}

export function choice<T extends string>(value: unknown, allowed: readonly T[]): Check<T> {
	if (value === undefined || value === null || value === '') return fail('required');
	return typeof value === 'string' && (allowed as readonly string[]).includes(value)
		? pass(value as T)
		: fail('invalid_choice');
}

/** Collects per-field checks into one result: every field's error, or all values. */
export function collect<S extends Record<string, Check<unknown>>>(
	checks: S
): Result<{ [K in keyof S]: S[K] extends Check<infer V> ? V : never }, Extract<keyof S, string>> {
	const errors: FieldErrors<Extract<keyof S, string>> = {};
	const value: Record<string, unknown> = {};
	for (const [k, c] of Object.entries(checks)) {
		if (c.ok) value[k] = c.value;
		else errors[k as Extract<keyof S, string>] = c.error;
	}
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	return { ok: true, value: value as { [K in keyof S]: S[K] extends Check<infer V> ? V : never } };
}
