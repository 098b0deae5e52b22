/**
 * Commit step: the SQL projection of the batch's documents whose e-mail addresses it changed
 * (contacts added, removed, trashed or re-addressed; a customer created or trashed). The e-mail
 * claims, which stay in the commit, read those projected contacts (email-claims-step.ts), so
 * such a document is projected here with everything it still lacks; every other document is
 * projected after the commit (../derived.ts).
 */
import type * as Y from 'yjs';
import { SETTINGS_DOC } from '../../../src/lib/schema/settings.ts';
import type { Touched } from '../../projection.ts';
import { mergeUpdate, projectionOf, type PendingDoc } from '../derived.ts';
import type { CommitBatch, CommitStep } from './step.ts';

export type Project = (name: string, doc: Y.Doc, by: string | null, touched: Touched) => void;

export class ProjectionStep implements CommitStep {
	readonly name = 'projection';
	/** The documents the commit being written projected (the derived work after it skips them). */
	projected: ReadonlySet<string> = new Set();

	constructor(
		private readonly project: Project,
		/** What a document's projection lacks from earlier commits (derived.ts). */
		private readonly owed: (name: string) => PendingDoc | undefined
	) {}

	run({ docs, updates }: CommitBatch): void {
		const projected = new Set<string>();
		const now = docs.filter((d) => d.name !== SETTINGS_DOC && d.touched.emails);
		this.projected = projected;
		if (now.length === 0) return;
		const pending = new Map<string, PendingDoc>();
		for (const d of now) {
			const p = this.owed(d.name);
			pending.set(d.name, p ? { ...p, changes: p.changes && [...p.changes] } : { changes: [], author: null });
		}
		for (const u of updates) {
			const p = pending.get(u.doc);
			if (p) mergeUpdate(p, u);
		}
		for (const d of now) {
			const { touched, by } = projectionOf(pending.get(d.name)!);
			this.project(d.name, d.doc, by, touched);
			projected.add(d.name);
		}
	}
}
