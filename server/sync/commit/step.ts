/**
 * What a commit does beyond the update log, as typed steps (issue #15 item 5). The commit
 * queue appends a batch of updates to the store in one SQLite transaction; inside that
 * transaction, after the append, the steps run in the order they are given (commit-effects.ts):
 * every step's `before` first (reading the state the batch is about to change), then every
 * step's `run`. Should the transaction fail, everything the steps wrote rolls back with it.
 */
import type * as Y from 'yjs';
import type { FieldChange } from '../../../src/lib/schema/history.ts';
import type { Touched } from '../../projection.ts';
import type { QueuedUpdate } from '../commit-queue.ts';

/** One document of a batch, loaded (its room holds the document as the batch leaves it). */
export interface BatchDoc {
	name: string;
	doc: Y.Doc;
	/** What the batch changed in it, field by field (null: unknown, so everything). */
	changes: FieldChange[] | null;
	/** Which derived parts the changes touch (projection.ts touchedBy). */
	touched: Touched;
	/** The user whose update is the batch's last one of this document (null: the server's). */
	author: string | null;
}

export interface CommitBatch {
	/** The updates in the order they were appended, with their sequence numbers. */
	updates: readonly QueuedUpdate[];
	seqs: readonly number[];
	/** The commit's time, one for every step. */
	now: number;
	/** The batch's documents, in the order of their first update. */
	docs: readonly BatchDoc[];
}

export interface CommitStep {
	readonly name: string;
	/** Reads what the step needs of the state before any step of this commit writes. */
	before?(batch: CommitBatch): void;
	/** Writes the step's part, inside the commit's transaction. */
	run(batch: CommitBatch): void;
}
