/**
 * Sales document numbers (issue #12): one sequence per kind (INV, EST, CN, PRO, printed by
 * formatSalesNumber), a number assigned when the server first stores a document, inside the
 * commit's transaction. The commit queue runs one transaction at a time, so documents created
 * concurrently on several offline devices get distinct, consecutive numbers in the order the
 * server stores them; a number is never reused (trashed and removed documents keep theirs,
 * and the sequence only grows). The number reaches the document afterwards, as the server's
 * own change (write-back.ts); until then the device shows a draft number.
 */
import type { Db } from '../db.ts';

const cache = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
	return {
		get: db.prepare('SELECT number FROM sales_numbers WHERE customer_id = ? AND sale_id = ?').pluck(),
		next: db
			.prepare(
				`INSERT INTO sales_sequences (kind, last) VALUES (?, 1)
				 ON CONFLICT (kind) DO UPDATE SET last = last + 1 RETURNING last`
			)
			.pluck(),
		insert: db.prepare(
			'INSERT INTO sales_numbers (customer_id, sale_id, kind, number, allocated_at) VALUES (?, ?, ?, ?, ?)'
		),
		pending: db.prepare(
			`SELECT customer_id, id, number FROM sales WHERE number IS NOT NULL AND doc_number IS NOT number`
		)
	};
}

const stmts = (db: Db) => cache.get(db) ?? cache.set(db, prepare(db)).get(db)!;

/** The number of a sales document: the one it was given, or the next of its kind. Inside a transaction. */
export function allocateNumber(db: Db, customerId: string, saleId: string, kind: string, now: number): number {
	const s = stmts(db);
	const known = s.get.get(customerId, saleId) as number | undefined;
	if (known !== undefined) return known;
	const number = s.next.get(kind) as number;
	s.insert.run(customerId, saleId, kind, number, now);
	return number;
}

/** Numbers the documents do not hold yet (a write-back not committed before a crash), by customer. */
export function unwrittenNumbers(db: Db): Map<string, Map<string, number>> {
	const out = new Map<string, Map<string, number>>();
	for (const r of stmts(db).pending.all() as { customer_id: string; id: string; number: number }[]) {
		const m = out.get(r.customer_id) ?? new Map<string, number>();
		m.set(r.id, r.number);
		out.set(r.customer_id, m);
	}
	return out;
}
