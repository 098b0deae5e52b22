/**
 * Commit step: the SQL projection (customers, contacts, module records; and the mails it
 * decides, written to the outbox) kept in step with each document of the batch, only for the
 * parts the batch touched.
 */
import type * as Y from 'yjs';
import type { Touched } from '../../projection.ts';
import type { CommitBatch, CommitStep } from './step.ts';

export type Project = (name: string, doc: Y.Doc, by: string | null, touched: Touched) => void;

export class ProjectionStep implements CommitStep {
	readonly name = 'projection';

	constructor(private readonly project: Project) {}

	run({ docs }: CommitBatch): void {
		for (const d of docs) this.project(d.name, d.doc, d.author, d.touched);
	}
}
