/**
 * Rewrites the SQL rows of the module records a commit touched (migration 011), inside the
 * commit's transaction, and says what each row was before and is after: the notifications
 * (notify.ts) are derived from that difference, whatever wrote the change. Only touched
 * records are rewritten, so an edit costs what it changed, not the size of the customer
 * (issue #15); a sales document is rewritten with each of its lines, for its totals.
 */
import * as Y from 'yjs';
import { SALES_KINDS, type ModuleRoot } from '../../src/lib/schema/modules.ts';
import { DOC } from '../../src/lib/schema/records.ts';
import type { Db } from '../db.ts';
import { allocateNumber } from './numbering.ts';
import { TABLES, rowOf, type Row, type TableSpec } from './tables.ts';

/** Record ids per module root a commit changed; 'all' when not known. */
export type ModuleTouch = 'all' | Map<ModuleRoot, Set<string>>;

/** One record's rows around the commit (null: no row). */
export interface RowChange {
	root: ModuleRoot;
	id: string;
	before: Row | null;
	after: Row | null;
}

/** Mirrored roots in the order they are rewritten: lines before their documents (totals). */
const ORDER: ModuleRoot[] = [
	DOC.salesLines,
	DOC.sales,
	DOC.contracts,
	DOC.tickets,
	DOC.ticketReplies,
	DOC.projects,
	DOC.tasks
];

const cache = new WeakMap<Db, Map<string, ReturnType<typeof prepare>>>();

function prepare(db: Db, spec: TableSpec) {
	const extra = spec.table === 'sales' ? ['number', 'subtotal', 'tax', 'total'] : [];
	const columns = ['id', 'customer_id', ...Object.keys(spec.columns), ...extra];
	const updates = columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`);
	return {
		get: db.prepare(`SELECT * FROM ${spec.table} WHERE id = ? AND customer_id = ?`),
		ids: db.prepare(`SELECT id FROM ${spec.table} WHERE customer_id = ?`).pluck(),
		// Record ids are chosen by devices: an id another customer's record holds keeps that row.
		upsert: db.prepare(
			`INSERT INTO ${spec.table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})
			 ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')} WHERE customer_id = excluded.customer_id`
		),
		remove: db.prepare(`DELETE FROM ${spec.table} WHERE id = ? AND customer_id = ?`),
		removeAll: db.prepare(`DELETE FROM ${spec.table} WHERE customer_id = ?`)
	};
}

function stmts(db: Db, spec: TableSpec) {
	let byTable = cache.get(db);
	if (!byTable) cache.set(db, (byTable = new Map()));
	let s = byTable.get(spec.table);
	if (!s) byTable.set(spec.table, (s = prepare(db, spec)));
	return s;
}

function sums(db: Db) {
	return db.prepare(
		'SELECT coalesce(sum(net), 0) AS subtotal, coalesce(sum(tax), 0) AS tax FROM sales_lines WHERE customer_id = ? AND sale_id = ?'
	);
}
const sumCache = new WeakMap<Db, ReturnType<typeof sums>>();

/**
 * Rewrites the touched records' rows of customer `customerId` from `doc`. Runs inside the
 * commit's transaction. Returns every row that changed.
 */
export function mirrorModules(db: Db, customerId: string, doc: Y.Doc, touch: ModuleTouch, now: number): RowChange[] {
	const changes: RowChange[] = [];
	const ids = (root: ModuleRoot): Set<string> => {
		if (touch !== 'all') return new Set(touch.get(root));
		const spec = TABLES[root]!;
		return new Set([...(stmts(db, spec).ids.all(customerId) as string[]), ...doc.getMap(root).keys()]);
	};
	const saleIds = ids(DOC.sales);
	for (const root of ORDER) {
		const spec = TABLES[root]!;
		const s = stmts(db, spec);
		const map = doc.getMap<unknown>(root);
		for (const id of root === DOC.sales ? saleIds : ids(root)) {
			const before = (s.get.get(id, customerId) as Row | undefined) ?? null;
			const m = map.get(id);
			let after: Row | null = m instanceof Y.Map ? rowOf(spec, customerId, id, m as Y.Map<unknown>) : null;
			if (root === DOC.sales && after) after = saleRow(db, customerId, after, now);
			if (after) s.upsert.run(after);
			else if (before) s.remove.run(id, customerId);
			if (root === DOC.salesLines) {
				// A line changes its document's totals, before and after (a line never moves: saleId is write-once).
				for (const r of [before, after]) if (typeof r?.sale_id === 'string') saleIds.add(r.sale_id);
			}
			if (!sameRow(before, after)) changes.push({ root, id, before, after });
		}
	}
	return changes;
}

/** A sales document's row with its server number and totals; null when it has no valid kind. */
function saleRow(db: Db, customerId: string, row: Row, now: number): Row | null {
	if (!(SALES_KINDS as readonly unknown[]).includes(row.kind)) return null;
	let sum = sumCache.get(db);
	if (!sum) sumCache.set(db, (sum = sums(db)));
	const { subtotal, tax } = sum.get(customerId, row.id) as { subtotal: number; tax: number };
	const number = allocateNumber(db, customerId, String(row.id), String(row.kind), now);
	return { ...row, number, subtotal, tax, total: subtotal + tax };
}

function sameRow(a: Row | null, b: Row | null): boolean {
	if (a === null || b === null) return a === b;
	for (const k of Object.keys(b)) if (a[k] !== b[k]) return false;
	return true;
}

/**
 * Removes the mirrored rows of a document that holds no customer. Numbers and processed send
 * requests stay: they are decisions, never taken twice.
 */
export function removeModules(db: Db, customerId: string): void {
	for (const root of ORDER) stmts(db, TABLES[root]!).removeAll.run(customerId);
}
