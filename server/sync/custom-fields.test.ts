/**
 * Additional fields on the server (issue #13 item 1): values at `custom.<id>` keys are checked
 * for their shape only — never refused for not matching the definition, which may have changed
 * while the writer was offline — and only admins write the definitions.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	contactsMap,
	customerMap,
	initCustomer,
	updateCustomer
} from '../../src/lib/schema/customer-doc.ts';
import {
	addCustomField,
	customFieldsMap,
	readCustomFields,
	updateCustomField
} from '../../src/lib/schema/custom-fields.ts';
import { checkCustomValue, readCustomValues, writeCustomValues } from '../../src/lib/schema/custom-values.ts';
import { CloseCode } from '../../src/lib/schema/protocol.ts';
import { SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import { validateUpdate } from './validate.ts';
import { checkWrite, RefusedUpdateError } from './write-rules.ts';

const ANA = { id: 'ana', role: 'staff' as const };
const ADMIN = { id: 'root', role: 'admin' as const };

/** A stored public-write company with one contact, and a client copy of it. */
function stored() {
	const server = new Y.Doc();
	initCustomer(server, { kind: 'company', authorId: ADMIN.id, now: 1, fields: { companyName: 'Acme' } });
	updateCustomer(server, { access: 'public-write' }, ADMIN.id, 2);
	addContact(server, { id: 'k1', fields: { firstName: 'Kim', lastName: 'Ito' }, authorId: ADMIN.id, now: 3 });
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	return { server, client };
}

/** The update one edit of the client makes. */
function edit(client: Y.Doc, fn: (d: Y.Doc) => void): Uint8Array {
	const sv = Y.encodeStateVector(client);
	client.transact(() => fn(client));
	return Y.encodeStateAsUpdate(client, sv);
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

describe('[§6] values of additional fields', () => {
	it('a staff writer sets company and contact values; the server applies them', () => {
		const { server, client } = stored();
		const u = edit(client, (d) => {
			writeCustomValues(customerMap(d) as Y.Map<unknown>, { tier: 'Gold', size: 12, vip: true, since: '2026-01-31' });
			writeCustomValues(contactsMap(d).get('k1') as Y.Map<unknown>, { shoe: 43 });
		});
		expect(refusal(() => checkWrite(server, 'c1', ANA, u, true))).toBeNull();
		Y.applyUpdate(server, u);
		expect(readCustomValues(customerMap(server) as Y.Map<unknown>)).toEqual({
			tier: 'Gold',
			size: 12,
			vip: true,
			since: '2026-01-31'
		});
		expect(readCustomValues(contactsMap(server).get('k1') as Y.Map<unknown>)).toEqual({ shoe: 43 });
	});

	it('a value that does not fit the current definition is kept, not refused (the reader flags it)', () => {
		const settings = new Y.Doc();
		addCustomField(settings, 'size', { appliesTo: 'company', type: 'text', label: 'Size', required: false });
		const { server, client } = stored();
		// Ana typed "about 40" offline while the field was text; the admin made it a number meanwhile.
		const u = edit(client, (d) => writeCustomValues(customerMap(d) as Y.Map<unknown>, { size: 'about 40' }));
		updateCustomField(settings, 'size', { type: 'number' });
		expect(refusal(() => checkWrite(server, 'c1', ANA, u, true))).toBeNull();
		Y.applyUpdate(server, u);
		const value = readCustomValues(customerMap(server) as Y.Map<unknown>).size;
		expect(value).toBe('about 40');
		expect(checkCustomValue(readCustomFields(settings)[0], value)).toBe('not_number');
	});

	it('a value for a field id with no definition is kept (a definition may still be on its way)', () => {
		const { server, client } = stored();
		const u = edit(client, (d) => customerMap(d).set('custom.not-yet-defined', 'x'));
		expect(validateUpdate(server, u, 'customer')).toEqual({ ok: true });
	});

	it('malformed keys and values are refused with the reason', () => {
		const cases: [(d: Y.Doc) => void, RegExp][] = [
			[(d) => customerMap(d).set('custom.', 'x'), /unknown key customer\."custom\."/],
			[(d) => customerMap(d).set('custom.a.b', 'x'), /unknown key/],
			[(d) => customerMap(d).set(`custom.${'x'.repeat(65)}`, 'x'), /unknown key/],
			[(d) => customerMap(d).set('custom.tier', 'x'.repeat(10_001)), /"custom\.tier": too_long/],
			[(d) => customerMap(d).set('custom.tier', Infinity as never), /"custom\.tier": invalid/],
			[(d) => customerMap(d).set('custom.tier', 1e300), /out_of_range/],
			[(d) => customerMap(d).set('custom.tier', { a: 1 } as never), /"custom\.tier": invalid/],
			[(d) => customerMap(d).set('custom.tier', [1, 2] as never), /"custom\.tier": invalid/],
			[(d) => (customerMap(d) as Y.Map<unknown>).set('custom.tier', new Y.Text('x')), /YText refused|Text refused/],
			[(d) => (customerMap(d) as Y.Map<unknown>).set('custom.tier', new Y.Map()), /refused/],
			[
				(d) =>
					contactsMap(d)
						.get('k1')!
						.set('custom.shoe', { size: 43 } as never),
				/contacts\."k1"\."custom\.shoe": invalid/
			],
			[(d) => (contactsMap(d).get('k1') as Y.Map<unknown>).set('custom.shoe', new Uint8Array(3)), /refused|invalid/]
		];
		for (const [fn, reason] of cases) {
			const { server, client } = stored();
			const e = refusal(() => checkWrite(server, 'c1', ANA, edit(client, fn), true));
			expect([String(fn), e?.code, e?.message]).toEqual([
				String(fn),
				CloseCode.invalidUpdate,
				expect.stringMatching(reason)
			]);
		}
	});

	it('a new customer may carry values from its first update', () => {
		const creation = new Y.Doc();
		const u = edit(creation, (d) => {
			initCustomer(d, { kind: 'company', authorId: ANA.id, now: 1, fields: { companyName: 'New Co' } });
			writeCustomValues(customerMap(d) as Y.Map<unknown>, { tier: 'Gold' });
		});
		expect(refusal(() => checkWrite(new Y.Doc(), 'c9', ANA, u, false))).toBeNull();
	});
});

describe('[§6] definitions of additional fields', () => {
	const settingsPair = () => {
		const server = new Y.Doc();
		const client = new Y.Doc();
		return { server, client };
	};

	it('an admin adds, changes and removes definitions', () => {
		const { server, client } = settingsPair();
		const add = edit(client, (d) =>
			addCustomField(d, 'tier', {
				appliesTo: 'company',
				type: 'select',
				label: 'Tier',
				required: true,
				options: ['Gold', 'Silver']
			})
		);
		expect(refusal(() => checkWrite(server, SETTINGS_DOC, ADMIN, add, true))).toBeNull();
		Y.applyUpdate(server, add);
		const change = edit(client, (d) => {
			updateCustomField(d, 'tier', { label: 'Level', type: 'text' });
			customFieldsMap(d).get('tier')!.set('removedAt', 99);
		});
		expect(refusal(() => checkWrite(server, SETTINGS_DOC, ADMIN, change, true))).toBeNull();
		Y.applyUpdate(server, change);
		expect(readCustomFields(server)[0]).toMatchObject({ label: 'Level', type: 'text', removedAt: 99 });
	});

	it('a staff user writing definitions (forged past the UI) is refused', () => {
		const { server, client } = settingsPair();
		const add = edit(client, (d) =>
			addCustomField(d, 'tier', { appliesTo: 'company', type: 'text', label: 'Tier', required: false })
		);
		const e = refusal(() => checkWrite(server, SETTINGS_DOC, ANA, add, true));
		expect([e?.code, e?.message]).toEqual([CloseCode.forbidden, 'only admins change the settings']);
		// Nor may staff rename or remove one an admin made.
		Y.applyUpdate(server, add);
		const rename = edit(client, (d) => updateCustomField(d, 'tier', { label: 'Mine' }));
		expect(refusal(() => checkWrite(server, SETTINGS_DOC, ANA, rename, true))?.code).toBe(CloseCode.forbidden);
		const remove = edit(client, (d) => customFieldsMap(d).delete('tier'));
		expect(refusal(() => checkWrite(server, SETTINGS_DOC, ANA, remove, true))?.code).toBe(CloseCode.forbidden);
	});

	it('malformed definitions are refused, for admins too', () => {
		const cases: [(m: Y.Map<unknown>) => void, RegExp][] = [
			[(m) => m.set('type', 'formula'), /"type": invalid_choice/],
			[(m) => m.set('appliesTo', 'invoice'), /"appliesTo": invalid_choice/],
			[(m) => m.set('label', 'x'.repeat(101)), /"label": too_long/],
			[(m) => m.set('required', 'yes'), /"required": invalid/],
			[(m) => m.set('order', 0.5), /"order": not_integer/],
			[(m) => m.set('options', 'o'.repeat(6000)), /"options": too_long/],
			[(m) => m.set('script', 'x'), /unknown key/]
		];
		for (const [fn, reason] of cases) {
			const { server, client } = settingsPair();
			const add = edit(client, (d) =>
				addCustomField(d, 'tier', { appliesTo: 'company', type: 'text', label: 'Tier', required: false })
			);
			Y.applyUpdate(server, add);
			const u = edit(client, (d) => fn(customFieldsMap(d).get('tier') as Y.Map<unknown>));
			const e = refusal(() => checkWrite(server, SETTINGS_DOC, ADMIN, u, true));
			expect([String(fn), e?.message]).toEqual([String(fn), expect.stringMatching(reason)]);
		}
	});
});
