/**
 * The admin outbox view's queries (Settings → E-mail): filters, keyset pages (id DESC, so a
 * page costs the same at row 100,000 as at row 1), counts per status, and retry.
 */
import { MAIL_KINDS, type MailKind } from '../../src/lib/schema/mail/kinds.ts';
import type { Db } from '../db.ts';
import type { OutboxRecord } from './compose.ts';

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'skipped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxFilter {
	status?: OutboxStatus;
	kind?: MailKind;
	/** Part of the recipient's address. */
	to?: string;
	/** Keyset cursor: rows with a smaller id. */
	before?: number;
}

export type OutboxListRow = Pick<
	OutboxRecord,
	| 'id'
	| 'kind'
	| 'to_email'
	| 'status'
	| 'attempts'
	| 'last_error'
	| 'next_attempt_at'
	| 'created_at'
	| 'sent_at'
	| 'decision'
	| 'message_id'
>;

export const PAGE_SIZE = 50;

/** Reads a filter from untrusted input (query string): anything unknown is dropped. */
export function parseFilter(q: URLSearchParams): OutboxFilter {
	const f: OutboxFilter = {};
	const status = q.get('status');
	if ((OUTBOX_STATUSES as readonly (string | null)[]).includes(status)) f.status = status as OutboxStatus;
	const kind = q.get('kind');
	if ((MAIL_KINDS as readonly (string | null)[]).includes(kind)) f.kind = kind as MailKind;
	const to = q.get('to')?.trim();
	if (to) f.to = to.slice(0, 254);
	const before = q.get('before');
	if (before && /^\d{1,15}$/.test(before)) f.before = Number(before);
	return f;
}

export class OutboxAdmin {
	constructor(private readonly db: Db) {}

	list(filter: OutboxFilter, limit = PAGE_SIZE): { rows: OutboxListRow[]; next: number | null } {
		const where: string[] = [];
		const params: (string | number)[] = [];
		const add = (sql: string, value: string | number) => {
			where.push(sql);
			params.push(value);
		};
		if (filter.status) add('status = ?', filter.status);
		if (filter.kind) add('kind = ?', filter.kind);
		if (filter.to) {
			add("lower(to_email) LIKE ? ESCAPE '\\'", `%${filter.to.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`);
		}
		if (filter.before !== undefined) add('id < ?', filter.before);
		const rows = this.db
			.prepare(
				`SELECT id, kind, to_email, status, attempts, last_error, next_attempt_at, created_at, sent_at, decision, message_id
				 FROM outbox ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`
			)
			.all(...params, limit + 1) as OutboxListRow[];
		const more = rows.length > limit;
		if (more) rows.pop();
		return { rows, next: more ? rows[rows.length - 1].id : null };
	}

	counts(): Record<OutboxStatus, number> {
		const out = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
		for (const r of this.db.prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status').all() as {
			status: OutboxStatus;
			n: number;
		}[])
			out[r.status] = r.n;
		return out;
	}

	get(id: number): OutboxRecord | null {
		return (this.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRecord | undefined) ?? null;
	}

	/**
	 * Queues a failed or skipped row again, decided and rendered afresh (it never left: a 5xx
	 * or a decision not to send). Its Message-ID stays. Returns whether the row was retried.
	 */
	retry(id: number, now = Date.now()): boolean {
		return (
			this.db
				.prepare(
					`UPDATE outbox SET status = 'queued', next_attempt_at = 0, rendered = NULL, decision = NULL,
					 last_error = NULL, retried_at = ? WHERE id = ? AND status IN ('failed', 'skipped')`
				)
				.run(now, id).changes === 1
		);
	}
}
