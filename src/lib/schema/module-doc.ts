/**
 * Reading and changing the portal modules' records in a customer document (layout in
 * modules.ts). The same functions run on the device (staff edits, offline too), on the server
 * (projection, numbering, portal actions) and in tests.
 */
import * as Y from 'yjs';
import {
	DECIDABLE_KINDS,
	MODULE_FIELDS,
	formatSalesNumber,
	isSalesStatusOf,
	type ContractField,
	type ModuleRoot,
	type ProjectField,
	type SalesField,
	type SalesKind,
	type SalesLineField,
	type TaskField,
	type TicketField,
	type TicketReplyField
} from './modules.ts';
import { DOC, checkValue, type FieldValue } from './records.ts';
import { documentTotals, type DocumentTotals } from './totals.ts';

export type Fields<K extends string> = Partial<Record<K, FieldValue>>;

/** The records of one module root: id → that record's fields. */
export const moduleMap = (doc: Y.Doc, root: ModuleRoot) => doc.getMap<Y.Map<FieldValue>>(root);

/** Field-level checks of a module record's values (spec in modules.ts); error codes by field. */
export function validateModuleFields(root: ModuleRoot, fields: Record<string, unknown>): Record<string, string> {
	const specs: Record<string, Parameters<typeof checkValue>[0]> = MODULE_FIELDS[root];
	const errors: Record<string, string> = {};
	for (const [k, v] of Object.entries(fields)) {
		const spec = specs[k];
		const e = spec ? checkValue(spec, v) : 'invalid';
		if (e) errors[k] = e;
	}
	return errors;
}

/** Trims text; empty text becomes null (a cleared field). */
function clean(fields: Record<string, FieldValue | undefined>): Record<string, FieldValue> {
	const out: Record<string, FieldValue> = {};
	for (const [k, v] of Object.entries(fields)) {
		if (v === undefined) continue;
		out[k] = typeof v === 'string' ? v.trim() || null : v;
	}
	return out;
}

/** Creates a record under `id` with its creation stamps (one transaction). */
export function createRecord(
	doc: Y.Doc,
	root: ModuleRoot,
	input: { id: string; fields: Record<string, FieldValue | undefined>; authorId: string; now: number }
): void {
	doc.transact(() => {
		const m = new Y.Map<FieldValue>();
		for (const [k, v] of Object.entries(clean(input.fields))) m.set(k, v);
		m.set('createdBy', input.authorId);
		m.set('createdAt', input.now);
		if ('updatedBy' in MODULE_FIELDS[root]) {
			m.set('updatedBy', input.authorId);
			m.set('updatedAt', input.now);
		}
		moduleMap(doc, root).set(input.id, m);
	});
}

/** Sets the given fields of a record (only those that differ) and stamps who changed it. */
export function updateRecord(
	doc: Y.Doc,
	root: ModuleRoot,
	id: string,
	fields: Record<string, FieldValue | undefined>,
	authorId: string,
	now: number
): void {
	const m = moduleMap(doc, root).get(id);
	if (!m) return;
	doc.transact(() => {
		for (const [k, v] of Object.entries(clean(fields))) if (m.get(k) !== v) m.set(k, v);
		if ('updatedBy' in MODULE_FIELDS[root]) {
			m.set('updatedBy', authorId);
			m.set('updatedAt', now);
		}
	});
}

/** Moves a record to the trash (restorable, like customers and contacts). */
export function trashRecord(doc: Y.Doc, root: ModuleRoot, id: string, authorId: string, now: number): void {
	updateRecord(doc, root, id, { deletedAt: now, deletedBy: authorId }, authorId, now);
}

export function restoreRecord(doc: Y.Doc, root: ModuleRoot, id: string, authorId: string, now: number): void {
	updateRecord(doc, root, id, { deletedAt: null, deletedBy: null }, authorId, now);
}

/** Removes a record that has no trash (a sales line): the key goes, with all its fields. */
export function removeRecord(doc: Y.Doc, root: ModuleRoot, id: string): void {
	if (moduleMap(doc, root).has(id)) moduleMap(doc, root).delete(id);
}

export type ModuleRecord<K extends string> = Fields<K> & { id: string };

/** Every record of a root as plain data (the trashed too unless `live`). */
export function readRecords<K extends string>(doc: Y.Doc, root: ModuleRoot, opts: { live?: boolean } = {}) {
	const out: ModuleRecord<K>[] = [];
	for (const [id, m] of moduleMap(doc, root).entries()) {
		if (!(m instanceof Y.Map)) continue;
		if (opts.live && m.get('deletedAt')) continue;
		out.push({ ...(m.toJSON() as Fields<K>), id });
	}
	return out;
}

// ---- sales documents -------------------------------------------------------------------

export type SaleLine = ModuleRecord<SalesLineField>;

export interface Sale extends ModuleRecord<SalesField> {
	kind: SalesKind;
	/** "INV-000042", or null while the server has not numbered it. */
	displayNumber: string | null;
	lines: SaleLine[];
	totals: DocumentTotals;
}

/** Lines of a sales document in order (position, then id). */
export function saleLines(doc: Y.Doc, saleId: string): SaleLine[] {
	return readRecords<SalesLineField>(doc, DOC.salesLines)
		.filter((l) => l.saleId === saleId)
		.sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0) || a.id.localeCompare(b.id));
}

function toSale(r: ModuleRecord<SalesField>, lines: SaleLine[]): Sale | null {
	const kind = r.kind as SalesKind;
	if (!(kind in { invoice: 1, estimate: 1, creditNote: 1, proposal: 1 })) return null;
	return { ...r, kind, displayNumber: formatSalesNumber(kind, r.number), lines, totals: documentTotals(lines) };
}

export function readSale(doc: Y.Doc, id: string): Sale | null {
	const m = moduleMap(doc, DOC.sales).get(id);
	if (!(m instanceof Y.Map)) return null;
	return toSale({ ...(m.toJSON() as Fields<SalesField>), id }, saleLines(doc, id));
}

/** Sales documents (trashed ones only with `includeDeleted`), newest first. */
export function readSales(doc: Y.Doc, opts: { includeDeleted?: boolean } = {}): Sale[] {
	const lines = new Map<string, SaleLine[]>();
	for (const l of readRecords<SalesLineField>(doc, DOC.salesLines)) {
		if (typeof l.saleId !== 'string') continue;
		const list = lines.get(l.saleId) ?? [];
		list.push(l);
		lines.set(l.saleId, list);
	}
	const out: Sale[] = [];
	for (const r of readRecords<SalesField>(doc, DOC.sales, { live: !opts.includeDeleted })) {
		const own = (lines.get(r.id) ?? []).sort(
			(a, b) => Number(a.position ?? 0) - Number(b.position ?? 0) || a.id.localeCompare(b.id)
		);
		const sale = toSale(r, own);
		if (sale) out.push(sale);
	}
	return out.sort((a, b) => b.id.localeCompare(a.id));
}

/** A new sales document: a draft, dated today unless given. */
export function createSale(
	doc: Y.Doc,
	input: { id: string; kind: SalesKind; authorId: string; now: number; fields?: Fields<SalesField> }
): void {
	createRecord(doc, DOC.sales, {
		id: input.id,
		authorId: input.authorId,
		now: input.now,
		fields: {
			status: 'draft',
			date: new Date(input.now).toISOString().slice(0, 10),
			...input.fields,
			kind: input.kind
		}
	});
}

/** Adds a line at the end of a sales document. */
export function addSaleLine(
	doc: Y.Doc,
	input: { id: string; saleId: string; authorId: string; now: number; fields?: Fields<SalesLineField> }
): void {
	const last = saleLines(doc, input.saleId).at(-1);
	createRecord(doc, DOC.salesLines, {
		id: input.id,
		authorId: input.authorId,
		now: input.now,
		fields: {
			quantity: 1,
			unitPrice: 0,
			taxRate: 0,
			position: typeof last?.position === 'number' ? last.position + 1 : 0,
			...input.fields,
			saleId: input.saleId
		}
	});
}

/** A sent estimate or proposal the customer may still accept or decline. */
export function isDecidable(sale: Pick<Sale, 'kind' | 'status' | 'deletedAt'>): boolean {
	return DECIDABLE_KINDS.includes(sale.kind) && sale.status === 'sent' && !sale.deletedAt;
}

/** An invoice is overdue when sent, not paid, and its due date (YYYY-MM-DD) is before `today`. */
export function isOverdue(sale: Pick<Sale, 'kind' | 'status' | 'dueDate' | 'deletedAt'>, today: string): boolean {
	return (
		sale.kind === 'invoice' &&
		sale.status === 'sent' &&
		!sale.deletedAt &&
		typeof sale.dueDate === 'string' &&
		sale.dueDate < today
	);
}

/** The status if it belongs to the kind, else draft (a value written for another kind). */
export function statusOf(sale: Pick<Sale, 'kind' | 'status'>): string {
	return isSalesStatusOf(sale.kind, sale.status) ? String(sale.status) : 'draft';
}

// ---- contracts, tickets, projects ------------------------------------------------------

export type Contract = ModuleRecord<ContractField>;
export type Ticket = ModuleRecord<TicketField> & { replies: ModuleRecord<TicketReplyField>[] };
export type Project = ModuleRecord<ProjectField> & { tasks: ModuleRecord<TaskField>[] };

export const readContracts = (doc: Y.Doc, opts: { includeDeleted?: boolean } = {}): Contract[] =>
	readRecords<ContractField>(doc, DOC.contracts, { live: !opts.includeDeleted }).sort((a, b) =>
		b.id.localeCompare(a.id)
	);

/** Tickets newest first, each with its replies oldest first. */
export function readTickets(doc: Y.Doc, opts: { includeDeleted?: boolean } = {}): Ticket[] {
	const replies = readRecords<TicketReplyField>(doc, DOC.ticketReplies).sort(
		(a, b) => Number(a.createdAt ?? 0) - Number(b.createdAt ?? 0) || a.id.localeCompare(b.id)
	);
	return readRecords<TicketField>(doc, DOC.tickets, { live: !opts.includeDeleted })
		.map((t) => ({ ...t, replies: replies.filter((r) => r.ticketId === t.id) }))
		.sort((a, b) => b.id.localeCompare(a.id));
}

/** Projects newest first, each with its live tasks by due date (none last), then id. */
export function readProjects(doc: Y.Doc, opts: { includeDeleted?: boolean } = {}): Project[] {
	const tasks = readRecords<TaskField>(doc, DOC.tasks, { live: true }).sort(
		(a, b) => String(a.dueDate ?? '9999').localeCompare(String(b.dueDate ?? '9999')) || a.id.localeCompare(b.id)
	);
	return readRecords<ProjectField>(doc, DOC.projects, { live: !opts.includeDeleted })
		.map((p) => ({ ...p, tasks: tasks.filter((t) => t.projectId === p.id) }))
		.sort((a, b) => b.id.localeCompare(a.id));
}

/**
 * Asks the server to mail a sales document or contract to the chosen contacts (SPEC §3.2):
 * written on the device like any edit, so it waits offline and is mailed once when stored.
 * Marks a draft as sent in the same transaction.
 */
export function requestSend(
	doc: Y.Doc,
	input: {
		id: string;
		target: typeof DOC.sales | typeof DOC.contracts;
		recordId: string;
		recipients: readonly string[];
		authorId: string;
		now: number;
	}
): void {
	doc.transact(() => {
		createRecord(doc, DOC.sends, {
			id: input.id,
			authorId: input.authorId,
			now: input.now,
			fields: { target: input.target, recordId: input.recordId, recipients: input.recipients.join(' ') }
		});
		const record = moduleMap(doc, input.target).get(input.recordId);
		if (record && record.get('status') === 'draft')
			updateRecord(doc, input.target, input.recordId, { status: 'sent' }, input.authorId, input.now);
	});
}

/** The contact ids of a send request's recipients. */
export const sendRecipients = (v: unknown): string[] =>
	typeof v === 'string' ? v.split(' ').filter((s) => /^[A-Za-z0-9_-]{1,64}$/.test(s)) : [];
