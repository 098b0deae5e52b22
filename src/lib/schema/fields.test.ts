import { describe, expect, it } from 'vitest';
import { anyPassword, choice, collect, email, MAX_EMAIL, newPassword, normalizeEmail, text } from './fields.ts';
import { emailKey } from './records.ts';

describe('text', () => {
	it('trims and accepts a string within the limit', () => {
		expect(text('  Ana Silva ', { required: true, max: 200 })).toEqual({ ok: true, value: 'Ana Silva' });
	});

	it('a required field that is missing, null or blank is "required"', () => {
		for (const value of [undefined, null, '', '   ']) {
			expect(text(value, { required: true, max: 200 })).toEqual({ ok: false, error: 'required' });
		}
	});

	it('an optional field that is missing becomes an empty string', () => {
		expect(text(undefined, { required: false, max: 200 })).toEqual({ ok: true, value: '' });
		expect(text(null, { required: false, max: 200 })).toEqual({ ok: true, value: '' });
	});

	it('anything but a string is "not text"', () => {
		for (const value of [['a'], 42, true, { a: 1 }]) {
			expect(text(value, { required: false, max: 200 })).toEqual({ ok: false, error: 'not_text' });
		}
	});

	it('[§8] over-long text is "too long"; the limit itself is fine', () => {
		expect(text('x'.repeat(10), { required: true, max: 10 }).ok).toBe(true);
		expect(text('x'.repeat(11), { required: true, max: 10 })).toEqual({ ok: false, error: 'too_long' });
	});

	it('the word "required" is a value like any other', () => {
		expect(text('required', { required: true, max: 200 })).toEqual({ ok: true, value: 'required' });
	});
});

describe('email', () => {
	it('trims and lower-cases a valid address', () => {
		expect(email('  Ana.Silva@Example.COM ', true)).toEqual({ ok: true, value: 'ana.silva@example.com' });
	});

	it.each(['ana', 'ana@', '@example.com', 'ana@example', 'ana silva@example.com', 'ana@@example.com', 'ana@example.'])(
		'[§8] %j is not an e-mail address',
		(value) => {
			expect(email(value, true)).toEqual({ ok: false, error: 'invalid_email' });
		}
	);

	it('an optional e-mail may be empty', () => {
		expect(email('', false)).toEqual({ ok: true, value: '' });
		expect(email('', true)).toEqual({ ok: false, error: 'required' });
	});

	it('an address longer than the RFC 5321 limit is "too long"', () => {
		const long = 'a'.repeat(MAX_EMAIL - '@example.com'.length + 1) + '@example.com';
		expect(email(long, true)).toEqual({ ok: false, error: 'too_long' });
	});

	it('normalizeEmail trims and lower-cases', () => {
		expect(normalizeEmail(' ANA@Example.com\t')).toBe('ana@example.com');
	});

	it('a contact e-mail is keyed for uniqueness by the same rule; blank or not text has no key', () => {
		expect(emailKey(' ANA@Example.com\t')).toBe(normalizeEmail(' ANA@Example.com\t'));
		expect(emailKey('  ')).toBeNull();
		expect(emailKey(42)).toBeNull();
		expect(emailKey(['a@b.co'])).toBeNull();
	});
});

describe('passwords', () => {
	it('a password is kept exactly as typed, spaces included', () => {
		expect(anyPassword('  my pass phrase  ')).toEqual({ ok: true, value: '  my pass phrase  ' });
	});

	it('[§8] a password over 1 KB is "too long", counted in bytes not characters', () => {
		expect(anyPassword('a'.repeat(1024)).ok).toBe(true);
		expect(anyPassword('a'.repeat(1025))).toEqual({ ok: false, error: 'too_long' });
		// 600 × "é" is 600 characters but 1200 bytes.
		expect(anyPassword('é'.repeat(600))).toEqual({ ok: false, error: 'too_long' });
		expect(newPassword('é'.repeat(600))).toEqual({ ok: false, error: 'too_long' });
	});

	it('a new password needs 8 characters', () => {
		expect(newPassword('1234567')).toEqual({ ok: false, error: 'too_short' });
		expect(newPassword('12345678')).toEqual({ ok: true, value: '12345678' });
	});

	it('a new password counts characters, not UTF-16 units (4 emoji are too short)', () => {
		expect(newPassword('🔑🔑🔑🔑')).toEqual({ ok: false, error: 'too_short' });
	});

	it('a short password is still accepted at sign-in (length rules are for new ones)', () => {
		expect(anyPassword('abc')).toEqual({ ok: true, value: 'abc' });
	});
});

describe('choice', () => {
	it('accepts only one of the allowed values, exactly', () => {
		expect(choice('staff', ['admin', 'staff'])).toEqual({ ok: true, value: 'staff' });
		expect(choice('Staff', ['admin', 'staff'])).toEqual({ ok: false, error: 'invalid_choice' });
		expect(choice(['staff'], ['admin', 'staff'])).toEqual({ ok: false, error: 'invalid_choice' });
		expect(choice('', ['admin', 'staff'])).toEqual({ ok: false, error: 'required' });
	});

	it('inherited object keys are not choices', () => {
		expect(choice('toString', ['admin', 'staff'])).toEqual({ ok: false, error: 'invalid_choice' });
	});
});

describe('collect', () => {
	it('reports every failing field at once', () => {
		expect(collect({ a: text('', { required: true, max: 5 }), b: text('ok', { required: true, max: 5 }) })).toEqual({
			ok: false,
			errors: { a: 'required' }
		});
	});

	it('gives all values when every field passes', () => {
		expect(collect({ a: text('x', { required: true, max: 5 }), b: email('A@b.co', true) })).toEqual({
			ok: true,
			value: { a: 'x', b: 'a@b.co' }
		});
	});
});
