/**
 * Commit step: the duplicate e-mail rule across documents (server/email-claims.ts). Before the
 * projection changes, the addresses each touched customer's contacts held are read; after it,
 * claims follow the projected contacts. After the commit, contacts whose "duplicate e-mail" flag
 * no longer matches the truth get it set or cleared by the server's own change (which commits
 * and projects like any other), in whichever document they are.
 */
import { contactsMap } from '../../../src/lib/schema/customer-doc.ts';
import { SETTINGS_DOC } from '../../../src/lib/schema/settings.ts';
import type { EmailClaims } from '../../email-claims.ts';
import type { Room } from '../room.ts';
import type { CommitBatch, CommitStep } from './step.ts';

export interface EmailClaimsHost {
	/** A room, loaded when needed. */
	room(name: string): Room;
	afterCommit(fn: () => void): void;
	closing(): boolean;
}

export class EmailClaimsStep implements CommitStep {
	readonly name = 'email claims';
	private heldBefore = new Map<string, string[]>();

	constructor(
		private readonly emails: EmailClaims,
		private readonly host: EmailClaimsHost
	) {}

	private concerned(batch: CommitBatch) {
		return batch.docs.filter((d) => d.name !== SETTINGS_DOC && d.touched.emails);
	}

	before(batch: CommitBatch): void {
		this.heldBefore = new Map(this.concerned(batch).map((d) => [d.name, this.emails.keysOf(d.name)]));
	}

	run(batch: CommitBatch): void {
		const docs = new Set<string>();
		const keys = new Set<string>();
		for (const d of this.concerned(batch)) {
			docs.add(d.name);
			for (const key of this.emails.settle(d.name, this.heldBefore.get(d.name) ?? [], batch.now)) keys.add(key);
		}
		this.heldBefore = new Map();
		if (docs.size > 0) this.host.afterCommit(() => this.restoreFlags(docs, keys));
	}

	private restoreFlags(docs: Set<string>, keys: Set<string>): void {
		if (this.host.closing()) return;
		for (const { doc, contactId, duplicate } of this.emails.flagsToChange(docs, keys)) {
			this.host.room(doc).serverChange((d) => {
				const contact = contactsMap(d).get(contactId);
				if (contact && (contact.get('duplicateEmail') === true) !== duplicate) contact.set('duplicateEmail', duplicate);
			});
		}
	}
}
