/**
 * Who may write what beyond the schema (issue #9): existence is the server's, creation fields
 * are write-once, server-owned fields are the server's, attribution names the writer, and a
 * customer holds at most SYNC_MAX_CONTACTS contacts. Checked on in-memory docs here; the real
 * server's paths are in tests/integration/security-records.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	contactsMap,
	customerMap,
	initCustomer,
	trashContact,
	updateCustomer
} from '../../src/lib/schema/customer-doc.ts';
import { CloseCode } from '../../src/lib/schema/protocol.ts';
import { checkWrite, RefusedUpdateError } from './write-rules.ts';

const ANA = { id: 'ana', role: 'staff' as const };
const ADMIN = { id: 'root', role: 'admin' as const };

/** A stored public-write customer made by the admin, with one contact, and a client copy of it. */
function stored() {
	const server = new Y.Doc();
	initCustomer(server, { kind: 'company', authorId: ADMIN.id, now: 1, fields: { companyName: 'Acme' } });
	updateCustomer(server, { access: 'public-write' }, ADMIN.id, 2);
	addContact(server, { id: 'k1', fields: { firstName: 'Kim', email: 'kim@example.com' }, authorId: ADMIN.id, now: 3 });
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	const sv = Y.encodeStateVector(client);
	return { server, client, diff: () => Y.encodeStateAsUpdate(client, sv) };
}

function refusal(fn: () => void): RefusedUpdateError | null {
	try {
		fn();
		return null;
	} catch (e) {
		if (e instanceof RefusedUpdateError) return e;
		throw e;
	}
}

describe('checkWrite: existence, ownership and attribution', () => {
	it('a stored document is never "created" again, whatever it holds', () => {
		const { server } = stored();
		const takeover = new Y.Doc();
		initCustomer(takeover, { kind: 'person', authorId: ANA.id, now: 9 });
		const e = refusal(() => checkWrite(server, 'c1', ANA, Y.encodeStateAsUpdate(takeover), true));
		expect(e?.code).toBe(CloseCode.forbidden);
		// The same update for a name the server does not hold is a creation, and fine.
		expect(refusal(() => checkWrite(new Y.Doc(), 'c2', ANA, Y.encodeStateAsUpdate(takeover), false))).toBeNull();
	});

	it('kind, createdBy and createdAt are write-once, for admins too; removing them is refused', () => {
		for (const [key, value] of [
			['kind', 'person'],
			['kind', null],
			['createdAt', 5]
		] as const) {
			const { server, client, diff } = stored();
			customerMap(client).set(key, value);
			expect(refusal(() => checkWrite(server, 'c1', ADMIN, diff(), true))?.message, key).toMatch(
				/set when the record is created/
			);
		}
		const { server, client, diff } = stored();
		customerMap(client).delete('kind');
		expect(refusal(() => checkWrite(server, 'c1', ADMIN, diff(), true))?.message).toMatch(/may not be removed/);
	});

	it("a contact's duplicate flag is the server's; trashing the contact, and its deletion as a whole, stay allowed", () => {
		const { server, client, diff } = stored();
		contactsMap(client).get('k1')!.set('duplicateEmail', true);
		expect(refusal(() => checkWrite(server, 'c1', ANA, diff(), true))?.message).toMatch(/server only/);

		server.transact(() => contactsMap(server).get('k1')!.set('duplicateEmail', true)); // the server's own change
		const again = new Y.Doc();
		Y.applyUpdate(again, Y.encodeStateAsUpdate(server));
		const sv = Y.encodeStateVector(again);
		trashContact(again, 'k1', 10);
		expect(refusal(() => checkWrite(server, 'c1', ANA, Y.encodeStateAsUpdate(again, sv), true))).toBeNull();
		contactsMap(again).delete('k1');
		expect(refusal(() => checkWrite(server, 'c1', ADMIN, Y.encodeStateAsUpdate(again, sv), true))).toBeNull();
	});

	it('attribution must name the writer', () => {
		const { server, client, diff } = stored();
		updateCustomer(client, { city: 'Graz' }, ADMIN.id, 20);
		expect(refusal(() => checkWrite(server, 'c1', ANA, diff(), true))?.message).toMatch(
			/"updatedBy" must name the signed-in user/
		);
		const ok = stored();
		updateCustomer(ok.client, { city: 'Graz' }, ANA.id, 20);
		expect(refusal(() => checkWrite(ok.server, 'c1', ANA, ok.diff(), true))).toBeNull();
	});

	it('contacts per customer are capped, counting the trash; the refusal says so (4413)', () => {
		const { server, client, diff } = stored();
		for (let i = 0; i < 3; i++)
			addContact(client, { id: `n${i}`, fields: { firstName: `N${i}` }, authorId: ANA.id, now: i });
		const e = refusal(() => checkWrite(server, 'c1', ANA, diff(), true, { maxContacts: 3 }));
		expect(e?.code).toBe(CloseCode.tooLarge);
		expect(refusal(() => checkWrite(server, 'c1', ANA, diff(), true, { maxContacts: 4 }))).toBeNull();
	});

	it('a stored document with no customer in it is written by admins only', () => {
		const legacy = new Y.Doc();
		legacy.getMap('contacts').set('k9', new Y.Map());
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(legacy));
		const sv = Y.encodeStateVector(client);
		(contactsMap(client).get('k9') as Y.Map<unknown>).set('firstName', 'Lea');
		const update = Y.encodeStateAsUpdate(client, sv);
		expect(refusal(() => checkWrite(legacy, 'c9', ANA, update, true))?.code).toBe(CloseCode.forbidden);
		expect(refusal(() => checkWrite(legacy, 'c9', ADMIN, update, true))).toBeNull();
	});
});
