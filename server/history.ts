/**
 * The history of customer records (issue #4): which fields of the customer or of one of its
 * contacts each committed update changed, by whom and when (migration 007).
 *
 * What changed is read from the Yjs transaction that applied the update (`tr.changed`: the
 * keys changed per shared type), so describing an update costs what the update touched, not
 * the size of the document. Rows are written inside the transaction that commits the update.
 */
import {
	HISTORY_CREATED,
	HISTORY_VALUE_MAX,
	isModuleRoot,
	type FieldChange,
	type HistoryChangeView,
	type HistoryEntryView,
	type HistoryPage,
	type HistoryRecordKind,
	type ManagerChange
} from '../src/lib/schema/history.ts';
import type { Db } from './db.ts';
import { moduleRecordName } from './modules/names.ts';

export type { FieldChange } from '../src/lib/schema/history.ts';
// Shared with the device, which shows what a refused change held.
export { describeTransaction } from '../src/lib/schema/history.ts';

/** One change event as stored: the changes one update made, by one user, at one time. */
export interface HistoryEntry {
	at: number;
	userId: string | null;
	seq: number | null;
	changes: FieldChange[];
}

interface HistoryRow {
	id: number;
	seq: number | null;
	at: number;
	user_id: string | null;
	record: HistoryRecordKind;
	contact_id: string | null;
	record_id: string | null;
	field: string;
	value: string | null;
}

/** Long text is cut short: the history says what changed; the document keeps the whole value. */
function encodeValue(v: FieldChange['value']): string {
	const short = typeof v === 'string' && v.length > HISTORY_VALUE_MAX ? v.slice(0, HISTORY_VALUE_MAX) + '…' : v;
	return JSON.stringify(short);
}

function decodeValue(s: string | null): FieldChange['value'] {
	if (s === null) return null;
	try {
		return JSON.parse(s) as FieldChange['value'];
	} catch {
		return null;
	}
}

/** Which record a change belongs to: the customer, one contact, or one module record. */
const recordKey = (c: FieldChange) => `${c.record}\u0000${c.contactId ?? ''}\u0000${c.recordId ?? ''}`;

/**
 * A field a new record was created without (empty, off, or a list kept as its own rows): the
 * history shows what a record was created with, so such rows are not written — an import of
 * 10,000 contacts would otherwise write six "permission off" rows for each. A later change of
 * such a field reads its earlier value as empty (or off, see `previous`).
 */
const isBlank = (v: FieldChange['value']) => v === null || v === '' || v === false;

/** The records `changes` created (null: none), by recordKey. */
function createdRecords(changes: FieldChange[]): Set<string> | null {
	let created: Set<string> | null = null;
	for (const c of changes) if (c.field === HISTORY_CREATED) (created ??= new Set()).add(recordKey(c));
	return created;
}

const isManagerChange = (v: FieldChange['value']): v is ManagerChange =>
	typeof v === 'object' && v !== null && typeof (v as ManagerChange).user === 'string';

export class HistoryLog {
	private readonly stmts;

	constructor(private readonly db: Db) {
		this.stmts = {
			insert: db.prepare(
				`INSERT INTO history (doc, seq, at, user_id, record, contact_id, record_id, field, value)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
			),
			// The same field of the same record, the newest row before `id` (migration 011's index).
			previous: db.prepare(
				`SELECT value FROM history WHERE doc = ? AND field = ? AND record = ? AND contact_id IS ? AND record_id IS ?
				 AND id < ? ORDER BY id DESC LIMIT 1`
			),
			// Was the record created (in the history) before row `id`?
			created: db.prepare(
				`SELECT 1 FROM history WHERE doc = ? AND field = '${HISTORY_CREATED}' AND record = ? AND contact_id IS ?
				 AND record_id IS ? AND id < ? LIMIT 1`
			),
			// Pages end on a whole millisecond, so events sharing one are never split across pages.
			times: db.prepare('SELECT DISTINCT at FROM history WHERE doc = ? AND at < ? ORDER BY at DESC LIMIT ?'),
			rows: db.prepare('SELECT * FROM history WHERE doc = ? AND at >= ? AND at < ? ORDER BY at DESC, id ASC'),
			userName: db.prepare('SELECT name FROM users WHERE id = ?'),
			contactName: db.prepare('SELECT first_name, last_name FROM contacts WHERE id = ? AND customer_id = ?')
		};
	}

	/**
	 * Records what one committed update changed. Runs inside the transaction that commits the
	 * update (a savepoint of it); on its own it is one transaction.
	 */
	record(doc: string, userId: string | null, at: number, changes: FieldChange[], seq: number | null = null): void {
		if (changes.length === 0) return;
		const created = createdRecords(changes);
		const write = () => {
			for (const c of changes) {
				if (created !== null && c.field !== HISTORY_CREATED && isBlank(c.value) && created.has(recordKey(c))) continue;
				this.stmts.insert.run(
					doc,
					seq,
					at,
					userId,
					c.record,
					c.contactId,
					c.recordId ?? null,
					c.field,
					encodeValue(c.value)
				);
			}
		};
		// Inside the commit (the usual case) a nested transaction would only add a savepoint.
		if (this.db.inTransaction) write();
		else this.db.transaction(write)();
	}

	/**
	 * Change events of `doc`, newest first: at most `limit` distinct times before `before`
	 * (ms, exclusive), every event at those times whole.
	 */
	list(doc: string, opts: { limit: number; before?: number }): HistoryEntry[] {
		return this.read(doc, opts).entries.map(({ at, userId, seq, changes }) => ({ at, userId, seq, changes }));
	}

	/**
	 * The value a field had before row `rowId` changed it (null: none recorded). A switch the
	 * record was created without (no row: see isBlank) was off.
	 */
	private previous(doc: string, c: FieldChange, rowId: number): FieldChange['value'] {
		const recordId = c.recordId ?? null;
		const row = this.stmts.previous.get(doc, c.field, c.record, c.contactId, recordId, rowId) as
			{ value: string | null } | undefined;
		if (row) return decodeValue(row.value);
		if (typeof c.value === 'boolean' && this.stmts.created.get(doc, c.record, c.contactId, recordId, rowId))
			return false;
		return null;
	}

	private read(
		doc: string,
		opts: { limit: number; before?: number }
	): { entries: (HistoryEntry & { rowIds: number[] })[]; full: boolean } {
		const before = opts.before ?? Number.MAX_SAFE_INTEGER;
		const limit = Math.max(1, Math.floor(opts.limit));
		const times = this.stmts.times.all(doc, before, limit) as { at: number }[];
		if (times.length === 0) return { entries: [], full: false };
		const oldest = times[times.length - 1].at;
		const events = new Map<string, HistoryEntry & { last: number; rowIds: number[] }>();
		for (const r of this.stmts.rows.all(doc, oldest, before) as HistoryRow[]) {
			const key = `${r.at}\u0000${r.user_id ?? ''}\u0000${r.seq ?? ''}`;
			let e = events.get(key);
			if (!e) {
				e = { at: r.at, userId: r.user_id, seq: r.seq, changes: [], last: r.id, rowIds: [] };
				events.set(key, e);
			}
			e.last = Math.max(e.last, r.id);
			const change: FieldChange = {
				record: r.record,
				contactId: r.contact_id,
				field: r.field,
				value: decodeValue(r.value)
			};
			if (r.record_id !== null) change.recordId = r.record_id;
			e.changes.push(change);
			e.rowIds.push(r.id);
		}
		const entries = [...events.values()]
			.sort((a, b) => b.at - a.at || b.last - a.last)
			.map(({ at, userId, seq, changes, rowIds }) => ({ at, userId, seq, changes, rowIds }));
		return { entries, full: times.length === limit };
	}

	/** A page for the API: authors, managers and contacts with their current names. */
	page(doc: string, opts: { limit: number; before?: number }): HistoryPage {
		const { entries, full } = this.read(doc, opts);
		const users = new Map<string, string | null>();
		const userName = (id: string) => {
			if (!users.has(id)) users.set(id, (this.stmts.userName.get(id) as { name: string } | undefined)?.name ?? null);
			return users.get(id)!;
		};
		const contacts = new Map<string, string | null>();
		const contactName = (id: string) => {
			if (!contacts.has(id)) {
				const r = this.stmts.contactName.get(id, doc) as
					{ first_name: string | null; last_name: string | null } | undefined;
				contacts.set(id, r ? `${r.first_name ?? ''} ${r.last_name ?? ''}`.trim() || null : null);
			}
			return contacts.get(id)!;
		};
		const views: HistoryEntryView[] = entries.map((e) => ({
			at: e.at,
			seq: e.seq,
			author: e.userId === null ? null : { id: e.userId, name: userName(e.userId) },
			changes: e.changes.map((c, i): HistoryChangeView => {
				if (isManagerChange(c.value))
					return { ...c, value: { ...c.value, name: userName(c.value.user) }, contactName: null };
				const from = c.field === HISTORY_CREATED ? null : this.previous(doc, c, e.rowIds[i]);
				const view: HistoryChangeView = {
					...c,
					value: c.value,
					from: isManagerChange(from) ? null : from,
					contactName: c.contactId === null ? null : contactName(c.contactId)
				};
				if (c.recordId !== undefined && isModuleRoot(c.record))
					view.recordName = moduleRecordName(this.db, doc, c.record, c.recordId);
				return view;
			})
		}));
		return { entries: views, next: full ? entries[entries.length - 1].at : null };
	}
}
