/**
 * The commit, assembled: the commit queue (group commit of the update log), the steps that run
 * inside its transaction, in order (commit/*.ts: the projection of documents whose e-mail
 * addresses changed, the e-mail claims, the access index with its revocations), and what is
 * derived after the acknowledgement (derived.ts: history, the rest of the projection, its mails).
 */
import * as Y from 'yjs';
import type { Db } from '../db.ts';
import type { EmailClaims } from '../email-claims.ts';
import type { HistoryLog } from '../history.ts';
import type { AccessIndex } from './access-index.ts';
import { AccessStep } from './commit/access-step.ts';
import { EmailClaimsStep } from './commit/email-claims-step.ts';
import { ProjectionStep, type Project } from './commit/projection-step.ts';
import type { CommitStep } from './commit/step.ts';
import { CommitEffects } from './commit-effects.ts';
import { CommitQueue } from './commit-queue.ts';
import { Derived } from './derived.ts';
import { DerivedWatermark } from './derived-watermark.ts';
import { loadDoc, type DocStore } from './doc-store.ts';
import type { Rooms } from './rooms.ts';

export interface CommitPipelineOptions {
	store: DocStore;
	db: Db;
	project: Project;
	access: AccessIndex;
	history?: HistoryLog;
	emails?: EmailClaims;
	derivedLagMs?: number;
	rooms: Rooms;
	closing: () => boolean;
}

export interface CommitPipeline {
	queue: CommitQueue;
	derived: Derived;
	/** The step that keeps the access index (background sync asks it who could read a document before). */
	access: AccessStep;
}

export function commitPipeline(o: CommitPipelineOptions): CommitPipeline {
	const { rooms } = o;
	const access = new AccessStep(o.access, (name) => rooms.loaded(name));
	const derived = new Derived({
		watermark: new DerivedWatermark(o.db),
		history: o.history,
		project: o.project,
		transaction: (fn) => o.db.transaction(fn)(),
		doc: (name) => {
			const room = rooms.loaded(name);
			return room
				? { doc: room.doc, temporary: false }
				: { doc: loadDoc(o.store, name) ?? new Y.Doc(), temporary: true };
		},
		flush: () => {
			// A commit's after-commit work may queue server changes: those are committed too (bounded).
			for (let i = 0; i < 16 && !queue.idle; i++) queue.flush();
		},
		lagMs: o.derivedLagMs ?? 0,
		defer: (fn) => process.nextTick(fn),
		exact: () => queue.waiting === 0
	});
	const projection = new ProjectionStep(o.project, (name) => derived.pendingDoc(name));
	const steps: CommitStep[] = [
		projection,
		...(o.emails
			? [
					new EmailClaimsStep(o.emails, {
						room: (name) => rooms.room(name),
						afterCommit: (fn) => queue.afterCommit(fn),
						closing: o.closing
					})
				]
			: []),
		access
	];
	const effects = new CommitEffects(steps, projection, derived, (name) => rooms.loaded(name));
	const queue = new CommitQueue(o.store, {
		within: (batch, seqs) => effects.run(batch, seqs),
		committed: (batch, seqs) => effects.committed(batch, seqs),
		settled: () => derived.settled()
	});
	return { queue, derived, access };
}
