/**
 * The door of /sync and /feed: a WebSocket upgrade is read tolerantly, rate limited,
 * authenticated (session cookie) and its Origin checked before any document is looked at or
 * created. A refused upgrade gets a plain HTTP status and never becomes a socket.
 *
 * Rule (issue #9): nothing a client sends — request target, any header, any byte — can throw
 * out of here. The target and the cookie are parsed without throwing; anything unexpected
 * while deciding gets 400 for that request alone, and the socket's own errors (a reset
 * mid-handshake) are swallowed, never left to crash the process.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ACK_PARAM, BUNDLE_PARAM, FEED_PATH, isValidDocName, SYNC_PATH } from '../../src/lib/schema/protocol.ts';
import type { StaffRef } from '../../src/lib/schema/access.ts';
import type { SessionStore } from '../sessions.ts';
import { SESSION_COOKIE } from '../sessions.ts';
import type { UpgradeLimits } from './upgrade-limits.ts';
import { isValidHost, parseTarget } from '../request-guard.ts';

/** Who an accepted upgrade is, and what it opens. */
export interface UpgradeTarget {
	user: StaffRef;
	sessionId: string;
	/** null: the background-sync feed. */
	docName: string | null;
	wantsAcks: boolean;
	/** A feed that asked for FeedMsg.bundle frames (`?bundle=1`). */
	bundles?: boolean;
}

export interface UpgradeGate {
	sessions: SessionStore;
	upgradeLimits: UpgradeLimits;
	/** The origin browsers must send (Host-derived when no PUBLIC_URL). */
	expectedOrigin: (req: IncomingMessage) => string;
	canRead: (user: StaffRef, doc: string) => boolean;
	/** Open sockets of a user now, against `maxSocketsPerUser`. */
	socketsOf: (userId: string) => number;
	maxSocketsPerUser: number;
}

export type UpgradeDecision =
	{ kind: 'not-ours' } | { kind: 'refuse'; status: number; text: string } | { kind: 'accept'; target: UpgradeTarget };

const refuse = (status: number, text: string): UpgradeDecision => ({ kind: 'refuse', status, text });

/**
 * A cookie's value from a Cookie header, tolerant as SvelteKit's parser (the `cookie`
 * package) is: a value that is not valid percent-encoding is taken as it stands.
 */
export function readCookie(header: string | string[] | undefined, name: string): string | null {
	if (typeof header !== 'string') return null;
	for (const part of header.split(';')) {
		const i = part.indexOf('=');
		if (i <= 0 || part.slice(0, i).trim() !== name) continue;
		let value = part.slice(i + 1).trim();
		if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
		try {
			return decodeURIComponent(value);
		} catch {
			return value;
		}
	}
	return null;
}

/** Decides an upgrade. Throws nothing the client can provoke (callers still guard it). */
export function decideUpgrade(req: IncomingMessage, gate: UpgradeGate): UpgradeDecision {
	const target = parseTarget(req.url);
	if (!target || !isValidHost(req.headers.host)) {
		// A target that does not parse may still have been meant for us: refuse it plainly.
		return refuse(400, 'Bad Request');
	}
	const { pathname, params } = target;
	const isFeed = pathname === FEED_PATH;
	if (!isFeed && pathname !== SYNC_PATH && !pathname.startsWith(SYNC_PATH + '/')) return { kind: 'not-ours' };

	// Rate limits (upgrade-limits.ts): per address before anything is looked up, per user
	// right after the session; either way before any document is touched.
	if (!gate.upgradeLimits.admitAddress(req)) return refuse(429, 'Too Many Requests');
	// Origin first: a page on another site must not ride on the user's cookie (CSWSH).
	const origin = req.headers.origin;
	if (typeof origin !== 'string' || origin !== gate.expectedOrigin(req)) return refuse(403, 'Forbidden origin');
	const token = readCookie(req.headers.cookie, SESSION_COOKIE);
	const auth = token ? gate.sessions.validate(token) : null;
	if (!auth) return refuse(401, 'Unauthorized');
	const user: StaffRef = { id: auth.user.id, role: auth.user.role };
	if (!gate.upgradeLimits.admitUser(user.id)) return refuse(429, 'Too Many Requests');
	if (gate.socketsOf(user.id) >= gate.maxSocketsPerUser) return refuse(429, 'Too Many Sockets');
	if (isFeed) {
		const bundles = params.get(BUNDLE_PARAM) === '1';
		return { kind: 'accept', target: { user, sessionId: auth.session.id, docName: null, wantsAcks: true, bundles } };
	}

	// Names are plain [A-Za-z0-9_-]: anything percent-encoded or nested is refused as it stands.
	const docName = pathname.slice(SYNC_PATH.length + 1);
	if (!isValidDocName(docName)) return refuse(400, 'Bad document name');
	// A record the user may not read and a name that does not exist get the same answer,
	// and neither loads anything. New records are created through the feed's push.
	if (!gate.canRead(user, docName)) return refuse(403, 'Forbidden');
	const wantsAcks = params.get(ACK_PARAM) === '1';
	return { kind: 'accept', target: { user, sessionId: auth.session.id, docName, wantsAcks } };
}

/** Answers a refused upgrade on the raw socket and closes it. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
	try {
		socket.end(
			`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`
		);
	} catch {
		socket.destroy();
	}
}

/**
 * The socket of an upgrade belongs to us from the 'upgrade' event on: Node no longer
 * listens for its errors, and an unhandled 'error' (a client resetting mid-handshake) would
 * stop the process.
 */
export function guardSocket(socket: Duplex): void {
	if (socket.listenerCount('error') === 0) socket.on('error', () => socket.destroy());
}
