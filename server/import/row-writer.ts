/**
 * One import row written (issue #13 item 3): matched with what exists (the source key of an
 * earlier import, else a live contact with the same e-mail, else for a company row a company
 * of the same name), then skipped, updated or created by the run's rule. A row is one change
 * of one customer document, made as the server for the importer (ServerDocs: History names
 * the importer, devices receive it by sync): written whole or not at all. Companies are
 * created once per name within a run and matched to existing readable ones.
 *
 * A row that meets a record an earlier import produced is never created again, whatever the
 * rule: the same file twice creates nothing new.
 */
import type * as Y from 'yjs';
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import { CUSTOM_PREFIX } from '../../src/lib/schema/custom-values.ts';
import {
	addContact,
	contactsMap,
	customerMap,
	initCustomer,
	updateContact,
	updateCustomer,
	type ContactData,
	type CustomerData
} from '../../src/lib/schema/customer-doc.ts';
import { isValueKey } from '../../src/lib/schema/contact-values.ts';
import { newId } from '../../src/lib/schema/ids.ts';
import { samePhoneNumber } from '../../src/lib/schema/phones.ts';
import { emailKey, type FieldValue, type PortalPermission } from '../../src/lib/schema/records.ts';
import type { ServerDocs } from '../sync/server-docs.ts';
import type { ImportMatch } from './import-match.ts';
import type { ImportStore, KeyTarget, MatchRule, Outcome, RecordedRow } from './import-store.ts';
import type { RowResult } from './row-draft.ts';
import { companyKey, planRecords, sourceKey, type RecordPlan } from './to-records.ts';

export interface WriterDeps {
	docs: ServerDocs;
	match: ImportMatch;
	store: ImportStore;
	canRead(customerId: string): boolean;
	canWrite(customerId: string): boolean;
	maxContacts: number;
	permissions: Partial<Record<PortalPermission, boolean>>;
	/** The workspace's additional fields, as they were when the run started. */
	customFields: readonly CustomFieldDef[];
}

export interface WriterRun {
	id: string;
	userId: string;
	rule: MatchRule;
	layout: string;
}

type Change = { customerId: string; contactId: string | null; action: 'created' | 'updated'; previous?: unknown };
type Written = {
	outcome: Outcome;
	reason?: string;
	changes?: Change[];
	target?: KeyTarget;
	/** Company fields of the row that an existing company did not take. */
	notKept?: string[];
};

/**
 * What a row may meet: its source key, its e-mails, its company. Rows sharing one are written
 * one after the other, in file order (the second finds what the first made); rows sharing
 * none are written side by side, and their commits grouped.
 */
export function rowKeys(layout: string, r: RowResult): string[] {
	if (r.kind === 'refused') return [];
	const d = r.draft;
	const keys = [sourceKey(layout, d)];
	if (d.company.trim()) keys.push(`c:${companyKey(d.company)}`);
	for (const e of d.emails) keys.push(`e:${emailKey(e.value)}`);
	return keys;
}

/** Fields an update may change on a matched record (never who made it, never the welcome choice). */
/**
 * Rule "update" writes every field the row carries (the plan holds only non-empty values), but
 * not what names the record or decides for it: a matched record keeps its kind and company
 * name, and a contact keeps its welcome-mail choice.
 */
const NOT_UPDATED: ReadonlySet<string> = new Set(['kind', 'companyName', 'doNotSendWelcome']);
const updatable = (wanted: Record<string, unknown>) => Object.keys(wanted).filter((k) => !NOT_UPDATED.has(k));

/** Companies of a run kept loaded at a time (their contacts often come row after row, or wave after wave). */
const KEPT_COMPANIES = 1000;

export class RowWriter {
	private readonly companies: Map<string, string>;
	/** Company documents kept loaded while the run adds contacts to them, least recently used first. */
	private readonly kept = new Map<string, () => void>();

	constructor(
		private readonly deps: WriterDeps,
		private readonly run: WriterRun
	) {
		this.companies = deps.match.companies((id) => deps.canRead(id));
	}

	/** The run is over: the company documents it kept loaded may be unloaded. */
	close(): void {
		for (const release of this.kept.values()) release();
		this.kept.clear();
	}

	/** Keeps a company's document loaded for the rows after this one (see KEPT_COMPANIES). */
	private keep(customerId: string): void {
		const release = this.kept.get(customerId);
		if (release) {
			this.kept.delete(customerId);
			this.kept.set(customerId, release);
			return;
		}
		this.kept.set(customerId, this.deps.docs.keep(customerId));
		if (this.kept.size > KEPT_COMPANIES) {
			const [oldest, free] = this.kept.entries().next().value as [string, () => void];
			this.kept.delete(oldest);
			free();
		}
	}

	/**
	 * Writes one row; resolves with its outcome for the caller to record (ImportStore
	 * recordRows) before any later row with the same keys (rowKeys) is written. Never throws.
	 */
	async write(r: RowResult): Promise<RecordedRow> {
		if (r.kind === 'refused')
			return {
				line: r.line,
				outcome: 'refused',
				reason: r.reason,
				detail: r.column === undefined ? null : { column: r.column }
			};
		const planned = planRecords(r.draft, this.run.layout, this.deps.customFields);
		if (!planned.ok) return { line: r.line, outcome: 'refused', reason: 'invalid', detail: { field: planned.field } };
		const plan = planned.plan;
		const detail: Record<string, unknown> = {};
		if (plan.notKept.length > 0) detail.notKept = plan.notKept;
		if (r.warnings.length > 0) detail.warnings = r.warnings;
		const key = sourceKey(this.run.layout, r.draft);
		let written: Written;
		try {
			written = await this.decide(plan, key);
		} catch (e) {
			console.error('import: a row could not be written:', e);
			written = { outcome: 'refused', reason: 'write_failed' };
		}
		if (written.notKept?.length) detail.notKept = [...plan.notKept, ...written.notKept];
		return {
			line: r.line,
			outcome: written.outcome,
			reason: written.reason ?? null,
			detail,
			changes: written.changes,
			key: written.target && written.outcome !== 'refused' ? { key, target: written.target } : null
		};
	}

	private async decide(plan: RecordPlan, key: string): Promise<Written> {
		const { store, match } = this.deps;
		let target = store.keyTarget(this.run.userId, key);
		if (target && (!match.live(target.customerId, target.contactId) || !this.deps.canRead(target.customerId))) {
			store.dropKey(this.run.userId, key);
			target = null;
		}
		const fromKey = target !== null;
		target ??= this.existing(plan);
		if (target) {
			if (this.run.rule === 'skip' || (fromKey && this.run.rule === 'create'))
				return { outcome: 'skipped', reason: fromKey ? 'already_imported' : 'exists', target };
			if (this.run.rule === 'update') return this.update(target, plan);
		}
		return this.create(plan);
	}

	/** An existing record the row means: a live contact with its e-mail, or a company of its name. */
	private existing(plan: RecordPlan): KeyTarget | null {
		if (plan.kind === 'company') {
			const id = this.companies.get(companyKey(String(plan.customer.companyName ?? '')));
			return id ? { customerId: id, contactId: null } : null;
		}
		const email = emailKey(plan.contact.email);
		return email ? this.deps.match.contactByEmail(email, (id) => this.deps.canRead(id)) : null;
	}

	private async update(target: KeyTarget, plan: RecordPlan): Promise<Written> {
		if (!this.deps.canWrite(target.customerId)) return { outcome: 'refused', reason: 'not_writable' };
		const now = Date.now();
		const by = this.run.userId;
		const previous = await this.deps.docs.change(
			target.customerId,
			(doc) => {
				if (target.contactId === null) {
					const wanted = plan.kind === 'contact' ? plan.companyFields : plan.kind === 'company' ? plan.customer : {};
					const prev = differing(customerMap(doc), wanted, updatable(wanted));
					if (prev) updateCustomer(doc, pick(wanted, Object.keys(prev)), by, now);
					return prev;
				}
				const m = contactsMap(doc).get(target.contactId);
				if (!m || m.get('deletedAt') || plan.kind === 'company') return null;
				const prev = differing(m, plan.contact, updatable(plan.contact));
				if (prev) updateContact(doc, target.contactId, pick(plan.contact, Object.keys(prev)), by, now);
				return prev;
			},
			by
		);
		if (!previous) return { outcome: 'skipped', reason: 'unchanged', target };
		return {
			outcome: 'updated',
			target,
			changes: [{ customerId: target.customerId, contactId: target.contactId, action: 'updated', previous }]
		};
	}

	private async create(plan: RecordPlan): Promise<Written> {
		const now = Date.now();
		const by = this.run.userId;
		const { docs, permissions } = this.deps;
		const newContact = (doc: Y.Doc, id: string, fields: ContactData, primary: boolean) =>
			addContact(doc, { id, fields, authorId: by, now, defaultPermissions: permissions, primary });

		if (plan.kind === 'company' || plan.kind === 'person') {
			const customerId = newId(now);
			const contactId = plan.kind === 'person' ? newId(now) : null;
			await docs.create(
				customerId,
				(doc) => {
					initCustomer(doc, { kind: plan.kind, authorId: by, now, fields: plan.customer });
					if (plan.kind === 'person') newContact(doc, contactId!, plan.contact, true);
				},
				by
			);
			if (plan.kind === 'company') this.companies.set(companyKey(String(plan.customer.companyName)), customerId);
			return {
				outcome: 'imported',
				target: { customerId, contactId },
				changes: [{ customerId, contactId: null, action: 'created' }]
			};
		}

		const name = companyKey(plan.company);
		const contactId = newId(now);
		const companyId = this.companies.get(name);
		if (companyId) {
			if (!this.deps.canWrite(companyId)) return { outcome: 'refused', reason: 'company_not_writable' };
			if (this.deps.match.contactCount(companyId) >= this.deps.maxContacts)
				return { outcome: 'refused', reason: 'too_many_contacts' };
			this.keep(companyId);
			const added = await docs.change(
				companyId,
				(doc) => {
					if (customerMap(doc).get('deletedAt')) return false;
					newContact(doc, contactId, plan.contact, false);
					return true;
				},
				by
			);
			if (added)
				return {
					outcome: 'imported',
					target: { customerId: companyId, contactId },
					changes: [{ customerId: companyId, contactId, action: 'created' }],
					// The company existed: its address and website stay as they are.
					notKept: [
						...(Object.keys(plan.companyFields).some((k) => k !== 'website' && !k.startsWith(CUSTOM_PREFIX))
							? ['address']
							: []),
						...(plan.companyFields.website ? ['website'] : []),
						...(Object.keys(plan.companyFields).some((k) => k.startsWith(CUSTOM_PREFIX)) ? ['custom'] : [])
					]
				};
			this.companies.delete(name); // trashed meanwhile: the row makes the company anew
		}
		const customerId = newId(now);
		this.keep(customerId);
		await docs.create(
			customerId,
			(doc) => {
				const fields: CustomerData = { companyName: plan.company, ...plan.companyFields };
				initCustomer(doc, { kind: 'company', authorId: by, now, fields });
				newContact(doc, contactId, plan.contact, true);
			},
			by
		);
		this.companies.set(name, customerId);
		return {
			outcome: 'imported',
			target: { customerId, contactId },
			changes: [{ customerId, contactId: null, action: 'created' }]
		};
	}
}

/**
 * The current values of the fields `wanted` would change (a value in the row that differs
 * from the record's; an empty cell never clears a field), or null when none would.
 */
function differing(
	current: Y.Map<FieldValue>,
	wanted: Record<string, FieldValue | undefined>,
	fields: readonly string[]
): Record<string, FieldValue> | null {
	const prev: Record<string, FieldValue> = {};
	for (const f of fields) {
		const v = wanted[f];
		if (v === undefined || v === null || v === '') continue;
		const stored = current.get(f) ?? null;
		// A collaborative text (Y.Text) compares by its text.
		const now = typeof stored === 'object' && stored !== null ? String(stored) : stored;
		// The same number written another way (a vCard's tel: URI) is no change: the typed form stays.
		if (isValueKey('phone', f) && typeof now === 'string' && typeof v === 'string' && samePhoneNumber(now, v)) continue;
		if (now !== v) prev[f] = now;
	}
	return Object.keys(prev).length > 0 ? prev : null;
}

const pick = <T extends Record<string, unknown>>(o: T, keys: string[]): T =>
	Object.fromEntries(keys.map((k) => [k, o[k]])) as T;
