/**
 * Module records (issue #12) in a customer document: the server takes sales documents,
 * lines, tickets and send requests like contacts, and keeps what the server assigns (numbers,
 * a contact's decision) and what was sent (a send request) out of a writer's hands.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initCustomer } from '../../src/lib/schema/customer-doc.ts';
import { addSaleLine, createSale, moduleMap, requestSend } from '../../src/lib/schema/module-doc.ts';
import { DOC } from '../../src/lib/schema/records.ts';
import { validateUpdate, type WriteRules } from './validate.ts';

const A = 'user-a';
const SALE = '0190a3c4-1b2c-7d3e-8f40-0123456789ab';

function setup() {
	const client = new Y.Doc();
	const server = new Y.Doc();
	let last: Uint8Array | null = null;
	client.on('update', (u: Uint8Array) => (last = u));
	const rules: WriteRules = { writer: A };
	const edit = (fn: (d: Y.Doc) => void) => {
		last = null;
		client.transact(() => fn(client));
		if (!last) throw new Error('no change');
		return last as Uint8Array;
	};
	const send = (fn: (d: Y.Doc) => void) => {
		const u = edit(fn);
		const v = validateUpdate(server, u, 'customer', undefined, rules);
		if (v.ok) Y.applyUpdate(server, u);
		return v;
	};
	expect(
		send((d) => initCustomer(d, { kind: 'company', authorId: A, now: 1, fields: { companyName: 'Acme' } }))
	).toEqual({
		ok: true
	});
	return { send };
}

describe('[§6] module records in a customer document', () => {
	it('a sales document with lines and a send request is accepted', () => {
		const { send } = setup();
		expect(
			send((d) => createSale(d, { id: SALE, kind: 'invoice', authorId: A, now: 2, fields: { currency: 'EUR' } }))
		).toEqual({ ok: true });
		expect(
			send((d) =>
				addSaleLine(d, {
					id: 'line-1',
					saleId: SALE,
					authorId: A,
					now: 3,
					fields: { quantity: 1.5, unitPrice: 1999, taxRate: 19 }
				})
			)
		).toEqual({ ok: true });
		expect(
			send((d) =>
				requestSend(d, { id: 'send-1', target: DOC.sales, recordId: SALE, recipients: ['c1'], authorId: A, now: 4 })
			)
		).toEqual({ ok: true });
	});
	it('refuses bad values, a number from a device, and rewriting a send request', () => {
		const sale = (d: Y.Doc) => moduleMap(d, DOC.sales).get(SALE)!;
		/** A fresh customer with one invoice and a send request, then `bad` (refused updates leave the client ahead). */
		const verdict = (bad: (d: Y.Doc) => void) => {
			const { send } = setup();
			send((d) => createSale(d, { id: SALE, kind: 'invoice', authorId: A, now: 2 }));
			send((d) =>
				requestSend(d, { id: 'send-1', target: DOC.sales, recordId: SALE, recipients: ['c1'], authorId: A, now: 4 })
			);
			return send(bad);
		};
		expect(verdict((d) => sale(d).set('date', '2026-13-01'))).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/date/)
		});
		expect(verdict((d) => sale(d).set('currency', 'euro'))).toMatchObject({ ok: false });
		expect(verdict((d) => sale(d).set('number', 7))).toMatchObject({
			ok: false,
			forbidden: true,
			reason: expect.stringMatching(/server only/)
		});
		expect(verdict((d) => sale(d).set('kind', 'estimate'))).toMatchObject({ ok: false, forbidden: true });
		expect(verdict((d) => sale(d).set('updatedBy', 'someone-else'))).toMatchObject({ ok: false, forbidden: true });
		expect(verdict((d) => moduleMap(d, DOC.sends).get('send-1')!.set('recipients', 'c1 c2'))).toMatchObject({
			ok: false,
			forbidden: true
		});
		expect(verdict((d) => sale(d).set('status', 'paid'))).toEqual({ ok: true });
	});
});

describe('[§6] a collaborative text (the customer description, issue #14)', () => {
	it('takes typing into the Y.Text within the limit and refuses formatting, nested types and overflow', async () => {
		const { updateCustomer, customerMap } = await import('../../src/lib/schema/customer-doc.ts');
		const verdict = (bad: (d: Y.Doc) => void) => {
			const { send } = setup();
			expect(send((d) => updateCustomer(d, { description: 'Parking behind the building.' }, A, 2))).toEqual({
				ok: true
			});
			return send(bad);
		};
		const text = (d: Y.Doc) => customerMap(d).get('description') as unknown as Y.Text;
		expect(verdict((d) => text(d).insert(0, 'Mondays. '))).toEqual({ ok: true });
		expect(verdict((d) => text(d).delete(0, 8))).toEqual({ ok: true });
		expect(verdict((d) => updateCustomer(d, { description: 'Parking in front.' }, A, 3))).toEqual({ ok: true });
		expect(verdict((d) => text(d).format(0, 4, { bold: true }))).toMatchObject({ ok: false });
		expect(verdict((d) => text(d).insertEmbed(0, { image: 'x' }))).toMatchObject({ ok: false });
		expect(verdict((d) => text(d).insert(0, 'x'.repeat(10_000)))).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/too_long/)
		});
		// Text content is refused in a field that is not collaborative.
		expect(verdict((d) => (customerMap(d) as Y.Map<unknown>).set('city', new Y.Text('Berlin')))).toMatchObject({
			ok: false
		});
	});
});
