/**
 * Password hashing with argon2id (@node-rs/argon2), OWASP's minimum profile
 * (19 MiB, 2 iterations, 1 lane). Callers validate length (≤ 1 KB) before calling.
 */
import { hash, verify } from '@node-rs/argon2';
import { MAX_PASSWORD_BYTES } from '../src/lib/schema/fields.ts';

const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

function assertLength(password: string): void {
	if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw new RangeError('password over 1 KB');
}

export async function hashPassword(password: string): Promise<string> {
	assertLength(password);
	return hash(password, OPTIONS); // argon2id is the library's default algorithm
}

let dummyHash: Promise<string> | null = null;

/**
 * Verifies a password. With `stored === null` (unknown account) a dummy hash is verified
 * anyway, so unknown and known e-mails take the same time and get the same answer.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
	assertLength(password);
	if (stored === null) {
		dummyHash ??= hashPassword('fieldbook-dummy-password');
		await verify(await dummyHash, password).catch(() => false);
		return false;
	}
	try {
		return await verify(stored, password);
	} catch {
		return false;
	}
}
