/**
 * Runs a commit's steps (commit/*.ts) inside its transaction, in order: the SQL projection of
 * documents whose e-mail addresses changed, duplicate e-mail claims, and the access index with
 * its revocations. The update log itself is the store's append, which comes first in the same
 * transaction (commit-queue.ts). Once the commit is written, what it owes beyond that (history
 * rows, the rest of the projection and its mails) is handed to derived.ts, written after the
 * acknowledgement. Documents of the batch that are not loaded are skipped by the per-document
 * steps: a room stays loaded until its queued updates are committed (room.ts), so that only
 * happens to a room a storage failure broke, whose batch rolls back anyway.
 */
import type { FieldChange } from '../../src/lib/schema/history.ts';
import { touchedBy } from '../projection.ts';
import type { BatchDoc, CommitBatch, CommitStep } from './commit/step.ts';
import type { ProjectionStep } from './commit/projection-step.ts';
import type { QueuedUpdate } from './commit-queue.ts';
import type { Derived } from './derived.ts';
import type { Room } from './room.ts';

export class CommitEffects {
	/** The commit time of the batch being written (history rows carry it). */
	private now = 0;

	constructor(
		private readonly steps: readonly CommitStep[],
		private readonly projection: ProjectionStep,
		private readonly derived: Derived,
		private readonly loaded: (name: string) => Room | undefined
	) {}

	/** Inside the commit transaction of a batch (CommitQueue's `within`). */
	run(batch: QueuedUpdate[], seqs: number[]): void {
		this.now = Date.now();
		const b: CommitBatch = { updates: batch, seqs, now: this.now, docs: this.docs(batch) };
		for (const step of this.steps) step.before?.(b);
		for (const step of this.steps) step.run(b);
	}

	/** After the commit of a batch: what it owes beyond the log and the steps is derived next. */
	committed(batch: QueuedUpdate[], seqs: number[]): void {
		this.derived.add(batch, seqs, this.now, this.projection.projected);
		this.projection.projected = new Set();
	}

	/** The batch's loaded documents with what it changed in each (null: unknown) and its last author. */
	private docs(batch: QueuedUpdate[]): BatchDoc[] {
		const changes = new Map<string, FieldChange[] | null>();
		const authors = new Map<string, string | null>();
		for (const u of batch) {
			authors.set(u.doc, u.userId);
			const known = changes.get(u.doc);
			if (known === null) continue;
			if (!u.changes) changes.set(u.doc, null);
			else if (known) known.push(...u.changes);
			else changes.set(u.doc, [...u.changes]);
		}
		const docs: BatchDoc[] = [];
		for (const [name, changed] of changes) {
			const room = this.loaded(name);
			if (!room) continue;
			docs.push({
				name,
				doc: room.doc,
				changes: changed,
				touched: touchedBy(changed),
				author: authors.get(name) ?? null
			});
		}
		return docs;
	}
}
