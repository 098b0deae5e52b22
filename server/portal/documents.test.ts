/**
 * [§2] What a contact sees of the module records (server/portal/documents.ts): each sales kind
 * in its own module (credit notes with invoices), never a draft or the trash; contracts not in
 * draft; tasks only of projects whose tasks are visible; totals as totals.ts computes them.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, initCustomer, updateCustomer } from '../../src/lib/schema/customer-doc.ts';
import { addSaleLine, createRecord, createSale, trashRecord } from '../../src/lib/schema/module-doc.ts';
import type { SalesKind } from '../../src/lib/schema/modules.ts';
import { DOC } from '../../src/lib/schema/records.ts';
import { documentTotals } from '../../src/lib/schema/totals.ts';
import {
	customerDetails,
	listContracts,
	listSales,
	viewContract,
	viewProject,
	viewSale,
	viewTicket
} from './documents.ts';

const A = 'staff-1';
const NOW = 1_780_000_000_000;

function doc(): Y.Doc {
	const d = new Y.Doc();
	const sale = (id: string, kind: SalesKind, status: string) => {
		createSale(d, { id, kind, authorId: A, now: NOW, fields: { status, currency: 'EUR' } });
		addSaleLine(d, {
			id: `${id}-1`,
			saleId: id,
			authorId: A,
			now: NOW,
			fields: { quantity: 1.5, unitPrice: 999, taxRate: 19 }
		});
		addSaleLine(d, {
			id: `${id}-2`,
			saleId: id,
			authorId: A,
			now: NOW,
			fields: { quantity: 1, unitPrice: 333, taxRate: 7 }
		});
	};
	sale('inv', 'invoice', 'sent');
	sale('inv-paid', 'invoice', 'paid');
	sale('inv-draft', 'invoice', 'draft');
	sale('inv-trash', 'invoice', 'sent');
	trashRecord(d, DOC.sales, 'inv-trash', A, NOW);
	sale('cn', 'creditNote', 'sent');
	sale('est', 'estimate', 'sent');
	sale('est-bad', 'estimate', 'paid'); // a status of another kind reads as a draft
	sale('pro', 'proposal', 'accepted');
	createRecord(d, DOC.contracts, {
		id: 'con',
		authorId: A,
		now: NOW,
		fields: { subject: 'C', status: 'signed', signed: true }
	});
	createRecord(d, DOC.contracts, { id: 'con-draft', authorId: A, now: NOW, fields: { subject: 'D', status: 'draft' } });
	createRecord(d, DOC.projects, { id: 'p-on', authorId: A, now: NOW, fields: { name: 'On', tasksVisible: true } });
	createRecord(d, DOC.projects, { id: 'p-off', authorId: A, now: NOW, fields: { name: 'Off' } });
	for (const p of ['p-on', 'p-off'])
		createRecord(d, DOC.tasks, { id: `${p}-t`, authorId: A, now: NOW, fields: { projectId: p, name: 'T' } });
	return d;
}

describe('[§2] portal documents', () => {
	it('each module shows its kinds only, never drafts or the trash', () => {
		const d = doc();
		expect(
			listSales(d, 'invoices')
				.map((s) => s.id)
				.sort()
		).toEqual(['cn', 'inv', 'inv-paid']);
		expect(listSales(d, 'estimates').map((s) => s.id)).toEqual(['est']);
		expect(listSales(d, 'proposals').map((s) => s.id)).toEqual(['pro']);
		for (const id of ['inv-draft', 'inv-trash', 'est', 'nope']) expect(viewSale(d, 'invoices', id)).toBeNull();
		expect(viewSale(d, 'estimates', 'est-bad')).toBeNull();
	});

	it("a sale's totals are totals.ts's, and only a sent estimate or proposal is decidable", () => {
		const d = doc();
		const inv = viewSale(d, 'invoices', 'inv')!;
		expect(inv.totals).toEqual(
			documentTotals([
				{ quantity: 1.5, unitPrice: 999, taxRate: 19 },
				{ quantity: 1, unitPrice: 333, taxRate: 7 }
			])
		);
		expect(inv.total).toBe(inv.totals.total);
		expect(inv.lines.map((l) => l.net)).toEqual([1499, 333]);
		expect(inv.decidable).toBe(false);
		expect(viewSale(d, 'estimates', 'est')!.decidable).toBe(true);
		expect(viewSale(d, 'proposals', 'pro')!.decidable).toBe(false);
	});

	it('contracts not in draft; tasks only where the project shows them', () => {
		const d = doc();
		expect(listContracts(d).map((c) => c.id)).toEqual(['con']);
		expect(viewContract(d, 'con-draft')).toBeNull();
		expect(viewProject(d, 'p-on')!.tasks?.map((t) => t.id)).toEqual(['p-on-t']);
		expect(viewProject(d, 'p-off')!.tasks).toBeNull();
	});

	it("a ticket's replies say who wrote them: you, our team, or another contact by name", () => {
		const d = doc();
		addContact(d, { id: 'k1', fields: { firstName: 'Ann', lastName: 'Lee' }, authorId: A, now: NOW });
		addContact(d, { id: 'k2', fields: { firstName: 'Ben', lastName: 'Ode' }, authorId: A, now: NOW });
		createRecord(d, DOC.tickets, { id: 't', authorId: A, now: NOW, fields: { subject: 'S', status: 'open' } });
		const reply = (id: string, fields: Record<string, string>, at: number) =>
			createRecord(d, DOC.ticketReplies, { id, authorId: A, now: at, fields: { ticketId: 't', body: id, ...fields } });
		reply('r1', { byContact: 'k1' }, NOW);
		reply('r2', {}, NOW + 1);
		reply('r3', { byContact: 'k2' }, NOW + 2);
		expect(viewTicket(d, 't', 'k1')!.replies.map((r) => r.by)).toEqual(['you', 'staff', { contact: 'Ben Ode' }]);
		expect(viewTicket(d, 'nope', 'k1')).toBeNull();
	});

	it("the printed customer's address follows its country, the country named in the reader's language", () => {
		const d = new Y.Doc();
		const fields = { companyName: 'Acme', street: 'Hauptstraße 1', postalCode: '82256', city: 'Fürstenfeldbruck' };
		initCustomer(d, { kind: 'company', authorId: A, now: NOW, fields: { ...fields, country: 'DE' } });
		expect(customerDetails(d, 'x', 'fr').address).toEqual(['Hauptstraße 1', '82256 Fürstenfeldbruck', 'Allemagne']);
		expect(customerDetails(d, 'x', 'en').address).toEqual(['Hauptstraße 1', '82256 Fürstenfeldbruck', 'Germany']);
		// Free text is printed as written.
		updateCustomer(d, { country: 'Bavaria-Land' }, A, NOW + 1);
		expect(customerDetails(d, 'x', 'de').address).toEqual(['Hauptstraße 1', '82256 Fürstenfeldbruck', 'Bavaria-Land']);
	});
});
