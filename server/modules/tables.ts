/**
 * How each module record maps to its SQL row (migration 011): one column reader per column,
 * from the record's Y.Map. Values are read defensively (a field of the wrong type becomes
 * NULL), as server/projection.ts does: a projection must never fail the commit it runs in.
 */
import type * as Y from 'yjs';
import { lineTotals } from '../../src/lib/schema/totals.ts';
import { DOC } from '../../src/lib/schema/records.ts';
import type { ModuleRoot } from '../../src/lib/schema/modules.ts';

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;
type Reader = (m: Y.Map<unknown>) => SqlValue;

export const text =
	(field: string): Reader =>
	(m) => {
		const v = m.get(field);
		return typeof v === 'string' && v !== '' ? v : null;
	};
export const int =
	(field: string): Reader =>
	(m) => {
		const v = m.get(field);
		return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
	};
export const real =
	(field: string): Reader =>
	(m) => {
		const v = m.get(field);
		return typeof v === 'number' && Number.isFinite(v) ? v : null;
	};
export const flag =
	(field: string): Reader =>
	(m) => {
		const v = m.get(field);
		return v === true ? 1 : v === false ? 0 : null;
	};

const STAMPS = {
	created_by: text('createdBy'),
	created_at: int('createdAt'),
	updated_at: int('updatedAt'),
	deleted_at: int('deletedAt')
};

export interface TableSpec {
	table: string;
	/** Columns besides id and customer_id. */
	columns: Record<string, Reader>;
}

/** The mirrored roots, sales (with its number and totals) and sends aside: those have their own modules. */
export const TABLES: Partial<Record<ModuleRoot, TableSpec>> = {
	[DOC.salesLines]: {
		table: 'sales_lines',
		columns: {
			sale_id: text('saleId'),
			position: int('position'),
			description: text('description'),
			quantity: real('quantity'),
			unit_price: int('unitPrice'),
			tax_rate: real('taxRate'),
			// totals.ts per line; a document's totals are the sums (documentTotals does the same).
			net: (m) =>
				lineTotals({ quantity: m.get('quantity'), unitPrice: m.get('unitPrice'), taxRate: m.get('taxRate') }).net,
			tax: (m) =>
				lineTotals({ quantity: m.get('quantity'), unitPrice: m.get('unitPrice'), taxRate: m.get('taxRate') }).tax
		}
	},
	[DOC.contracts]: {
		table: 'contracts',
		columns: {
			subject: text('subject'),
			value: int('value'),
			currency: text('currency'),
			start_date: text('startDate'),
			end_date: text('endDate'),
			status: text('status'),
			signed: flag('signed'),
			signed_at: int('signedAt'),
			...STAMPS
		}
	},
	[DOC.tickets]: {
		table: 'tickets',
		columns: {
			subject: text('subject'),
			status: text('status'),
			contact_id: text('contactId'),
			opened_by_contact: text('openedByContact'),
			...STAMPS
		}
	},
	[DOC.ticketReplies]: {
		table: 'ticket_replies',
		columns: {
			ticket_id: text('ticketId'),
			body: text('body'),
			by_contact: text('byContact'),
			created_by: text('createdBy'),
			created_at: int('createdAt')
		}
	},
	[DOC.projects]: {
		table: 'projects',
		columns: {
			name: text('name'),
			status: text('status'),
			start_date: text('startDate'),
			deadline: text('deadline'),
			tasks_visible: flag('tasksVisible'),
			...STAMPS
		}
	},
	[DOC.tasks]: {
		table: 'tasks',
		columns: {
			project_id: text('projectId'),
			name: text('name'),
			status: text('status'),
			due_date: text('dueDate'),
			...STAMPS
		}
	},
	[DOC.sales]: {
		table: 'sales',
		columns: {
			kind: text('kind'),
			doc_number: int('number'),
			subject: text('subject'),
			date: text('date'),
			due_date: text('dueDate'),
			currency: text('currency'),
			status: text('status'),
			contact_id: text('contactId'),
			decided_at: int('decidedAt'),
			decided_by_contact: text('decidedByContact'),
			overdue_notified_at: int('overdueNotifiedAt'),
			...STAMPS
		}
	}
};

/** A record's row from its map (without the columns the caller computes). */
export function rowOf(spec: TableSpec, customerId: string, id: string, m: Y.Map<unknown>): Row {
	const row: Row = { id, customer_id: customerId };
	for (const [column, read] of Object.entries(spec.columns)) row[column] = read(m);
	return row;
}
