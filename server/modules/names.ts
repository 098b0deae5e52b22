/**
 * What people call a module record, read from the projection (migration 011): a sales
 * document's number ("INV-000042") or, before it has one, its subject; a contract's or
 * ticket's subject; a project's or task's name. Used by the history and the mails.
 */
import { formatSalesNumber, SALES_KINDS, type ModuleRoot, type SalesKind } from '../../src/lib/schema/modules.ts';
import { DOC } from '../../src/lib/schema/records.ts';
import type { Db } from '../db.ts';
import { stmt } from './statements.ts';

const NAME_SQL: Partial<Record<ModuleRoot, string>> = {
	[DOC.sales]: 'SELECT kind, number, subject AS name FROM sales WHERE id = ? AND customer_id = ?',
	[DOC.salesLines]: 'SELECT description AS name FROM sales_lines WHERE id = ? AND customer_id = ?',
	[DOC.contracts]: 'SELECT subject AS name FROM contracts WHERE id = ? AND customer_id = ?',
	[DOC.tickets]: 'SELECT subject AS name FROM tickets WHERE id = ? AND customer_id = ?',
	[DOC.projects]: 'SELECT name FROM projects WHERE id = ? AND customer_id = ?',
	[DOC.tasks]: 'SELECT name FROM tasks WHERE id = ? AND customer_id = ?'
};

/** A sales document's printed name: its number, else its subject. */
export function saleName(row: { kind: unknown; number: unknown; subject?: unknown }): string | null {
	const kind = (SALES_KINDS as readonly unknown[]).includes(row.kind) ? (row.kind as SalesKind) : null;
	const number = kind ? formatSalesNumber(kind, row.number) : null;
	return number ?? (typeof row.subject === 'string' ? row.subject : null);
}

export function moduleRecordName(db: Db, customerId: string, root: ModuleRoot, id: string): string | null {
	const sql = NAME_SQL[root];
	if (!sql) return null;
	const row = stmt(db, sql).get(id, customerId) as { kind?: string; number?: number; name: string | null } | undefined;
	if (!row) return null;
	if (root === DOC.sales) return saleName({ kind: row.kind, number: row.number, subject: row.name });
	return row.name;
}
