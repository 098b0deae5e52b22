/**
 * [§2][§6][§8] The portal's modules on the real server (issue #12 item 3): a contact sees
 * their own customer's documents of the modules they may open — never a draft, a trashed
 * document or another module's kind — answers estimates and proposals, opens tickets and
 * replies; each action is the server's change, answered after its commit and seen live by a
 * staff device in the room. Another customer's id, a missing id, garbage and a module without
 * the permission all get the portal's one 404, over every path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { trashContact, updateContact } from '../../src/lib/schema/customer-doc.ts';
import { createRecord, readSale, readTickets } from '../../src/lib/schema/module-doc.ts';
import { DOC } from '../../src/lib/schema/records.ts';
import { Client } from './helpers/http.ts';
import { PORTAL_PASSWORD, seedCustomer, setPortalPassword, type SeedDoc } from './helpers/portal-seed.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { connect, until, type SyncClient } from './helpers/sync.ts';

const ALL = ['invoices', 'estimates', 'contracts', 'proposals', 'support', 'projects'] as const;

let server: TestServer;
let staff: Client;
let acme: SeedDoc;
let beta: SeedDoc;
/** A staff device with acme's document open for the whole file. */
let device: SyncClient;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', LOGIN_MAX_PER_ACCOUNT: '1000' });
	staff = new Client(server.url);
	expect((await staff.login(ADMIN.email, ADMIN.password)).status).toBe(303);

	acme = await seedCustomer(server, staff, 'pm-acme', 'Acme Modules GmbH');
	acme
		.contact('ann', { firstName: 'Ann', lastName: 'Lee', email: 'ann@pm.test' }, ALL)
		.contact('nop', { firstName: 'No', lastName: 'Perm', email: 'nop@pm.test' }, [])
		.contact('gus', { firstName: 'Gus', lastName: 'Gone', email: 'gus@pm.test' }, ALL)
		.sale('inv-sent', 'invoice', 'sent', [
			['Consulting', 2, 10_000, 19],
			['Books', 3, 1_999, 7]
		])
		.sale('inv-draft', 'invoice', 'draft', [['Secret draft line', 1, 5_000, 19]])
		.sale('inv-trash', 'invoice', 'sent', [['Trashed line', 1, 100, 0]])
		.trash(DOC.sales, 'inv-trash')
		.sale('cn-sent', 'creditNote', 'sent', [['Refund', 1, -2_500, 19]])
		.sale('est-sent', 'estimate', 'sent', [['Estimate work', 10, 8_000, 19]])
		.sale('est-second', 'estimate', 'sent', [['Second estimate', 1, 1_000, 0]])
		.sale('est-draft', 'estimate', 'draft', [['Estimate draft', 1, 1, 0]])
		.sale('pro-sent', 'proposal', 'sent', [['Proposal work', 1, 50_000, 19]])
		.record(DOC.contracts, 'con-sent', {
			subject: 'Maintenance 2027',
			value: 1_200_000,
			currency: 'EUR',
			startDate: '2027-01-01',
			endDate: '2027-12-31',
			status: 'sent',
			signed: false,
			content: 'Clause one.'
		})
		.record(DOC.contracts, 'con-draft', { subject: 'Draft contract', status: 'draft' })
		.record(DOC.tickets, 'tic-a', { subject: 'Printer jam', status: 'closed' })
		.record(DOC.ticketReplies, 'tic-a-r1', { ticketId: 'tic-a', body: 'We fixed it.' })
		.record(DOC.projects, 'prj-open', { name: 'Website', status: 'inProgress', tasksVisible: true })
		.record(DOC.tasks, 'tsk-1', { projectId: 'prj-open', name: 'Wireframes', status: 'complete' })
		.record(DOC.projects, 'prj-hidden', { name: 'Backoffice', status: 'notStarted', tasksVisible: false })
		.record(DOC.tasks, 'tsk-2', { projectId: 'prj-hidden', name: 'Hidden task name', status: 'inProgress' });
	await acme.push(server, staff);

	beta = await seedCustomer(server, staff, 'pm-beta', 'Beta Ltd');
	beta
		.contact('bob', { firstName: 'Bob', lastName: 'Beta', email: 'bob@pm.test' }, ALL)
		.sale('b-inv', 'invoice', 'sent', [['Beta secret', 1, 777, 0]])
		.sale('b-est', 'estimate', 'sent', [['Beta estimate', 1, 777, 0]])
		.record(DOC.contracts, 'b-con', { subject: 'Beta contract', status: 'sent' })
		.record(DOC.tickets, 'b-tic', { subject: 'Beta ticket', status: 'open' })
		.record(DOC.projects, 'b-prj', { name: 'Beta project', status: 'inProgress' });
	await beta.push(server, staff);

	for (const id of ['ann', 'nop', 'gus', 'bob']) await setPortalPassword(staff, id);
	device = connect(server, staff, 'pm-acme');
	await until(() => device.provider.synced, 5000, 'staff device synced');
});
afterAll(async () => {
	device?.destroy();
	await server?.stop();
});

async function signedIn(email: string): Promise<Client> {
	const c = new Client(server.url);
	const res = await c.postForm('/portal/login', { email, password: PORTAL_PASSWORD });
	expect(res.status, `sign-in of ${email}`).toBe(303);
	return c;
}

async function get(c: Client, p: string) {
	const res = await c.request(p, { headers: { accept: 'text/html' } });
	return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

async function post(c: Client, p: string, fields: Record<string, string>) {
	const res = await c.postForm(p, fields);
	return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

/** Changes acme's document as the staff device and waits for the commit. */
async function staffEdit(change: (d: Y.Doc) => void): Promise<void> {
	change(device.doc);
	await device.acks.whenCommitted();
}

describe('[§2] what a contact sees', () => {
	it('invoices lists invoices and credit notes that were sent, never drafts, the trash or estimates', async () => {
		const c = await signedIn('ann@pm.test');
		const r = await get(c, '/portal/invoices');
		expect(r.status).toBe(200);
		expect(r.body).toContain('href="/portal/invoices/inv-sent"');
		expect(r.body).toContain('href="/portal/invoices/cn-sent"');
		expect(r.body).toContain('Credit note');
		for (const hidden of ['inv-draft', 'inv-trash', 'est-sent', 'pro-sent']) expect(r.body).not.toContain(hidden);
		// The total in the document's currency: 2 × 100.00 + 19 % + 3 × 19.99 + 7 % = 238.00 + 64.17 = 302.17.
		expect(r.body).toContain('€302.17');
		for (const id of ['inv-draft', 'inv-trash', 'est-sent']) {
			expect((await get(c, `/portal/invoices/${id}`)).status).toBe(404);
		}
		expect((await get(c, '/portal/estimates/inv-sent')).status).toBe(404);
	});

	it('an invoice and its printable view: lines, tax per rate, totals, customer and company', async () => {
		const c = await signedIn('ann@pm.test');
		const view = await get(c, '/portal/invoices/inv-sent');
		expect(view.status).toBe(200);
		for (const text of [
			'Consulting',
			'Books',
			'€200.00',
			'€59.97',
			'Tax 7 %',
			'€4.20',
			'Tax 19 %',
			'€38.00',
			'€302.17'
		])
			expect(view.body).toContain(text);
		expect(view.body).toContain('href="/portal/invoices/inv-sent/print"');
		expect(view.body).not.toContain('name="answer"'); // an invoice is not answered
		const print = await get(c, '/portal/invoices/inv-sent/print');
		expect(print.status).toBe(200);
		for (const text of ['Acme Modules GmbH', 'Consulting', '€302.17', 'Tax 19 %']) expect(print.body).toContain(text);
	});

	it('contracts (not drafts), tickets with their thread, projects with tasks only when visible', async () => {
		const c = await signedIn('ann@pm.test');
		const contracts = await get(c, '/portal/contracts');
		expect(contracts.body).toContain('Maintenance 2027');
		expect(contracts.body).toContain('€12,000.00');
		expect(contracts.body).toContain('Not signed');
		expect(contracts.body).not.toContain('Draft contract');
		expect((await get(c, '/portal/contracts/con-sent/print')).body).toContain('Clause one.');
		expect((await get(c, '/portal/contracts/con-draft')).status).toBe(404);

		const ticket = await get(c, '/portal/support/tic-a');
		expect(ticket.body).toContain('We fixed it.');
		expect(ticket.body).toContain('Our team');

		const shown = await get(c, '/portal/projects/prj-open');
		expect(shown.body).toContain('Wireframes');
		const hidden = await get(c, '/portal/projects/prj-hidden');
		expect(hidden.status).toBe(200);
		expect(hidden.body).not.toContain('Hidden task name');
		expect(hidden.body).not.toContain('Tasks');
		// Only sales documents and contracts have a printable view.
		expect((await get(c, '/portal/projects/prj-open/print')).status).toBe(404);
		expect((await get(c, '/portal/support/tic-a/print')).status).toBe(404);
	});
});

describe("[§2][§6] isolation: another customer's document is a missing one, over every path", () => {
	it("contact A asking for B's invoice, estimate, contract, ticket and project by id gets the one 404 (status and body)", async () => {
		const c = await signedIn('ann@pm.test');
		const missing = await get(c, '/portal/invoices/0192f000-0000-7000-8000-000000000000');
		expect(missing.status).toBe(404);
		const one = { status: 404, body: missing.body };
		const paths = [
			'/portal/invoices/b-inv',
			'/portal/invoices/b-inv/print',
			'/portal/estimates/b-est',
			'/portal/estimates/b-est/print',
			'/portal/contracts/b-con',
			'/portal/contracts/b-con/print',
			'/portal/support/b-tic',
			'/portal/projects/b-prj'
		];
		for (const p of paths) {
			const r = await get(c, p);
			expect({ p, status: r.status, body: r.body }).toEqual({ p, ...one });
		}
		// Form actions: the same page, and nothing written anywhere.
		const actions: [string, Record<string, string>][] = [
			['/portal/estimates/b-est?/decide', { answer: 'accepted' }],
			['/portal/support/b-tic?/reply', { body: 'A reply to B' }],
			['/portal/invoices/b-inv?/decide', { answer: 'declined' }]
		];
		for (const [p, fields] of actions) {
			const r = await post(c, p, fields);
			expect({ p, status: r.status, body: r.body }).toEqual({ p, ...one });
		}
		const b = await signedIn('bob@pm.test');
		expect((await get(b, '/portal/estimates/b-est')).body).toContain('Accept');
		expect((await get(b, '/portal/support/b-tic')).body).not.toContain('A reply to B');
		expect(readTickets(device.doc).flatMap((t) => t.replies.map((r) => r.body))).not.toContain('A reply to B');
	});

	// A ".." segment (literal or %2e) never reaches a route as an id: URL resolution (RFC 3986
	// §5.2.4, WHATWG) removes it first, so "/portal/invoices/.." is "/portal/" — another page.
	it('garbage ids (%00, 8 KB, unicode, encoded slashes) are the same 404, never a 500', async () => {
		const c = await signedIn('ann@pm.test');
		const missing = await get(c, '/portal/invoices/0192f000-0000-7000-8000-000000000000');
		const ids = ['%00', 'a%00b', 'x'.repeat(8000), '%E2%9C%93%F0%9F%98%80', '..%2f..%2fsettings', 'settings', '%252e'];
		for (const id of ids) {
			for (const p of [`/portal/invoices/${id}`, `/portal/support/${id}`, `/portal/contracts/${id}/print`]) {
				const r = await get(c, p);
				expect({ p: p.slice(0, 80), status: r.status, body: r.body }).toEqual({
					p: p.slice(0, 80),
					status: 404,
					body: missing.body
				});
			}
			const r = await post(c, `/portal/estimates/${id}?/decide`, { answer: 'accepted' });
			expect(r.status, `decide ${id.slice(0, 20)}`).toBe(404);
		}
		expect(server.output()).not.toMatch(/TypeError|RangeError/);
	});

	it('a contact without a permission: no menu item, and 404 on every path of the module', async () => {
		const c = await signedIn('nop@pm.test');
		const missing = await get(c, '/portal/no-such-page');
		const home = await get(c, '/portal');
		for (const m of ALL) expect(home.body).not.toContain(`href="/portal/${m}"`);
		const paths = [
			'/portal/invoices',
			'/portal/invoices/inv-sent',
			'/portal/invoices/inv-sent/print',
			'/portal/estimates/est-sent',
			'/portal/contracts/con-sent/print',
			'/portal/support',
			'/portal/support/tic-a',
			'/portal/projects/prj-open'
		];
		for (const p of paths) {
			const r = await get(c, p);
			expect({ p, status: r.status, body: r.body }).toEqual({ p, status: 404, body: missing.body });
		}
		for (const [p, fields] of [
			['/portal/estimates/est-second?/decide', { answer: 'accepted' }],
			['/portal/support?/open', { subject: 'S', body: 'B' }],
			['/portal/support/tic-a?/reply', { body: 'B' }]
		] as const) {
			const r = await post(c, p, fields);
			expect({ p, status: r.status, body: r.body }).toEqual({ p, status: 404, body: missing.body });
		}
		expect(readSale(device.doc, 'est-second')?.status).toBe('sent');
	});

	it('a permission change takes effect on the next request; a deleted contact loses access at once', async () => {
		const c = await signedIn('gus@pm.test');
		expect((await get(c, '/portal/estimates/est-second')).status).toBe(200);
		await staffEdit((d) => updateContact(d, 'gus', { 'permissions.estimates': false }, acme.authorId, Date.now()));
		expect((await get(c, '/portal/estimates/est-second')).status).toBe(404);
		expect((await post(c, '/portal/estimates/est-second?/decide', { answer: 'accepted' })).status).toBe(404);
		expect((await get(c, '/portal/invoices/inv-sent')).status).toBe(200);
		await staffEdit((d) => trashContact(d, 'gus', Date.now()));
		const after = await get(c, '/portal/invoices/inv-sent');
		expect(after.status).toBe(303);
		expect(after.location).toMatch(/^\/portal\/login/);
		expect(readSale(device.doc, 'est-second')?.status).toBe('sent');
	});
});

describe('[§6] portal actions are the server’s changes, seen live by staff', () => {
	it('an estimate accepted in the portal shows as accepted on a connected staff device, without reload', async () => {
		const c = await signedIn('ann@pm.test');
		expect((await get(c, '/portal/estimates/est-sent')).body).toContain('name="answer"');
		const r = await post(c, '/portal/estimates/est-sent?/decide', { answer: 'accepted' });
		expect(r.status).toBe(303);
		expect(r.location).toBe('/portal/estimates/est-sent?done=accepted');
		// Answered after the commit: the staff device (a live socket) gets it as it is relayed.
		await until(() => readSale(device.doc, 'est-sent')?.status === 'accepted', 5000, 'accepted on the staff device');
		const sale = readSale(device.doc, 'est-sent')!;
		expect(sale.decidedByContact).toBe('ann');
		expect(typeof sale.decidedAt).toBe('number');
		const page = await get(c, r.location!);
		expect(page.body).toContain('Thank you: you accepted this document.');
		expect(page.body).toContain('Accepted');
		expect(page.body).not.toContain('name="answer"');
	});

	it('answering twice, or a document that is not a sent estimate or proposal, changes nothing and says so', async () => {
		const c = await signedIn('ann@pm.test');
		const again = await post(c, '/portal/estimates/est-sent?/decide', { answer: 'declined' });
		expect(again.status).toBe(409);
		expect(again.body).toContain('can no longer be accepted or declined');
		expect(readSale(device.doc, 'est-sent')?.status).toBe('accepted');
		expect((await post(c, '/portal/invoices/inv-sent?/decide', { answer: 'accepted' })).status).toBe(409);
		expect(readSale(device.doc, 'inv-sent')?.status).toBe('sent');
		expect((await post(c, '/portal/estimates/est-draft?/decide', { answer: 'accepted' })).status).toBe(404);
		expect((await post(c, '/portal/proposals/pro-sent?/decide', { answer: 'maybe' })).status).toBe(400);
		const declined = await post(c, '/portal/proposals/pro-sent?/decide', { answer: 'declined' });
		expect(declined.status).toBe(303);
		await until(() => readSale(device.doc, 'pro-sent')?.status === 'declined', 5000, 'declined on the staff device');
	});

	it('a new ticket and a reply reach the staff device live, marked as the contact’s', async () => {
		const c = await signedIn('ann@pm.test');
		const r = await post(c, '/portal/support?/open', { subject: '  Invoice question ', body: 'Why 19 %?' });
		expect(r.status).toBe(303);
		const id = r.location!.split('/').pop()!;
		await until(() => readTickets(device.doc).some((t) => t.id === id), 5000, 'ticket on the staff device');
		const ticket = readTickets(device.doc).find((t) => t.id === id)!;
		expect(ticket).toMatchObject({
			subject: 'Invoice question',
			status: 'open',
			contactId: 'ann',
			openedByContact: 'ann'
		});
		expect(ticket.createdBy).toBeUndefined();
		expect(ticket.replies.map((x) => [x.body, x.byContact])).toEqual([['Why 19 %?', 'ann']]);

		const reply = await post(c, `/portal/support/${id}?/reply`, { body: 'And the 7 %?' });
		expect(reply.status).toBe(303);
		await until(
			() => readTickets(device.doc).find((t) => t.id === id)!.replies.length === 2,
			5000,
			'reply on the staff device'
		);
		expect(reply.location).toBe(`/portal/support/${id}?done=replied`);
		const page = await get(c, reply.location!);
		expect(page.body).toContain('Your reply was sent.');
		expect(page.body).toContain('And the 7 %?');

		// A staff reply on the device shows in the portal.
		await staffEdit((d) =>
			createRecord(d, DOC.ticketReplies, {
				id: 'staff-r',
				fields: { ticketId: id, body: 'Reduced rate for books.' },
				authorId: acme.authorId,
				now: Date.now()
			})
		);
		expect((await get(c, `/portal/support/${id}`)).body).toContain('Reduced rate for books.');
	});

	it('a reply to a closed ticket opens it again', async () => {
		const c = await signedIn('ann@pm.test');
		expect((await get(c, '/portal/support/tic-a')).body).toContain('Replying opens it again.');
		expect((await post(c, '/portal/support/tic-a?/reply', { body: 'It jams again.' })).status).toBe(303);
		await until(() => readTickets(device.doc).find((t) => t.id === 'tic-a')?.status === 'open', 5000, 'reopened');
	});
});

describe('[§8] portal forms under bad input', () => {
	it('over-long or empty text: a clear message at the field, the text kept, nothing written', async () => {
		const c = await signedIn('ann@pm.test');
		const before = readTickets(device.doc).length;
		const long = await post(c, '/portal/support?/open', { subject: 's'.repeat(201), body: 'kept body' });
		expect(long.status).toBe(400);
		expect(long.body).toContain('Too long: at most 200 characters.');
		expect(long.body).toContain('s'.repeat(201));
		expect(long.body).toContain('kept body');
		const empty = await post(c, '/portal/support?/open', { subject: 'A subject', body: '   ' });
		expect(empty.status).toBe(400);
		expect(empty.body).toContain('value="A subject"');
		const body = 'b'.repeat(10_001);
		const reply = await post(c, '/portal/support/tic-a?/reply', { body });
		expect(reply.status).toBe(400);
		expect(reply.body).toContain('Too long: at most 10,000 characters.');
		expect(reply.body).toContain(body);
		expect(readTickets(device.doc).length).toBe(before);
	});

	it('CSRF: a post from another origin or with no Origin is refused; bodies that are not forms get a 4xx', async () => {
		const c = await signedIn('ann@pm.test');
		for (const origin of ['https://evil.example', null]) {
			const r = await c.postForm('/portal/estimates/est-second?/decide', { answer: 'accepted' }, { origin });
			expect(r.status).toBe(403);
		}
		for (const [type, body] of [
			['application/json', JSON.stringify({ answer: 'accepted' })],
			['text/plain', 'answer=accepted'],
			['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="answer"\r\n\r\nacc']
		]) {
			const r = await c.request('/portal/estimates/est-second?/decide', {
				method: 'POST',
				headers: { 'content-type': type, accept: 'text/html' },
				body
			});
			expect(r.status, type).toBeGreaterThanOrEqual(400);
			expect(r.status, type).toBeLessThan(500);
		}
		expect(readSale(device.doc, 'est-second')?.status).toBe('sent');
	});
});
