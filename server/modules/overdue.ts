/**
 * "Invoice overdue" (issue #12 item 4): a periodic check (modules.ts runs it at start and
 * hourly) for sent invoices past their due date. Each is decided once, ever: the decision
 * (overdue_notices) and the mails to the contacts with the invoice flag are written in one
 * transaction; the document then gets overdueNotifiedAt as the server's own change.
 * "Past its due date" is by the server's calendar date (UTC): a due date is a day, not an instant.
 */
import type { Db } from '../db.ts';
import { saleName } from './names.ts';
import { mailFlagged } from './notify.ts';

/** Today as YYYY-MM-DD (UTC). */
export const isoDay = (now: number): string => new Date(now).toISOString().slice(0, 10);

interface Overdue {
	id: string;
	customer_id: string;
	number: number | null;
	subject: string | null;
	total: number;
	currency: string | null;
	due_date: string;
}

/** Decides every invoice that became overdue; returns how many mails were queued. */
export function decideOverdue(db: Db, now: number): number {
	const today = isoDay(now);
	return db.transaction(() => {
		const due = db
			.prepare(
				`SELECT s.id, s.customer_id, s.number, s.subject, s.total, s.currency, s.due_date FROM sales s
				 JOIN customers c ON c.id = s.customer_id AND c.deleted_at IS NULL
				 WHERE s.kind = 'invoice' AND s.status = 'sent' AND s.deleted_at IS NULL AND s.due_date < ?
				   AND s.overdue_notified_at IS NULL
				   AND NOT EXISTS (SELECT 1 FROM overdue_notices o WHERE o.customer_id = s.customer_id AND o.sale_id = s.id)`
			)
			.all(today) as Overdue[];
		const notice = db.prepare(
			'INSERT INTO overdue_notices (customer_id, sale_id, notified_at, queued) VALUES (?, ?, ?, ?)'
		);
		let queued = 0;
		for (const s of due) {
			const number = saleName({ kind: 'invoice', number: s.number });
			const n = mailFlagged(
				db,
				s.customer_id,
				'invoice',
				'invoice_overdue',
				`overdue:${s.customer_id}:${s.id}`,
				{
					documentName: number ?? s.subject ?? '',
					documentNumber: number,
					documentPath: `/portal/invoices/${s.id}`,
					total: s.total,
					currency: s.currency,
					dueDate: s.due_date
				},
				null,
				now
			);
			notice.run(s.customer_id, s.id, now, n);
			queued += n;
		}
		return queued;
	})();
}

/** Notices the documents do not hold yet, by customer: sale id → when it was notified. */
export function unwrittenNotices(db: Db): Map<string, Map<string, number>> {
	const rows = db
		.prepare(
			`SELECT o.customer_id, o.sale_id, o.notified_at FROM overdue_notices o
			 JOIN sales s ON s.id = o.sale_id AND s.customer_id = o.customer_id
			 WHERE s.overdue_notified_at IS NULL`
		)
		.all() as { customer_id: string; sale_id: string; notified_at: number }[];
	const out = new Map<string, Map<string, number>>();
	for (const r of rows) {
		const m = out.get(r.customer_id) ?? new Map<string, number>();
		m.set(r.sale_id, r.notified_at);
		out.set(r.customer_id, m);
	}
	return out;
}
