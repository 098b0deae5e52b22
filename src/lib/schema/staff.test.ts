import { describe, expect, it } from 'vitest';
import { parseCredentials, parseDirectory, parseFirstAdmin, parseNewStaff } from './staff.ts';

describe('parseCredentials', () => {
	it('accepts an e-mail and password, trimming and lower-casing the e-mail only', () => {
		expect(parseCredentials({ email: '  Ana@Example.com ', password: ' secret ' })).toEqual({
			ok: true,
			value: { email: 'ana@example.com', password: ' secret ' }
		});
	});

	it('[§8] empty fields are required', () => {
		expect(parseCredentials({ email: '', password: '' })).toEqual({
			ok: false,
			errors: { email: 'required', password: 'required' }
		});
	});

	it('[§8] missing and null fields are required', () => {
		const expected = { ok: false, errors: { email: 'required', password: 'required' } };
		expect(parseCredentials({})).toEqual(expected);
		expect(parseCredentials({ email: null, password: null })).toEqual(expected);
	});

	it.each([
		['an array e-mail', { email: ['a@b.c'], password: 'x' }, { email: 'not_text' }],
		['an array password', { email: 'a@b.co', password: ['x', 'y'] }, { password: 'not_text' }],
		['a number password', { email: 'a@b.co', password: 12345678 }, { password: 'not_text' }],
		['a boolean password', { email: 'a@b.co', password: true }, { password: 'not_text' }],
		['an object password', { email: 'a@b.co', password: { $ne: '' } }, { password: 'not_text' }],
		['an object e-mail', { email: { $gt: '' }, password: 'x' }, { email: 'not_text' }],
		['a number e-mail', { email: 42, password: 'x' }, { email: 'not_text' }]
	])('[§8] %s is refused before any lookup (CVE-2025-60375 class)', (_what, input, errors) => {
		expect(parseCredentials(input)).toEqual({ ok: false, errors });
	});

	it.each([
		['null', null],
		['an array', [{ email: 'a@b.co', password: 'x' }]],
		['a string', 'email=a@b.co&password=x'],
		['a number', 7],
		['undefined', undefined]
	])('[§8] a body that is %s is refused', (_what, input) => {
		expect(parseCredentials(input)).toEqual({ ok: false, errors: { email: 'required', password: 'required' } });
	});

	it('[§8] a malformed e-mail is invalid', () => {
		expect(parseCredentials({ email: 'ana', password: 'x' })).toEqual({
			ok: false,
			errors: { email: 'invalid_email' }
		});
	});

	it('[§8] a password over 1 KB is too long even when its characters number fewer than 1024', () => {
		expect(parseCredentials({ email: 'a@b.co', password: 'é'.repeat(600) })).toEqual({
			ok: false,
			errors: { password: 'too_long' }
		});
	});

	it('a short password may still be typed at sign-in', () => {
		expect(parseCredentials({ email: 'a@b.co', password: 'x' }).ok).toBe(true);
	});
});

describe('parseNewStaff', () => {
	const valid = { name: 'Ana Silva', email: 'Ana@Example.com', role: 'staff', password: 'long enough' };

	it('accepts a complete staff member', () => {
		expect(parseNewStaff(valid)).toEqual({
			ok: true,
			value: { name: 'Ana Silva', email: 'ana@example.com', role: 'staff', password: 'long enough' }
		});
	});

	it('a name that is literally "required" is a valid name', () => {
		const result = parseNewStaff({ ...valid, name: 'required' });
		expect(result).toEqual({ ok: true, value: expect.objectContaining({ name: 'required' }) });
	});

	it('[§8] reports every missing field at once', () => {
		expect(parseNewStaff({})).toEqual({
			ok: false,
			errors: { name: 'required', email: 'required', role: 'required', password: 'required' }
		});
	});

	it.each([
		['name', { name: '   ' }, 'required'],
		['name', { name: 'x'.repeat(201) }, 'too_long'],
		['name', { name: ['Ana', 'Eve'] }, 'not_text'],
		['email', { email: 'ana@example' }, 'invalid_email'],
		['email', { email: ['a@b.co', 'c@d.co'] }, 'not_text'],
		['role', { role: 'owner' }, 'invalid_choice'],
		['role', { role: 'Admin' }, 'invalid_choice'],
		['role', { role: ['admin'] }, 'invalid_choice'],
		['password', { password: 'short' }, 'too_short'],
		['password', { password: 'é'.repeat(600) }, 'too_long']
	])('[§8] a bad %s is reported at that field only (%j)', (field, change, error) => {
		expect(parseNewStaff({ ...valid, ...change })).toEqual({ ok: false, errors: { [field]: error } });
	});

	it('role must be admin or staff', () => {
		expect(parseNewStaff({ ...valid, role: 'admin' }).ok).toBe(true);
		expect(parseNewStaff({ ...valid, role: 'staff' }).ok).toBe(true);
	});
});

describe('parseFirstAdmin', () => {
	it('needs name, e-mail and a new password; no role is taken from the input', () => {
		expect(parseFirstAdmin({ name: 'Ana', email: 'ana@example.com', password: 'long enough', role: 'staff' })).toEqual({
			ok: true,
			value: { name: 'Ana', email: 'ana@example.com', password: 'long enough' }
		});
		expect(parseFirstAdmin({ name: '', email: 'x', password: 'short' })).toEqual({
			ok: false,
			errors: { name: 'required', email: 'invalid_email', password: 'too_short' }
		});
	});
});

describe('parseDirectory', () => {
	it('keeps id, name and whether the account is active, nothing else', () => {
		expect(
			parseDirectory({
				staff: [
					{ id: 'u1', name: 'Ada', active: true, email: 'ada@example.com' },
					{ id: 'u2', name: 'Bob', active: false }
				]
			})
		).toEqual([
			{ id: 'u1', name: 'Ada', active: true },
			{ id: 'u2', name: 'Bob', active: false }
		]);
	});

	it('refuses what is not a directory', () => {
		for (const bad of [null, 'x', {}, { staff: 'x' }, { staff: [{ id: 1, name: 'A' }] }, { staff: [{ id: 'u' }] }]) {
			expect(parseDirectory(bad)).toBeNull();
		}
	});
});
