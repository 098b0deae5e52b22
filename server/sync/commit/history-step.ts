/** Commit step: who changed which fields, one history row per field change, with the update's sequence number. */
import type { HistoryLog } from '../../history.ts';
import type { CommitBatch, CommitStep } from './step.ts';

export class HistoryStep implements CommitStep {
	readonly name = 'history';

	constructor(private readonly history: HistoryLog) {}

	run({ updates, seqs, now }: CommitBatch): void {
		updates.forEach((u, i) => {
			if (u.changes) this.history.record(u.doc, u.userId, now, u.changes, seqs[i]);
		});
	}
}
