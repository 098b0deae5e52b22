/**
 * What is typed into a customer section being edited and not written yet. A value is written
 * when its field is left (as before the page had a view mode: the same Yjs writes, offline
 * too); an invalid value stays here with its error, so nothing typed is lost (SPEC §8).
 * Fields not typed into show the document's value live, so others' edits appear as they land.
 */
import type { DraftError } from '$lib/schema/customer-doc';
import type { CustomerState, EditableField } from './customer.svelte';

export class CustomerDrafts {
	drafts = $state<Partial<Record<EditableField, string>>>({});
	errors = $state<Partial<Record<EditableField, DraftError>>>({});
	/** The stored value each draft began from: a long text's change is replayed onto what others saved meanwhile. */
	private readonly bases: Partial<Record<EditableField, string>> = {};

	constructor(
		private readonly customer: () => CustomerState,
		/** After a value was written. */
		private readonly onsaved: () => void
	) {}

	stored(key: EditableField): string {
		const v = this.customer().customer[key];
		return typeof v === 'string' ? v : '';
	}

	/** What was typed into a field. */
	input(key: EditableField, value: string): void {
		if (this.drafts[key] === undefined) this.bases[key] = this.stored(key);
		this.drafts[key] = value;
	}

	shown(key: EditableField): string {
		return this.drafts[key] ?? this.stored(key);
	}

	commit(key: EditableField, value: string | null): void {
		const customer = this.customer();
		const before = customer.savedAt;
		const error = customer.setField(key, value, this.bases[key]);
		if (error) {
			this.errors[key] = error;
			return;
		}
		delete this.errors[key];
		delete this.drafts[key];
		delete this.bases[key];
		if (customer.savedAt !== before) this.onsaved();
	}

	commitDraft(key: EditableField): void {
		const draft = this.drafts[key];
		if (draft !== undefined) this.commit(key, draft);
	}

	/** Writes what is typed in these fields; true when none is left invalid (the section may close). */
	commitAll(keys: readonly EditableField[]): boolean {
		for (const k of keys) this.commitDraft(k);
		return keys.every((k) => !this.errors[k]);
	}
}
