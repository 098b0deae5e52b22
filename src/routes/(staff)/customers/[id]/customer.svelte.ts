/**
 * One customer open on screen: wraps its LiveDoc, mirrors the document into `$state` on every
 * update (local, from the device, or live from others) and carries out the page's edits with
 * the schema's functions, so the UI never writes the Y.Doc itself.
 */
import { mergeText } from '$lib/schema/text-merge';
import { canManage, canWrite, toAccess, type RecordAccess } from '$lib/schema/access';
import {
	addContact,
	addManager,
	managers,
	primaryContactId,
	readContacts,
	readCustomer,
	removeManager,
	restoreContact,
	restoreCustomer,
	setPrimaryContact,
	trashContact,
	trashCustomer,
	updateContact,
	updateCustomer,
	validateContact,
	validateCustomer,
	contactsMap,
	type ContactData,
	type ContactRecord,
	type CustomerData,
	type DraftError
} from '$lib/schema/customer-doc';
import { newId } from '$lib/schema/ids';
import { recordRegion, type CountryCode } from '$lib/schema/phones';
import { setCustomValues } from '$lib/schema/custom-values';
import { CUSTOMER_FIELDS, emailKey, type ContactField, type CustomerField, type FieldValue } from '$lib/schema/records';
import { duplicateEmail, type DuplicateEmail } from '$lib/data/duplicates';
import type { LiveDoc, Presence } from '$lib/data/live-doc';
import type { Workspace } from '$lib/data/workspace.svelte';
import { getLocale } from '$lib/paraglide/runtime';
import { contactName, sortContacts } from './contact-order';
import type { Caret } from './remote-caret';
import { ModulesState } from './modules/modules.svelte';

const stringOr = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export { contactName };

/** Customer fields edited in place on the page. */
export type EditableField = Exclude<
	CustomerField,
	'kind' | 'primaryContactId' | 'createdBy' | 'createdAt' | 'updatedBy' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

export type ContactError = DraftError | 'duplicate';

export type SaveResult =
	| { ok: true; id: string }
	/** `gone`: the contact being edited was deleted meanwhile (by someone else). */
	| { ok: false; errors: Partial<Record<ContactField, ContactError>>; gone: boolean };

export class CustomerState {
	customer = $state.raw<CustomerData>({});
	/** Live contacts, primary first, then by name (contact-order.ts). */
	contacts = $state.raw<ContactRecord[]>([]);
	/** Contacts in the trash, most recently deleted first. */
	deletedContacts = $state.raw<ContactRecord[]>([]);
	managers = $state.raw<string[]>([]);
	others = $state.raw<Presence[]>([]);
	/** The server has answered with its copy (false while offline). */
	synced = $state(false);
	/** Bumped by every local write, for the "saved on this device" note. */
	savedAt = $state<number | null>(null);

	readonly exists = $derived(this.customer.kind === 'company' || this.customer.kind === 'person');
	readonly trashed = $derived(typeof this.customer.deletedAt === 'number');
	readonly name = $derived.by(() => {
		if (this.customer.kind === 'company') return String(this.customer.companyName ?? '').trim();
		const primary = this.contacts.find((c) => c.primary) ?? this.contacts[0];
		return primary ? contactName(primary) : String(this.customer.companyName ?? '').trim();
	});
	readonly primary = $derived(this.contacts.find((c) => c.primary) ?? null);

	/** Sales documents, contracts, tickets and projects of this customer (issue #12). */
	readonly modules: ModulesState;

	private closed = false;

	constructor(
		private readonly workspace: Workspace,
		readonly id: string,
		readonly live: LiveDoc
	) {
		this.modules = new ModulesState(live.doc, workspace.user.id, () => this.committed());
		this.read();
		this.readPresence();
		this.synced = live.provider.synced;
		live.doc.on('update', this.read);
		live.provider.awareness.on('change', this.readPresence);
		live.provider.on('sync', this.onSync);
	}

	/** The region this record's phones are read in for their E.164 form (tel: links; the export's rule). */
	get phoneRegion(): CountryCode | null {
		return recordRegion(stringOr(this.customer.country), this.workspace.phoneRegion);
	}

	/** SPEC §2: managers and admins always; every staff user when the record is public-write. */
	get canEdit(): boolean {
		return canWrite(this.workspace.user, this.access());
	}

	/** SPEC §2, §4: only managers and admins change who manages the record and its access. */
	get canManage(): boolean {
		return canManage(this.workspace.user, this.access());
	}

	/** The inputs of the schema's access rules (access.ts), defined once for device and server. */
	private access(): RecordAccess {
		const managers = new Set(this.managers); // eslint-disable-line svelte/prefer-svelte-reactivity -- an argument, not state
		return { access: toAccess(this.customer.access), managers };
	}

	private readonly read = () => {
		const doc = this.live.doc;
		this.customer = readCustomer(doc);
		this.contacts = sortContacts(readContacts(doc), getLocale());
		this.deletedContacts = readContacts(doc, { includeDeleted: true })
			.filter((c) => typeof c.deletedAt === 'number')
			.sort((a, b) => Number(b.deletedAt) - Number(a.deletedAt));
		this.managers = managers(doc);
		this.modules.read();
	};

	private readonly readPresence = () => {
		this.others = this.live.others();
	};

	private readonly onSync = (synced: boolean) => {
		this.synced = synced;
	};

	/**
	 * The server's duplicate e-mail flag on a contact of this record, with the other contacts
	 * this device can open that use the address (duplicates.ts); null when it is not flagged.
	 */
	duplicateOf(contact: ContactRecord): DuplicateEmail | null {
		return duplicateEmail(this.workspace.summaries, contact);
	}

	/** Who else is editing `field` ("customer.phone", "contact.<id>.email"; a prefix ending in "."). */
	editorsOf(field: string): Presence[] {
		return this.others.filter((o) =>
			o.editing === null ? false : field.endsWith('.') ? o.editing.startsWith(field) : o.editing === field
		);
	}

	setEditing(field: string | null): void {
		if (!this.closed) this.live.setEditing(field);
	}

	/** In a long text: where the caret is, for the others' screens (remote-caret.ts). */
	setCaret(caret: Caret): void {
		if (!this.closed) this.live.setCaret(caret);
	}

	/**
	 * Checks one field and writes it if valid (SPEC §8: invalid values are never written).
	 * Returns the error, or null when the value was written or unchanged.
	 */
	setField(field: EditableField, raw: string | null, base?: string): DraftError | null {
		const spec = CUSTOMER_FIELDS[field];
		// A long text typed from `base` keeps what others saved meanwhile (issue #14).
		if (typeof raw === 'string' && base !== undefined && 'collaborative' in spec && spec.collaborative) {
			const stored = this.customer[field];
			raw = mergeText(base, raw, typeof stored === 'string' ? stored : '');
		}
		let value: string | null = typeof raw === 'string' ? raw.trim() : null;
		if (value === '') value = null;
		if (value && spec.type === 'text' && 'format' in spec && spec.format === 'url') value = withScheme(value);
		const error = validateCustomer({ ...this.customer, [field]: value })[field];
		if (error) return error;
		if ((this.customer[field] ?? null) === value) return null;
		updateCustomer(this.live.doc, { [field]: value }, this.workspace.user.id, Date.now());
		this.committed();
		return null;
	}

	/**
	 * Checks several customer fields together (the labelled e-mails and phones of issue #13
	 * item 2, which "make primary" changes at once) and writes those that changed, in one
	 * transaction; nothing is written while one is invalid. Returns the errors by field.
	 */
	setFields(fields: CustomerData): Partial<Record<string, DraftError>> {
		const errors = validateCustomer({ ...this.customer, ...fields }) as Partial<Record<string, DraftError>>;
		const mine = Object.fromEntries(Object.keys(fields).flatMap((k) => (errors[k] ? [[k, errors[k]]] : [])));
		if (Object.keys(mine).length > 0) return mine;
		const changed = Object.fromEntries(
			Object.entries(fields).filter(([k, v]) => norm(v) !== norm(this.customer[k as keyof CustomerData]))
		) as CustomerData;
		if (Object.keys(changed).length === 0) return {};
		updateCustomer(this.live.doc, changed, this.workspace.user.id, Date.now());
		this.committed();
		return {};
	}

	/**
	 * Validates and saves a contact in one transaction: nothing is written unless every field
	 * passes. `initial` are the values the form started from; only fields changed since then
	 * are written, so a concurrent edit of another field by someone else survives.
	 */
	saveContact(input: { id: string | null; fields: ContactData; initial: ContactData; primary: boolean }): SaveResult {
		const errors: Partial<Record<ContactField, ContactError>> = validateContact(input.fields);
		const key = emailKey(input.fields.email);
		// An address kept as it was is not refused again: a contact the server flagged as a
		// duplicate stays editable (the flag shows it, SPEC §6), only a new address is checked.
		const kept = input.id !== null && key === emailKey(input.initial.email);
		if (!errors.email && key && !kept && this.emailTaken(key, input.id)) errors.email = 'duplicate';
		const doc = this.live.doc;
		const existing = input.id ? contactsMap(doc).get(input.id) : null;
		const gone = existing !== null && (!existing || !!existing.get('deletedAt'));
		if (gone || Object.keys(errors).length > 0) return { ok: false, errors, gone };

		const author = this.workspace.user.id;
		const now = Date.now();
		const id = input.id ?? newId(now);
		doc.transact(() => {
			if (input.id) {
				const changed: ContactData = {};
				for (const [k, v] of Object.entries(input.fields) as [ContactField, ContactData[ContactField]][]) {
					if (norm(v) !== norm(input.initial[k])) changed[k] = v;
				}
				if (Object.keys(changed).length > 0) updateContact(doc, id, changed, author, now);
				if (input.primary && primaryContactId(doc) !== id) setPrimaryContact(doc, id);
			} else {
				addContact(doc, { id, fields: input.fields, authorId: author, now, primary: input.primary });
			}
		});
		this.committed();
		return { ok: true, id };
	}

	/** SPEC §2: contact e-mails are unique (case-insensitive, trimmed) among all contacts. */
	private emailTaken(key: string, self: string | null): boolean {
		for (const [id, m] of contactsMap(this.live.doc).entries()) {
			if (id !== self && !m.get('deletedAt') && emailKey(m.get('email')) === key) return true;
		}
		return this.workspace.summaries.some((s) => s.id !== this.id && s.contacts.some((c) => emailKey(c.email) === key));
	}

	/** Writes additional field values (already checked) of the customer, or of a contact. */
	setCustom(contactId: string | null, values: Record<string, FieldValue>): void {
		if (Object.keys(values).length === 0) return;
		setCustomValues(this.live.doc, contactId, values, this.workspace.user.id, Date.now());
		this.committed();
	}

	/** Makes a staff member a manager; the server notifies them (SPEC §2). */
	addManager(userId: string): void {
		if (this.managers.includes(userId)) return;
		addManager(this.live.doc, userId, this.workspace.user.id, Date.now());
		this.committed();
	}

	/** Removes a manager; false when refused (the last manager stays: a record keeps one). */
	removeManager(userId: string): boolean {
		if (!removeManager(this.live.doc, userId, this.workspace.user.id, Date.now())) return false;
		this.committed();
		return true;
	}

	trashContact(id: string): void {
		trashContact(this.live.doc, id, Date.now());
		this.committed();
	}

	restoreContact(id: string): void {
		restoreContact(this.live.doc, id);
		this.committed();
	}

	trash(): void {
		trashCustomer(this.live.doc, this.workspace.user.id, Date.now());
		this.committed();
	}

	restore(): void {
		restoreCustomer(this.live.doc);
		this.committed();
	}

	/** After a local change: write it to the device, refresh the summary, push it. */
	private committed(): void {
		this.savedAt = Date.now();
		const { live, workspace, id } = this;
		void (async () => {
			await live.flush();
			await workspace.recordChanged(id, live.doc);
		})().catch((e: unknown) => console.error('Fieldbook: saving the change on this device failed', e));
	}

	/** Stops listening and closes the document (after writing what is queued). */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.live.doc.off('update', this.read);
		this.live.provider.awareness.off('change', this.readPresence);
		this.live.provider.off('sync', this.onSync);
		this.live.setEditing(null);
		await this.live.close();
	}
}

const norm = (v: unknown) => (typeof v === 'string' ? v.trim() || null : (v ?? null));

/** "example.com" → "https://example.com": people rarely type the scheme of a website. */
function withScheme(v: string): string {
	return /^[a-z][a-z0-9+.-]*:/i.test(v) || !/^[^\s/]+\.[^\s/]+/.test(v) ? v : `https://${v}`;
}
