/** Changes the server has not acknowledged, named for the user before anything is cleared. */
import type { CustomerSummary } from '$lib/schema/customer-doc';
import { SETTINGS_DOC } from '$lib/schema/settings';
import type { Command } from './commands';

export interface WaitingChange {
	/** The record (or SETTINGS_DOC); for a queued e-mail, the contact's customer if known. */
	doc: string | null;
	kind: 'record' | 'settings' | 'set-password-email';
	/** The record's or contact's name as this device knows it ('' when it does not). */
	name: string;
}

/** Names documents with waiting changes and queued commands from the device's summaries. */
export function nameWaiting(
	docs: readonly string[],
	commands: readonly Command[],
	summaries: readonly CustomerSummary[],
	byId: (id: string) => CustomerSummary | undefined
): WaitingChange[] {
	const out: WaitingChange[] = docs
		.filter((doc, i) => docs.indexOf(doc) === i)
		.map((doc) =>
			doc === SETTINGS_DOC ? { doc, kind: 'settings', name: '' } : { doc, kind: 'record', name: byId(doc)?.name ?? '' }
		);
	for (const c of commands) {
		const owner = summaries.find((s) => s.contacts.some((k) => k.id === c.contactId));
		const contact = owner?.contacts.find((k) => k.id === c.contactId);
		const name = contact ? `${contact.firstName} ${contact.lastName}`.trim() : '';
		out.push({ doc: owner?.id ?? null, kind: c.kind, name });
	}
	return out;
}
