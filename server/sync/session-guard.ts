/**
 * A socket lives no longer than the session that opened it (issue #9, README "Security"):
 * when a session ends — sign-out, expiry, a password reset, deactivation — its /sync and
 * /feed sockets close with 4401 at once. Ends announced by the session store close them
 * immediately; expiry is caught by one timer per session, set for its expiry and re-armed
 * when the session was extended meanwhile.
 */
import { CloseCode } from '../../src/lib/schema/protocol.ts';
import type { Connection } from './connection.ts';

/** Longest a timer is set for (Node's limit is ~24.8 days; sessions live 30). */
const MAX_TIMER_MS = 6 * 3600 * 1000;

export interface SessionLookup {
	/** When the session expires (ms), or null when it has ended. Does not extend it. */
	expiresAt(sessionId: string): number | null;
}

interface Watched {
	conns: Set<Connection>;
	timer: NodeJS.Timeout | null;
}

export class SessionGuard {
	private readonly bySession = new Map<string, Watched>();

	constructor(
		private readonly sessions: SessionLookup,
		private readonly now: () => number = Date.now
	) {}

	add(conn: Connection): void {
		const id = conn.sessionId;
		if (id === null) return;
		const known = this.bySession.get(id);
		if (known) return void known.conns.add(conn);
		const w: Watched = { conns: new Set([conn]), timer: null };
		this.bySession.set(id, w);
		this.check(id, w); // the session may have ended between the upgrade and now
	}

	remove(conn: Connection): void {
		const id = conn.sessionId;
		if (id === null) return;
		const w = this.bySession.get(id);
		if (!w) return;
		w.conns.delete(conn);
		if (w.conns.size === 0) {
			if (w.timer) clearTimeout(w.timer);
			this.bySession.delete(id);
		}
	}

	/** The session ended: its sockets close now. */
	ended(sessionId: string): void {
		const w = this.bySession.get(sessionId);
		if (!w) return;
		if (w.timer) clearTimeout(w.timer);
		w.timer = null;
		for (const c of [...w.conns]) c.close(CloseCode.unauthorized, 'session ended');
	}

	/** Closes the sockets of a session that expired; otherwise waits for its (new) expiry. */
	private check(id: string, w: Watched): void {
		w.timer = null;
		let at: number | null;
		try {
			at = this.sessions.expiresAt(id);
		} catch (e) {
			console.error('sync: session check failed:', e);
			at = this.now() + 60_000; // the database may be busy: look again in a minute
		}
		if (at === null || at <= this.now()) return this.ended(id);
		const delay = Math.min(at - this.now(), MAX_TIMER_MS);
		w.timer = setTimeout(() => {
			if (this.bySession.get(id) === w) this.check(id, w);
		}, delay);
		w.timer.unref();
	}

	close(): void {
		for (const w of this.bySession.values()) if (w.timer) clearTimeout(w.timer);
		this.bySession.clear();
	}
}
