import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, initCustomer, updateContact, updateCustomer } from '../../src/lib/schema/customer-doc.ts';
import { addContactType, setDefaultPermission } from '../../src/lib/schema/settings.ts';
import { type DocKind, type ValidationWork, validateUpdate } from './validate.ts';

const AUTHOR = 'user-1';
const CONTACT = '0190a3c4-1b2c-7d3e-8f40-0123456789ab';

/** A device: its own Y.Doc; each edit returns the update that one transaction produced. */
class Client {
	readonly doc: Y.Doc;
	private last: Uint8Array | null = null;

	constructor(opts: { gc?: boolean } = {}) {
		this.doc = new Y.Doc({ gc: opts.gc ?? true });
		this.doc.on('update', (u: Uint8Array) => (this.last = u));
	}

	edit(fn: (doc: Y.Doc) => void): Uint8Array {
		this.last = null;
		this.doc.transact(() => fn(this.doc));
		if (!this.last) throw new Error('the edit changed nothing');
		return this.last;
	}

	/** Everything the server does not have yet (sync step 2). */
	diff(server: Y.Doc): Uint8Array {
		return Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(server));
	}
}

/** The server's copy, as Room keeps it. */
const serverDoc = () => new Y.Doc({ gc: true });

function accept(server: Y.Doc, update: Uint8Array, kind: DocKind = 'customer'): void {
	expect(validateUpdate(server, update, kind)).toEqual({ ok: true });
	Y.applyUpdate(server, update);
}

function refusal(server: Y.Doc, update: Uint8Array, kind: DocKind = 'customer'): string {
	const v = validateUpdate(server, update, kind);
	if (v.ok) throw new Error('expected the update to be refused');
	return v.reason;
}

/** A client and a server that both hold a company with one contact. */
function companyWithContact(): { client: Client; server: Y.Doc } {
	const client = new Client();
	const server = serverDoc();
	accept(
		server,
		client.edit((d) =>
			initCustomer(d, { kind: 'company', authorId: AUTHOR, now: 1000, fields: { companyName: 'Acme GmbH' } })
		)
	);
	accept(
		server,
		client.edit((d) =>
			addContact(d, { id: CONTACT, fields: { firstName: 'Ada', lastName: 'Lovelace' }, authorId: AUTHOR, now: 1001 })
		)
	);
	return { client, server };
}

const contact = (d: Y.Doc, id = CONTACT) => d.getMap('contacts').get(id) as Y.Map<unknown>;
const customer = (d: Y.Doc) => d.getMap<unknown>('customer');

describe('[§6] customer documents: valid changes pass', () => {
	it('creating a customer and adding a contact pass', () => {
		const { client, server } = companyWithContact();
		expect(server.getMap('customer').get('companyName')).toBe('Acme GmbH');
		expect(Y.encodeStateAsUpdate(server)).toEqual(Y.encodeStateAsUpdate(client.doc));
	});

	it('overwriting a key again (the item carries only its origin, parent null) passes', () => {
		const { client, server } = companyWithContact();
		const u = client.edit((d) => updateCustomer(d, { companyName: 'Acme AG', city: 'Bern' }, AUTHOR, 2000));
		const items = Y.decodeUpdate(u).structs.filter((s): s is Y.Item => s instanceof Y.Item);
		expect(items.some((i) => i.parent === null && i.origin !== null)).toBe(true);
		accept(server, u);
		expect(server.getMap('customer').get('companyName')).toBe('Acme AG');
	});

	it('overwriting the same key twice in one update (origin inside the update) passes', () => {
		const { client, server } = companyWithContact();
		accept(
			server,
			client.edit((d) => {
				customer(d).set('city', 'Basel');
				customer(d).set('city', 'Bern');
			})
		);
	});

	it('a field of an existing contact, edited in a later update, passes (parent found in the store)', () => {
		const { client, server } = companyWithContact();
		accept(
			server,
			client.edit((d) => contact(d).set('position', 'CTO'))
		);
		accept(
			server,
			client.edit((d) => updateContact(d, CONTACT, { firstName: 'Augusta', email: 'ada@example.com' }, AUTHOR, 3000))
		);
		expect(contact(server).get('firstName')).toBe('Augusta');
	});

	it('deletions pass: clearing a field, removing a contact, removing a manager', () => {
		const { client, server } = companyWithContact();
		accept(
			server,
			client.edit((d) => customer(d).delete('companyName'))
		);
		accept(
			server,
			client.edit((d) => {
				d.getMap('contacts').delete(CONTACT);
				d.getMap('managers').delete(AUTHOR);
			})
		);
		expect(server.getMap('contacts').size).toBe(0);
	});

	it('an update the server already has passes again (Yjs ignores it)', () => {
		const { client, server } = companyWithContact();
		accept(server, Y.encodeStateAsUpdate(client.doc));
	});

	it('a late edit to a contact the server has removed and collected passes; Yjs drops it', () => {
		const { client, server } = companyWithContact();
		const other = new Client();
		Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(server));
		accept(
			server,
			other.edit((d) => d.getMap('contacts').delete(CONTACT))
		);
		accept(
			server,
			client.edit((d) => contact(d).set('position', 'CTO'))
		);
		expect(server.getMap('contacts').has(CONTACT)).toBe(false);
	});

	it('offline edits synced in one step (sync step 2) pass, also from a client with gc off', () => {
		const client = new Client({ gc: false });
		const server = serverDoc();
		client.edit((d) => initCustomer(d, { kind: 'person', authorId: AUTHOR, now: 1 }));
		for (const city of ['Basel', 'Bern', 'Chur']) client.edit((d) => customer(d).set('city', city));
		// gc off: the overwritten values travel as one ContentAny run of several values.
		const u = client.diff(server);
		const runs = Y.decodeUpdate(u).structs.filter((s) => s instanceof Y.Item && s.content instanceof Y.ContentAny);
		expect(runs.some((s) => s.length > 1)).toBe(true);
		accept(server, u);
		expect(customer(server).get('city')).toBe('Chur');
	});
});

describe('[§6] customer documents: invalid changes are refused', () => {
	it('an unknown customer key', () => {
		const { client, server } = companyWithContact();
		expect(
			refusal(
				server,
				client.edit((d) => customer(d).set('isVip', true))
			)
		).toMatch(/unknown key customer\."isVip"/);
	});

	it('a number into companyName, a string into doNotSendWelcome', () => {
		const { client, server } = companyWithContact();
		expect(
			refusal(
				server,
				client.edit((d) => customer(d).set('companyName', 42))
			)
		).toMatch(/companyName.*not_text/);
		const fresh = companyWithContact();
		expect(
			refusal(
				fresh.server,
				fresh.client.edit((d) => contact(d).set('doNotSendWelcome', 'yes'))
			)
		).toMatch(/doNotSendWelcome.*invalid/);
	});

	it('companyName of 201 characters (200 pass)', () => {
		const { client, server } = companyWithContact();
		accept(
			server,
			client.edit((d) => customer(d).set('companyName', 'a'.repeat(200)))
		);
		expect(
			refusal(
				server,
				client.edit((d) => customer(d).set('companyName', 'a'.repeat(201)))
			)
		).toMatch(/too_long/);
	});

	it('a malformed e-mail, on the customer and on a contact', () => {
		const { client, server } = companyWithContact();
		expect(
			refusal(
				server,
				client.edit((d) => customer(d).set('email', 'not an e-mail'))
			)
		).toMatch(/invalid_email/);
		const fresh = companyWithContact();
		expect(
			refusal(
				fresh.server,
				fresh.client.edit((d) => contact(d).set('email', 'ada@'))
			)
		).toMatch(/contacts\..*"email": invalid_email/);
	});

	it('a Y.Text, a Y.Array or a nested Y.Map inside a contact', () => {
		for (const make of [() => new Y.Text('Ada'), () => Y.Array.from(['Ada']), () => new Y.Map()]) {
			const { client, server } = companyWithContact();
			expect(
				refusal(
					server,
					client.edit((d) => contact(d).set('firstName', make()))
				)
			).toMatch(/firstName.*(YText|YArray|YMap)/);
		}
	});

	it('a type nested inside a contact, and content added to one', () => {
		const client = new Client();
		const server = serverDoc();
		const u = client.edit((d) => {
			const inner = new Y.Map<unknown>();
			inner.set('x', 1);
			const c = new Y.Map<unknown>();
			c.set('firstName', inner);
			d.getMap('contacts').set(CONTACT, c);
		});
		expect(refusal(server, u)).toMatch(/"firstName": YMap refused/);
		// Were such a map there already (data from before validation), content added to it is refused too.
		Y.applyUpdate(server, u);
		const later = client.edit((d) => (contact(d).get('firstName') as Y.Map<unknown>).set('y', 2));
		expect(refusal(server, later)).toMatch(/nested below a record/);
	});

	it('an unknown root, and a known root used as a list or text', () => {
		const { client, server } = companyWithContact();
		expect(
			refusal(
				server,
				client.edit((d) => d.getMap('notes').set('a', 1))
			)
		).toMatch(/unknown root "notes"/);
		const a = new Client();
		expect(
			refusal(
				serverDoc(),
				a.edit((d) => d.getArray('managers').insert(0, [AUTHOR]))
			)
		).toMatch(/"managers" is a Y.Map/);
		const t = new Client();
		expect(
			refusal(
				serverDoc(),
				t.edit((d) => d.getText('customer').insert(0, 'hi'))
			)
		).toMatch(/"customer" is a Y.Map/);
	});

	it('a customer field holding a shared type', () => {
		const { client, server } = companyWithContact();
		expect(
			refusal(
				server,
				client.edit((d) => customer(d).set('city', new Y.Map()))
			)
		).toMatch(/customer\."city": YMap refused/);
	});

	it('managers: a value other than true, or a key that is not an id', () => {
		const { client, server } = companyWithContact();
		accept(
			server,
			client.edit((d) => d.getMap('managers').set('user-2', true))
		);
		expect(
			refusal(
				server,
				client.edit((d) => d.getMap('managers').set('user-3', 'yes'))
			)
		).toMatch(/must be true/);
		const b = companyWithContact();
		expect(
			refusal(
				b.server,
				b.client.edit((d) => d.getMap('managers').set('not an id!', true))
			)
		).toMatch(/not an id/);
	});

	it('contacts: a value that is not a Y.Map, a key that is not an id, an unknown contact key', () => {
		const { client, server } = companyWithContact();
		expect(
			refusal(
				server,
				client.edit((d) => d.getMap('contacts').set('c2', 'Bob'))
			)
		).toMatch(/must be a Y.Map, got ContentAny/);
		const b = companyWithContact();
		expect(
			refusal(
				b.server,
				b.client.edit((d) => d.getMap('contacts').set('a b', new Y.Map()))
			)
		).toMatch(/not an id/);
		const c = companyWithContact();
		expect(
			refusal(
				c.server,
				c.client.edit((d) => contact(d).set('shoeSize', 44))
			)
		).toMatch(/unknown key contacts\..*"shoeSize"/);
	});

	it('strings and binaries are refused even under a known key', () => {
		const { client, server } = companyWithContact();
		expect(
			refusal(
				server,
				client.edit((d) => customer(d).set('description', new Uint8Array([1, 2])))
			)
		).toMatch(/ContentBinary refused/);
	});

	it('a bad value in an existing contact, edited later: new key (parent by id) and overwrite (origin in store)', () => {
		const { client, server } = companyWithContact();
		expect(
			refusal(
				server,
				client.edit((d) => contact(d).set('position', 'x'.repeat(101)))
			)
		).toMatch(/"position": too_long/);
		const b = companyWithContact();
		expect(
			refusal(
				b.server,
				b.client.edit((d) => contact(d).set('firstName', 7))
			)
		).toMatch(/"firstName": not_text/);
	});

	it('a ContentAny run with one bad overwritten value (gc off) is refused: every value is checked', () => {
		const client = new Client({ gc: false });
		const server = serverDoc();
		client.edit((d) => initCustomer(d, { kind: 'person', authorId: AUTHOR, now: 1 }));
		for (const email of ['a@example.com', 'bad', 'c@example.com']) client.edit((d) => customer(d).set('email', email));
		expect(refusal(server, client.diff(server))).toMatch(/invalid_email/);
	});

	it('garbage, truncated and empty updates give a refusal, not a throw', () => {
		const { client, server } = companyWithContact();
		const u = client.edit((d) => contact(d).set('position', 'CTO'));
		for (const bad of [new Uint8Array(0), new Uint8Array([1, 2, 3, 4, 5]), u.slice(0, u.length - 3), u.slice(0, 4)]) {
			expect(validateUpdate(server, bad, 'customer')).toMatchObject({ ok: false });
		}
		const noise = new Uint8Array(4096);
		for (let seed = 1, i = 0; i < noise.length; i++) noise[i] = (seed = (seed * 48271) % 2147483647) & 0xff;
		expect(validateUpdate(server, noise, 'customer')).toMatchObject({ ok: false });
	});
});

describe('[§6] unresolved dependencies are refused (clients send in causal order)', () => {
	it('an edit to a contact the server never received', () => {
		const client = new Client();
		const server = serverDoc();
		accept(
			server,
			client.edit((d) => initCustomer(d, { kind: 'company', authorId: AUTHOR, now: 1 }))
		);
		// The contact's creation is lost; a field set on it next refers to an unknown parent.
		client.edit((d) => addContact(d, { id: CONTACT, fields: { firstName: 'A' }, authorId: AUTHOR, now: 2 }));
		const other = new Client();
		Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(client.doc));
		expect(
			refusal(
				server,
				other.edit((d) => contact(d).set('position', 'CTO'))
			)
		).toMatch(/unresolved/);
	});

	it('an overwrite whose origin the server never received', () => {
		const client = new Client();
		const server = serverDoc();
		client.edit((d) => customer(d).set('city', 'Basel'));
		const other = new Client();
		Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(client.doc));
		expect(
			refusal(
				server,
				other.edit((d) => customer(d).set('city', 'Bern'))
			)
		).toMatch(/unresolved: depends on/);
	});

	it("a gap in a client's own sequence (an earlier update was refused or lost)", () => {
		const client = new Client();
		const server = serverDoc();
		client.edit((d) => customer(d).set('kind', 'company'));
		expect(
			refusal(
				server,
				client.edit((d) => d.getMap('managers').set(AUTHOR, true))
			)
		).toMatch(/unresolved: the update skips/);
	});
});

describe('[§6] the settings document', () => {
	it('contact types and default permissions pass', () => {
		const client = new Client();
		const server = serverDoc();
		accept(
			server,
			client.edit((d) => addContactType(d, 'vip', 'VIP')),
			'settings'
		);
		accept(
			server,
			client.edit((d) => setDefaultPermission(d, 'invoices', true)),
			'settings'
		);
		accept(
			server,
			client.edit((d) => (d.getMap('contactTypes').get('vip') as Y.Map<unknown>).set('order', 7)),
			'settings'
		);
	});

	it('bad names, orders, permissions and roots are refused', () => {
		const client = new Client();
		const server = serverDoc();
		accept(
			server,
			client.edit((d) => addContactType(d, 'vip', 'VIP')),
			'settings'
		);
		const type = (d: Y.Doc) => d.getMap('contactTypes').get('vip') as Y.Map<unknown>;
		const cases: [(d: Y.Doc) => void, RegExp][] = [
			[(d) => type(d).set('order', 1.5), /"order": not_integer/],
			[(d) => type(d).set('name', 'n'.repeat(101)), /"name": too_long/],
			[(d) => type(d).set('colour', 'red'), /unknown key/],
			[(d) => d.getMap('defaultPermissions').set('payroll', true), /unknown key defaultPermissions\."payroll"/],
			[(d) => d.getMap('defaultPermissions').set('invoices', 'yes'), /"invoices": invalid/],
			[(d) => d.getMap('customer').set('companyName', 'Acme'), /unknown root "customer"/]
		];
		for (const [edit, reason] of cases) {
			const c = new Client();
			Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(server));
			expect(refusal(server, c.edit(edit), 'settings')).toMatch(reason);
		}
	});
});

describe('validation cost does not grow with the document', () => {
	it('the same edit costs the same work against a document with 1 and with 2000 contacts', () => {
		const measure = (contacts: number): ValidationWork => {
			const { client, server } = companyWithContact();
			const bulk = new Client();
			Y.applyUpdate(bulk.doc, Y.encodeStateAsUpdate(server));
			bulk.edit((d) => {
				for (let i = 0; i < contacts; i++) {
					addContact(d, { id: `c${i}`, fields: { firstName: 'F', lastName: `L${i}` }, authorId: AUTHOR, now: i });
				}
			});
			Y.applyUpdate(server, Y.encodeStateAsUpdate(bulk.doc));
			Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(server));
			const u = client.edit((d) => updateContact(d, CONTACT, { firstName: 'Augusta' }, AUTHOR, 9));
			const work: ValidationWork = { structs: 0, lookups: 0 };
			expect(validateUpdate(server, u, 'customer', work)).toEqual({ ok: true });
			return work;
		};
		expect(measure(2000)).toEqual(measure(1));
	});

	it('a long chain of overwrites inside one update is walked once (work linear in the update)', () => {
		const client = new Client({ gc: false });
		const server = serverDoc();
		// Alternating keys keep every overwrite its own item, each pointing at the previous one.
		for (let i = 0; i < 1000; i++) {
			client.edit((d) => {
				customer(d).set('city', `c${i}`);
				customer(d).set('state', `s${i}`);
			});
		}
		const u = client.diff(server);
		const items = Y.decodeUpdate(u).structs.length;
		expect(items).toBeGreaterThanOrEqual(2000);
		const work: ValidationWork = { structs: 0, lookups: 0 };
		expect(validateUpdate(server, u, 'customer', work)).toEqual({ ok: true });
		expect(work.structs).toBeLessThanOrEqual(2 * items);
	});

	it('validate.ts never reads the whole document (grep-able: no toJSON, no state encoding, no share walk)', () => {
		const source = fs.readFileSync(new URL('./validate.ts', import.meta.url), 'utf8');
		expect(source).not.toMatch(/\.toJSON\(|encodeState|share\.(forEach|entries|keys|values)\b|\._map\b/);
	});
});
