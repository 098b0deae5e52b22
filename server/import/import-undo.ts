/**
 * The undo of a whole import run, as one step (issue #13 item 3): what the run created goes
 * to the trash as the Trash does it (a customer: deletedAt/deletedBy; a contact it added to a
 * customer that existed: the contact's deletedAt), and fields it updated get their previous
 * values back — each as the server's change made for the importer, so devices that synced
 * the import receive the undo the same way. Newest first. A record the importer may no
 * longer write, or that is gone, is counted as not undone, never an error.
 */
import {
	contactsMap,
	customerMap,
	trashContact,
	trashCustomer,
	updateContact,
	updateCustomer
} from '../../src/lib/schema/customer-doc.ts';
import type { FieldValue } from '../../src/lib/schema/records.ts';
import { DocUnavailableError, type ServerDocs } from '../sync/server-docs.ts';
import type { ImportStore } from './import-store.ts';

export interface UndoDeps {
	docs: ServerDocs;
	store: ImportStore;
	canWrite(customerId: string): boolean;
}

/** Returns how many of the run's changes could not be undone. */
export async function undoRun(deps: UndoDeps, runId: string, userId: string): Promise<number> {
	let notUndone = 0;
	for (const c of deps.store.changes(runId)) {
		if (!deps.canWrite(c.customer_id)) {
			notUndone++;
			continue;
		}
		const now = Date.now();
		try {
			await deps.docs.change(
				c.customer_id,
				(doc) => {
					const customer = customerMap(doc);
					if (c.action === 'created' && c.contact_id === null) {
						if (!customer.get('deletedAt')) trashCustomer(doc, userId, now);
						return;
					}
					if (c.action === 'created') {
						const m = contactsMap(doc).get(c.contact_id!);
						if (!m || m.get('deletedAt')) return;
						trashContact(doc, c.contact_id!, now);
						customer.set('updatedBy', userId);
						customer.set('updatedAt', now);
						return;
					}
					const previous = JSON.parse(c.previous ?? '{}') as Record<string, FieldValue>;
					if (c.contact_id === null) updateCustomer(doc, previous, userId, now);
					else updateContact(doc, c.contact_id, previous, userId, now);
				},
				userId
			);
		} catch (e) {
			if (!(e instanceof DocUnavailableError)) throw e;
			notUndone++;
		}
	}
	deps.store.markUndone(runId);
	return notUndone;
}
