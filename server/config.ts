/**
 * Configuration from the environment, parsed and validated once at start-up.
 * A bad value stops the process with a message naming the variable.
 */
import path from 'node:path';
import { email, newPassword } from '../src/lib/schema/fields.ts';

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	/** Public origin the app is reached at (scheme://host[:port]); null = derive from the Host header. */
	publicUrl: URL | null;
	/** SMTP server to deliver mail through; null keeps mail in the outbox. */
	smtpUrl: URL | null;
	/** The From of outgoing mail (MAIL_FROM: `Name <address>` or an address). */
	mailFrom: { name: string | null; address: string };
	/** A mail still failing temporarily this long after it was queued fails for good (MAIL_GIVE_UP_MS). */
	mailGiveUpMs: number;
	adminEmail: string | null;
	adminPassword: string | null;
	/** The first admin's name (ADMIN_NAME); unset: the e-mail's local part. */
	adminName: string | null;
	/** Largest WebSocket message accepted on /sync, in bytes. */
	syncMaxMessageBytes: number;
	/** Interval at which idle sync sockets get a keep-alive message, in ms. */
	syncKeepaliveMs: number;
	/** Fold a document's update log into a snapshot once it holds this many updates. */
	syncCompactAfter: number;
	/** How long history and projection may follow the commit they derive from, in ms (sync/derived.ts). */
	syncDerivedLagMs: number;
	loginMaxPerAccount: number;
	loginMaxPerAddress: number;
	loginWindowMs: number;
	/** Failed sign-ins of one account from all addresses per window before attempts are slowed. */
	loginSlowdownAfter: number;
	loginSlowdownMs: number;
	/** Absolute lifetime of a session from sign-in, however often it is used. */
	sessionMaxAgeMs: number;
	/** Open /sync and /feed sockets per user; an upgrade over it gets HTTP 429. */
	syncMaxSocketsPerUser: number;
	/** Sync bytes a user may send per second (bursts up to 2 s of it); more is held back, a flood closed (4429). */
	syncBytesPerUserPerSec: number;
	/** Contacts one customer may hold, the trash included; an update past it is refused (4413). */
	syncMaxContacts: number;
	/** WebSocket upgrades (/sync, /feed) per client address per window; over it: HTTP 429. */
	syncUpgradesPerAddress: number;
	/** WebSocket upgrades per signed-in user per window; over it: HTTP 429. */
	syncUpgradesPerUser: number;
	syncUpgradeWindowMs: number;
	/** adapter-node's ADDRESS_HEADER (lower case), read here too so upgrades count the same address; null = the peer. */
	addressHeader: string | null;
	/** adapter-node's XFF_DEPTH: trusted proxies counted from the right of X-Forwarded-For. */
	xffDepth: number;
	/** Largest file an import may upload (IMPORT_MAX_BYTES), streamed to disk, never held in memory. */
	importMaxBytes: number;
}

export class ConfigError extends Error {
	constructor(
		readonly variable: string,
		message: string
	) {
		super(`${variable}: ${message}`);
		this.name = 'ConfigError';
	}
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | null {
	const v = env[name];
	if (v === undefined) return null;
	const t = v.trim();
	return t === '' ? null : t;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
	const v = str(env, name);
	if (v === null) return fallback;
	if (!/^\d+$/.test(v)) throw new ConfigError(name, `expected a whole number, got "${v}"`);
	const n = Number(v);
	if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
	return n;
}

function url(env: Env, name: string, protocols: string[]): URL | null {
	const v = str(env, name);
	if (v === null) return null;
	let u: URL;
	try {
		u = new URL(v);
	} catch {
		throw new ConfigError(name, `not a valid URL: "${v}"`);
	}
	if (!protocols.includes(u.protocol)) {
		throw new ConfigError(name, `must start with ${protocols.map((p) => p + '//').join(' or ')}, got "${v}"`);
	}
	return u;
}

/** `Name <address>` or `address`; by default Fieldbook at PUBLIC_URL's host (or localhost). */
function mailFrom(env: Env, publicUrl: URL | null): Config['mailFrom'] {
	const v = str(env, 'MAIL_FROM');
	if (v === null) return { name: 'Fieldbook', address: `fieldbook@${publicUrl?.hostname ?? 'localhost'}` };
	const m = /^(?:([^<>"\r\n]*?)\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(v);
	const address = m ? (m[2] ?? m[3]) : '';
	if (!m || !/^[^\s@]+@[^\s@]+$/.test(address)) {
		throw new ConfigError('MAIL_FROM', `expected "Name <address>" or an address, got "${v}"`);
	}
	return { name: m[1] ? m[1].trim() : null, address };
}

export function parseConfig(env: Env = process.env, cwd = process.cwd()): Config {
	const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']);
	if (publicUrl && (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash)) {
		throw new ConfigError('PUBLIC_URL', 'must be an origin only (scheme://host[:port]), without a path');
	}
	const host = str(env, 'HOST') ?? '127.0.0.1';
	if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) throw new ConfigError('HOST', `not a host name or address: "${host}"`);

	const adminEmail = str(env, 'ADMIN_EMAIL');
	const adminPassword = env.ADMIN_PASSWORD && env.ADMIN_PASSWORD !== '' ? env.ADMIN_PASSWORD : null;
	if ((adminEmail === null) !== (adminPassword === null)) {
		throw new ConfigError(
			adminEmail === null ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD',
			'ADMIN_EMAIL and ADMIN_PASSWORD must be set together'
		);
	}
	// The same rules as the sign-in form, so the configured admin can always sign in.
	if (adminEmail !== null && !email(adminEmail, true).ok) {
		throw new ConfigError('ADMIN_EMAIL', `not an e-mail address: "${adminEmail}"`);
	}
	if (adminPassword !== null && !newPassword(adminPassword).ok) {
		throw new ConfigError('ADMIN_PASSWORD', 'must be 8 characters to 1 KB long');
	}

	const addressHeader = str(env, 'ADDRESS_HEADER')?.toLowerCase() ?? null;
	// An HTTP header name (RFC 9110 token).
	if (addressHeader !== null && !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(addressHeader)) {
		throw new ConfigError('ADDRESS_HEADER', `not a header name: "${addressHeader}"`);
	}

	return {
		port: int(env, 'PORT', 3000, 0, 65535),
		host,
		dataDir: path.resolve(cwd, str(env, 'DATA_DIR') ?? './data'),
		publicUrl,
		smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
		mailFrom: mailFrom(env, publicUrl),
		mailGiveUpMs: int(env, 'MAIL_GIVE_UP_MS', 3 * 24 * 3600_000, 60_000, 365 * 24 * 3600_000),
		adminEmail,
		adminPassword,
		adminName: str(env, 'ADMIN_NAME')?.slice(0, 200) ?? null,
		syncMaxMessageBytes: int(env, 'SYNC_MAX_MESSAGE_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
		syncKeepaliveMs: int(env, 'SYNC_KEEPALIVE_MS', 15_000, 100, 29_000),
		syncCompactAfter: int(env, 'SYNC_COMPACT_AFTER', 500, 1, 1_000_000),
		syncDerivedLagMs: int(env, 'SYNC_DERIVED_LAG_MS', 0, 0, 3600_000),
		loginMaxPerAccount: int(env, 'LOGIN_MAX_PER_ACCOUNT', 10, 1, 10_000),
		loginMaxPerAddress: int(env, 'LOGIN_MAX_PER_ADDRESS', 50, 1, 100_000),
		loginWindowMs: int(env, 'LOGIN_WINDOW_MS', 15 * 60_000, 1000, 24 * 3600_000),
		loginSlowdownAfter: int(env, 'LOGIN_SLOWDOWN_AFTER', 20, 1, 1_000_000),
		loginSlowdownMs: int(env, 'LOGIN_SLOWDOWN_MS', 1000, 0, 60_000),
		sessionMaxAgeMs: int(env, 'SESSION_MAX_AGE_MS', 90 * 24 * 3600_000, 1000, 3650 * 24 * 3600_000),
		syncMaxSocketsPerUser: int(env, 'SYNC_MAX_SOCKETS_PER_USER', 200, 1, 100_000),
		syncBytesPerUserPerSec: int(env, 'SYNC_BYTES_PER_USER_PER_SEC', 1024 * 1024, 1024, 1024 * 1024 * 1024),
		syncMaxContacts: int(env, 'SYNC_MAX_CONTACTS', 1000, 1, 1_000_000),
		// Generous: a browser opens one socket per customer on screen plus one feed, and the
		// stock client reconnects every 2.5 s at worst; these only stop loops and scripts.
		syncUpgradesPerAddress: int(env, 'SYNC_UPGRADES_PER_ADDRESS', 3000, 1, 10_000_000),
		syncUpgradesPerUser: int(env, 'SYNC_UPGRADES_PER_USER', 600, 1, 10_000_000),
		syncUpgradeWindowMs: int(env, 'SYNC_UPGRADE_WINDOW_MS', 60_000, 1000, 24 * 3600_000),
		addressHeader,
		xffDepth: int(env, 'XFF_DEPTH', 1, 1, 100),
		importMaxBytes: int(env, 'IMPORT_MAX_BYTES', 256 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024)
	};
}
