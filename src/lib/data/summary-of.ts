/** A customer's list summary from the state the device stores of it. */
import * as Y from 'yjs';
import { summarize, type CustomerSummary } from '$lib/schema/customer-doc';
import { SETTINGS_DOC } from '$lib/schema/settings';

/**
 * The summary of a customer document given as its updates in order (the committed snapshot,
 * then the pending changes); null for the settings, a document that holds no customer (yet),
 * or updates that do not apply (the document itself is kept either way).
 */
export function summaryOf(name: string, state: readonly Uint8Array[]): CustomerSummary | null {
	if (name === SETTINGS_DOC) return null;
	// A guid spares Yjs making a random UUID per document (~60 µs each in Chromium).
	const doc = new Y.Doc({ guid: name });
	try {
		for (const u of state) Y.applyUpdate(doc, u);
		return summarize(name, doc);
	} catch (e) {
		console.error(`Fieldbook: could not summarise ${name}`, e);
		return null;
	} finally {
		doc.destroy();
	}
}
