import { describe, expect, it } from 'vitest';
import { BASE_MS, CAP_MS, retryDelay } from './backoff.ts';
import { classify } from './classify.ts';
import { smtpOptions } from './transport.ts';

describe('[§3.5] retry timing', () => {
	it('doubles from 1 s with half of each delay random, capped at an hour', () => {
		expect(retryDelay(1, () => 0)).toBe(BASE_MS / 2);
		expect(retryDelay(1, () => 1)).toBe(BASE_MS);
		expect(retryDelay(4, () => 0)).toBe(4 * BASE_MS);
		expect(retryDelay(4, () => 1)).toBe(8 * BASE_MS);
		expect(retryDelay(100, () => 1)).toBe(CAP_MS);
		expect(retryDelay(100, () => 0)).toBe(CAP_MS / 2);
		const spread = new Set(Array.from({ length: 50 }, () => retryDelay(5)));
		expect(spread.size).toBeGreaterThan(10); // jitter: rows deferred together come back apart
	});
});

describe('[§3.5] SMTP failures', () => {
	it('5xx fails with the server reply; 4xx, connection and auth failures are retried', () => {
		expect(classify({ responseCode: 550, response: '550 5.1.1 no such user', code: 'EENVELOPE' })).toEqual({
			retry: false,
			reason: '550 5.1.1 no such user'
		});
		expect(classify({ responseCode: 421, response: '421 try later', code: 'EENVELOPE' }).retry).toBe(true);
		expect(classify({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' })).toEqual({
			retry: true,
			reason: 'ECONNECTION: connect ECONNREFUSED'
		});
		expect(classify({ code: 'EAUTH', responseCode: 535, response: '535 bad credentials' }).retry).toBe(true);
		expect(classify('weird').retry).toBe(true);
		expect(classify(null).retry).toBe(true);
	});
});

describe('[§3.5] SMTP_URL', () => {
	it('smtp:// is STARTTLS when offered (587), smtps:// implicit TLS (465); credentials decoded', () => {
		const plain = smtpOptions(new URL('smtp://us%40er:p%3Ass@mail.example.com'));
		expect(plain).toMatchObject({ host: 'mail.example.com', port: 587, secure: false, requireTLS: false });
		expect(plain.auth).toEqual({ user: 'us@er', pass: 'p:ss' });
		const tls = smtpOptions(new URL('smtps://mail.example.com'));
		expect(tls).toMatchObject({ port: 465, secure: true, auth: undefined });
		expect(smtpOptions(new URL('smtp://h:2525?starttls=required'))).toMatchObject({ port: 2525, requireTLS: true });
		expect(smtpOptions(new URL('smtp://h?starttls=off'))).toMatchObject({ ignoreTLS: true });
		expect(smtpOptions(new URL('smtp://[::1]:25?tls_verify=off'))).toMatchObject({
			host: '::1',
			tls: { rejectUnauthorized: false }
		});
	});
});
