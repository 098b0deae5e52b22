import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.ts';

describe('password hashing', () => {
	it('a hash verifies with the same password and not with another', async () => {
		const stored = await hashPassword('correct horse battery');
		expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(stored, 'correct horse batterY')).toBe(false);
		expect(await verifyPassword(stored, 'correct horse battery ')).toBe(false);
	});

	it('uses argon2id with OWASP minimum parameters and a fresh salt each time', async () => {
		const a = await hashPassword('same password');
		const b = await hashPassword('same password');
		expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(a).not.toBe(b);
		expect(a).not.toContain('same password');
	});

	it('non-ASCII passwords round trip', async () => {
		const stored = await hashPassword('Zażółć gęślą jaźń');
		expect(await verifyPassword(stored, 'Zażółć gęślą jaźń')).toBe(true);
		expect(await verifyPassword(stored, 'Zazolc gesla jazn')).toBe(false);
	});

	it('[§8] a password of exactly 1 KB is accepted', async () => {
		const password = 'a'.repeat(1024);
		expect(await verifyPassword(await hashPassword(password), password)).toBe(true);
	});

	it('[§8] a password over 1 KB is refused before hashing', async () => {
		await expect(hashPassword('a'.repeat(1025))).rejects.toThrow(RangeError);
		// 513 × "é" is 1026 bytes in UTF-8, though only 513 characters.
		await expect(hashPassword('é'.repeat(513))).rejects.toThrow(RangeError);
	});

	it('[§8] a password over 1 KB is refused before verifying', async () => {
		const stored = await hashPassword('a password');
		await expect(verifyPassword(stored, 'a'.repeat(1025))).rejects.toThrow(RangeError);
		await expect(verifyPassword(null, 'a'.repeat(1025))).rejects.toThrow(RangeError);
	});

	it('an unknown account (no stored hash) never verifies', async () => {
		expect(await verifyPassword(null, 'fieldbook-dummy-password')).toBe(false);
		expect(await verifyPassword(null, 'anything')).toBe(false);
	});

	it('a corrupt stored hash is a failed sign-in, not a crash', async () => {
		expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
		expect(await verifyPassword('', 'anything')).toBe(false);
	});
});
