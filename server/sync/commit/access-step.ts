/**
 * Commit step: the access index (who may read and write each document) follows the batch;
 * then, still inside the commit, users who lost read access lose their live sockets on those
 * documents (a turn later would be too late: the batch is relayed right after the commit), and
 * background sync tells their feeds to remove the documents as the commit is delivered
 * (`takeAccessBefore`, read by feed.ts).
 */
import type { RecordAccess } from '../../../src/lib/schema/access.ts';
import { CloseCode } from '../../../src/lib/schema/protocol.ts';
import { SETTINGS_DOC } from '../../../src/lib/schema/settings.ts';
import type { AccessIndex } from '../access-index.ts';
import type { Room } from '../room.ts';
import type { CommitBatch, CommitStep } from './step.ts';

export class AccessStep implements CommitStep {
	readonly name = 'access';
	/** Documents whose readers the commit being delivered changed, with who could read them before. */
	private changes = new Map<string, RecordAccess | null>();

	constructor(
		private readonly access: AccessIndex,
		private readonly loaded: (name: string) => Room | undefined
	) {}

	run({ docs }: CommitBatch): void {
		this.changes = new Map();
		for (const d of docs) {
			if (d.name === SETTINGS_DOC) continue;
			const changed = this.access.update(d.name, d.doc);
			if (changed) this.changes.set(d.name, changed.before);
		}
		for (const doc of this.changes.keys()) {
			const room = this.loaded(doc);
			if (!room) continue;
			for (const c of room.conns.keys()) {
				if (!this.access.canRead({ id: c.userId, role: c.role }, doc)) c.close(CloseCode.forbidden, 'access revoked');
			}
		}
	}

	/**
	 * Who could read `doc` before the commit being delivered, if that commit changed it — told
	 * once per document: the delivery of its first update sends the whole document to those who
	 * gained access (the room already holds the batch's later updates) and tells those who lost
	 * it, so its later updates in the batch go out as ordinary changes.
	 */
	takeAccessBefore(doc: string): RecordAccess | null | undefined {
		if (!this.changes.has(doc)) return undefined;
		const before = this.changes.get(doc)!;
		this.changes.delete(doc);
		return before;
	}
}
