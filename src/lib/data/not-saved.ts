/**
 * What a refused change held, for the "not saved" list (SPEC §8: nothing silently lost): the
 * device's copy at the time plus its refused updates, replayed, field by field.
 */
import * as Y from 'yjs';
import { readContacts, type ContactRecord } from '$lib/schema/customer-doc';
import { describeTransaction, type FieldChange } from '$lib/schema/history';
import type { NotSavedEntry } from './device-store';

export interface NotSavedChanges {
	/** The last value of each field the refused updates changed, in the order first changed. */
	changes: FieldChange[];
	/** The record's contacts as the device had them, to name contacts. */
	contacts: ContactRecord[];
}

export function describeNotSaved(entry: Pick<NotSavedEntry, 'base' | 'updates'>): NotSavedChanges {
	const doc = new Y.Doc();
	try {
		if (entry.base) Y.applyUpdate(doc, entry.base);
		const byField = new Map<string, FieldChange>();
		doc.on('afterTransaction', (tr: Y.Transaction) => {
			for (const c of describeTransaction(tr)) {
				const key = `${c.record}:${c.contactId ?? ''}:${c.field}:${typeof c.value === 'object' && c.value ? c.value.user : ''}`;
				byField.delete(key); // keeps the latest value, in the order fields were last touched
				byField.set(key, c);
			}
		});
		for (const u of entry.updates) Y.applyUpdate(doc, u);
		return { changes: [...byField.values()], contacts: readContacts(doc, { includeDeleted: true }) };
	} finally {
		doc.destroy();
	}
}
