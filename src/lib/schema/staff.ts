/** Staff accounts: roles and the input rules for sign-in, set-up and the staff admin page. */
import { anyPassword, choice, collect, email, MAX_NAME, newPassword, text, type Result } from './fields.ts';

export const ROLES = ['admin', 'staff'] as const;
export type Role = (typeof ROLES)[number];

export interface Credentials {
	email: string;
	password: string;
}

/**
 * Sign-in input. Only a string e-mail and a string password pass: empty, missing, null,
 * array or object values are refused before any lookup or hashing (the class of
 * Perfex CVE-2025-60375, where a non-string password skipped verification).
 */
export function parseCredentials(input: unknown): Result<Credentials, 'email' | 'password'> {
	const obj = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<
		string,
		unknown
	>;
	return collect({ email: email(obj.email, true), password: anyPassword(obj.password) });
}

export interface NewStaff {
	name: string;
	email: string;
	role: Role;
	password: string;
}

export function parseNewStaff(input: Record<string, unknown>): Result<NewStaff, keyof NewStaff> {
	return collect({
		name: text(input.name, { required: true, max: MAX_NAME }),
		email: email(input.email, true),
		role: choice(input.role, ROLES),
		password: newPassword(input.password)
	});
}

export function parseFirstAdmin(
	input: Record<string, unknown>
): Result<Omit<NewStaff, 'role'>, 'name' | 'email' | 'password'> {
	return collect({
		name: text(input.name, { required: true, max: MAX_NAME }),
		email: email(input.email, true),
		password: newPassword(input.password)
	});
}

/** A staff member's own password change: the current password (any string) and a valid new one. */
export function parsePasswordChange(
	input: Record<string, unknown>
): Result<{ current: string; next: string }, 'current' | 'next'> {
	return collect({ current: anyPassword(input.current), next: newPassword(input.next) });
}

/**
 * One staff member as every signed-in staff user sees them: enough to pick managers and to
 * show a manager's name (no e-mail, no role). Deactivated accounts stay listed so that a
 * record they still manage shows their name, but they are not offered as new managers.
 */
export interface DirectoryEntry {
	id: string;
	name: string;
	active: boolean;
}

/** The directory as the server sent it or the device kept it; null when it is not one. */
export function parseDirectory(input: unknown): DirectoryEntry[] | null {
	const list = (input as { staff?: unknown } | null)?.staff;
	if (!Array.isArray(list)) return null;
	const out: DirectoryEntry[] = [];
	for (const e of list as unknown[]) {
		const r = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
		if (typeof r.id !== 'string' || r.id === '' || typeof r.name !== 'string') return null;
		out.push({ id: r.id, name: r.name, active: r.active !== false });
	}
	return out;
}
