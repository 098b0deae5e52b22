/**
 * Who may write what (src/lib/schema/access.ts), checked for every update before it is
 * applied, on every path (live sockets and feed pushes), together with the schema
 * (validate.ts: from the update's own structs, at a cost that does not grow with the
 * document). A refused update is refused whole: RefusedUpdateError, with the close code.
 */
import * as Y from 'yjs';
import {
	canManage,
	canWrite,
	isManagerOnly,
	isValidCreation,
	recordAccess,
	ADMINS_ONLY,
	type StaffRef
} from '../../src/lib/schema/access.ts';
import { CloseCode } from '../../src/lib/schema/protocol.ts';
import { SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import { contactsMap } from '../../src/lib/schema/customer-doc.ts';
import { MODULE_LIMITS, type ModuleRoot } from '../../src/lib/schema/modules.ts';
import { DOC } from '../../src/lib/schema/records.ts';
import { validateUpdate, type Verdict, type WriteRules } from './validate.ts';

/** Limits on what one customer may hold (SYNC_MAX_CONTACTS). */
export interface DocLimits {
	maxContacts: number;
}

/** The one refusal for a name the user may not read and a name that does not exist. */
export const NO_ACCESS = 'no access to this record';
const NO_WRITE = 'read only: you may not change this record';

/** An update the server will not apply; a live socket is closed with `code`, a feed push answered. */
export class RefusedUpdateError extends Error {
	constructor(
		readonly code: CloseCode,
		reason: string
	) {
		super(reason);
	}
}

/**
 * Checks `update` from `user` against the document `doc` (named `name`) as it is now.
 * `exists`: the server has stored (or accepted) this document — existence is the server's
 * knowledge, never read from a field a client writes (issue #9); only a name with no stored
 * document is created, by its first update. Only admins change the workspace settings;
 * readers change nothing; access and managers change only by managers and admins; fields
 * set at creation are write-once, server-owned fields are the server's, and attribution
 * names the writer (FIELD_OWNERSHIP).
 */
export function checkWrite(
	doc: Y.Doc,
	name: string,
	user: StaffRef,
	update: Uint8Array,
	exists: boolean,
	limits?: DocLimits
): void {
	if (name === SETTINGS_DOC) {
		if (user.role !== 'admin') {
			if (isNoop(doc, update)) return;
			throw new RefusedUpdateError(CloseCode.forbidden, 'only admins change the settings');
		}
		return refuseUnlessValid(validateUpdate(doc, update, 'settings'));
	}
	if (!exists) return checkCreation(user, update, limits);
	const rec = recordAccess(doc) ?? ADMINS_ONLY;
	if (!canWrite(user, rec)) {
		// A reader's sync step 2 that adds nothing is harmless; anything else is refused.
		if (isNoop(doc, update)) return;
		throw new RefusedUpdateError(CloseCode.forbidden, NO_WRITE);
	}
	const rules: WriteRules = { writer: user.id, maxRecords: recordLimit(doc, limits) };
	if (!canManage(user, rec)) rules.protect = isManagerOnly;
	refuseUnlessValid(validateUpdate(doc, update, 'customer', undefined, rules));
}

/**
 * A document that holds no customer is created by its first update, which must be valid on
 * its own and make its author a manager (initCustomer does). Anything else is refused as if
 * the name were someone else's record: nothing is loaded or created.
 */
export function checkCreation(user: StaffRef, update: Uint8Array, limits?: DocLimits): void {
	const scratch = new Y.Doc({ gc: true, guid: 'creation-check' });
	try {
		const verdict = validateUpdate(scratch, update, 'customer', undefined, {
			writer: user.id,
			maxRecords: recordLimit(scratch, limits)
		});
		if (!verdict.ok) {
			// Depending on what the server lacks, or attributed to someone else: the same refusal
			// as a name that is not the user's to create.
			if (verdict.reason.startsWith('unresolved') || verdict.forbidden)
				throw new RefusedUpdateError(CloseCode.forbidden, NO_ACCESS);
			return refuseUnlessValid(verdict);
		}
		Y.applyUpdate(scratch, update);
		if (!isValidCreation(user.id, recordAccess(scratch))) throw new RefusedUpdateError(CloseCode.forbidden, NO_ACCESS);
	} finally {
		scratch.destroy();
	}
}

/**
 * Records per customer: contacts up to SYNC_MAX_CONTACTS, module records up to MODULE_LIMITS;
 * keys ever used in the root's map (the trash included), O(1).
 */
function recordLimit(doc: Y.Doc, limits: DocLimits | undefined): WriteRules['maxRecords'] {
	if (!limits) return undefined;
	return {
		max: (root) =>
			root === DOC.contacts
				? limits.maxContacts
				: Object.hasOwn(MODULE_LIMITS, root)
					? MODULE_LIMITS[root as ModuleRoot]
					: Infinity,
		held: (root) => (root === DOC.contacts ? contactsMap(doc)._map.size : doc.getMap(root)._map.size)
	};
}

function refuseUnlessValid(verdict: Verdict): void {
	if (verdict.ok) return;
	const code = verdict.forbidden
		? CloseCode.forbidden
		: verdict.tooLarge
			? CloseCode.tooLarge
			: CloseCode.invalidUpdate;
	throw new RefusedUpdateError(code, verdict.reason);
}

/** True when the update adds nothing the document does not have (a client's sync step 2 echo). */
function isNoop(doc: Y.Doc, update: Uint8Array): boolean {
	// parseUpdateMeta's `to` is where each client's structs end; encodeStateVectorFromUpdate
	// would miss runs that do not start at clock 0.
	const { to } = Y.parseUpdateMeta(update);
	for (const [client, clock] of to) if (Y.getState(doc.store, client) < clock) return false;
	// A sync step 2 carries the client's whole delete set (every overwritten value): it adds
	// nothing when all of it is deleted here already.
	for (const [client, ranges] of Y.decodeUpdate(update).ds.clients) {
		const structs = doc.store.clients.get(client);
		const state = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			if (!structs || clock + len > state) return false;
			for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < clock + len; i++) {
				if (!structs[i].deleted) return false;
			}
		}
	}
	return true;
}
