import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

const CWD = path.resolve('/srv/fieldbook');

/** The ConfigError that parsing `env` throws; fails the test when parsing succeeds. */
function configError(env: Record<string, string>): ConfigError {
	try {
		parseConfig(env, CWD);
	} catch (e) {
		expect(e).toBeInstanceOf(ConfigError);
		return e as ConfigError;
	}
	throw new Error(`expected parseConfig to refuse ${JSON.stringify(env)}`);
}

describe('parseConfig', () => {
	it('an empty environment starts on 127.0.0.1:3000 with ./data under the working directory', () => {
		const config = parseConfig({}, CWD);
		expect(config.port).toBe(3000);
		expect(config.host).toBe('127.0.0.1');
		expect(config.dataDir).toBe(path.join(CWD, 'data'));
		expect(config.publicUrl).toBeNull();
		expect(config.smtpUrl).toBeNull();
		expect(config.adminEmail).toBeNull();
		expect(config.adminPassword).toBeNull();
	});

	it('a relative DATA_DIR is resolved against the working directory, an absolute one kept', () => {
		expect(parseConfig({ DATA_DIR: 'var/db' }, CWD).dataDir).toBe(path.join(CWD, 'var', 'db'));
		const absolute = path.resolve('/var/lib/fieldbook');
		expect(parseConfig({ DATA_DIR: absolute }, CWD).dataDir).toBe(absolute);
	});

	it('empty or blank variables count as unset', () => {
		const config = parseConfig({ PORT: '', HOST: '  ', PUBLIC_URL: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' }, CWD);
		expect(config.port).toBe(3000);
		expect(config.host).toBe('127.0.0.1');
		expect(config.publicUrl).toBeNull();
		expect(config.adminEmail).toBeNull();
	});

	it('valid values are taken over', () => {
		const config = parseConfig(
			{
				PORT: '8080',
				HOST: '0.0.0.0',
				PUBLIC_URL: 'https://crm.example.com',
				SMTP_URL: 'smtps://user:pw@mail.example.com:465',
				ADMIN_EMAIL: 'admin@example.com',
				ADMIN_PASSWORD: 'correct horse'
			},
			CWD
		);
		expect(config.port).toBe(8080);
		expect(config.host).toBe('0.0.0.0');
		expect(config.publicUrl?.origin).toBe('https://crm.example.com');
		expect(config.smtpUrl?.hostname).toBe('mail.example.com');
		expect(config.adminEmail).toBe('admin@example.com');
		expect(config.adminPassword).toBe('correct horse');
	});

	it('PORT 0 (any free port, used by tests) is accepted', () => {
		expect(parseConfig({ PORT: '0' }, CWD).port).toBe(0);
	});

	it.each([
		['PORT', { PORT: 'abc' }],
		['PORT', { PORT: '-1' }],
		['PORT', { PORT: '3000.5' }],
		['PORT', { PORT: '70000' }],
		['HOST', { HOST: 'exa mple' }],
		['PUBLIC_URL', { PUBLIC_URL: 'not-a-url' }],
		['PUBLIC_URL', { PUBLIC_URL: 'ftp://crm.example.com' }],
		['PUBLIC_URL', { PUBLIC_URL: 'https://example.com/crm' }],
		['PUBLIC_URL', { PUBLIC_URL: 'https://example.com/?x=1' }],
		['SMTP_URL', { SMTP_URL: 'http://x' }],
		['SMTP_URL', { SMTP_URL: 'mail.example.com' }],
		['ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.com' }],
		['ADMIN_EMAIL', { ADMIN_PASSWORD: 'long enough' }],
		['ADMIN_EMAIL', { ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long enough' }],
		// Sign-in requires a dot in the domain: an admin the form would refuse is refused here.
		['ADMIN_EMAIL', { ADMIN_EMAIL: 'admin@localhost', ADMIN_PASSWORD: 'long enough' }],
		['ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: '🔑🔑🔑🔑' }],
		['ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'short' }],
		['ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'x'.repeat(1025) }],
		['LOGIN_WINDOW_MS', { LOGIN_WINDOW_MS: '10' }],
		['SYNC_UPGRADES_PER_ADDRESS', { SYNC_UPGRADES_PER_ADDRESS: '0' }],
		['SYNC_UPGRADES_PER_ADDRESS', { SYNC_UPGRADES_PER_ADDRESS: 'many' }],
		['SYNC_UPGRADES_PER_USER', { SYNC_UPGRADES_PER_USER: '-5' }],
		['SYNC_UPGRADE_WINDOW_MS', { SYNC_UPGRADE_WINDOW_MS: '999' }],
		['ADDRESS_HEADER', { ADDRESS_HEADER: 'x forwarded for' }],
		['XFF_DEPTH', { XFF_DEPTH: '0' }]
	])('a bad value stops start-up with a ConfigError naming %s (%j)', (variable, env) => {
		const error = configError(env);
		expect(error.variable).toBe(variable);
		expect(error.message.startsWith(`${variable}: `)).toBe(true);
	});

	it('[§8] upgrade rate limits default to generous values and take configured ones', () => {
		const defaults = parseConfig({}, CWD);
		expect(defaults.syncUpgradesPerAddress).toBe(3000);
		expect(defaults.syncUpgradesPerUser).toBe(600);
		expect(defaults.syncUpgradeWindowMs).toBe(60_000);
		expect(defaults.addressHeader).toBeNull();
		expect(defaults.xffDepth).toBe(1);
		const set = parseConfig(
			{
				SYNC_UPGRADES_PER_ADDRESS: '40',
				SYNC_UPGRADES_PER_USER: '20',
				SYNC_UPGRADE_WINDOW_MS: '5000',
				ADDRESS_HEADER: 'X-Forwarded-For',
				XFF_DEPTH: '2'
			},
			CWD
		);
		expect(set.syncUpgradesPerAddress).toBe(40);
		expect(set.syncUpgradesPerUser).toBe(20);
		expect(set.syncUpgradeWindowMs).toBe(5000);
		expect(set.addressHeader).toBe('x-forwarded-for');
		expect(set.xffDepth).toBe(2);
	});

	it('the message quotes the bad value so the operator can find it', () => {
		expect(configError({ PORT: 'abc' }).message).toContain('"abc"');
	});
});

describe('[§3.5] mail settings', () => {
	it('MAIL_FROM takes "Name <address>" or an address; unset is Fieldbook at PUBLIC_URL\'s host', () => {
		expect(parseConfig({}).mailFrom).toEqual({ name: 'Fieldbook', address: 'fieldbook@localhost' });
		expect(parseConfig({ PUBLIC_URL: 'https://crm.example.com' }).mailFrom.address).toBe('fieldbook@crm.example.com');
		expect(parseConfig({ MAIL_FROM: 'ACME CRM <crm@acme.test>' }).mailFrom).toEqual({
			name: 'ACME CRM',
			address: 'crm@acme.test'
		});
		expect(parseConfig({ MAIL_FROM: 'crm@acme.test' }).mailFrom).toEqual({ name: null, address: 'crm@acme.test' });
		for (const bad of ['no-address', 'A <b>', 'A\r\nBcc: x@y.z <a@b.c>', '<a@b.c> tail']) {
			expect(() => parseConfig({ MAIL_FROM: bad }), bad).toThrow(ConfigError);
		}
	});

	it('MAIL_GIVE_UP_MS defaults to 3 days and is bounded', () => {
		expect(parseConfig({}).mailGiveUpMs).toBe(3 * 24 * 3600_000);
		expect(parseConfig({ MAIL_GIVE_UP_MS: '60000' }).mailGiveUpMs).toBe(60_000);
		expect(() => parseConfig({ MAIL_GIVE_UP_MS: '5' })).toThrow(ConfigError);
		expect(() => parseConfig({ MAIL_GIVE_UP_MS: '1h' })).toThrow(ConfigError);
	});
});
