import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addSaleLine,
	createSale,
	isOverdue,
	readSale,
	requestSend,
	sendRecipients,
	updateRecord
} from './module-doc.ts';
import { DOC, checkValue } from './records.ts';
import { SALES_FIELDS } from './modules.ts';

const A = 'user-a';

describe('sales documents in a customer document', () => {
	it('start as drafts without a number, with lines in order and totals', () => {
		const doc = new Y.Doc();
		createSale(doc, {
			id: 's1',
			kind: 'invoice',
			authorId: A,
			now: Date.UTC(2026, 11, 7),
			fields: { currency: 'EUR' }
		});
		addSaleLine(doc, {
			id: 'l2',
			saleId: 's1',
			authorId: A,
			now: 1,
			fields: { description: 'Visit', unitPrice: 5000, taxRate: 19 }
		});
		addSaleLine(doc, {
			id: 'l1',
			saleId: 's1',
			authorId: A,
			now: 2,
			fields: { description: 'Travel', quantity: 2, unitPrice: 1000 }
		});
		const s = readSale(doc, 's1')!;
		expect(s).toMatchObject({ kind: 'invoice', status: 'draft', date: '2026-12-07', displayNumber: null });
		expect(s.lines.map((l) => l.description)).toEqual(['Visit', 'Travel']);
		expect(s.totals).toMatchObject({ subtotal: 7000, tax: 950, total: 7950 });
		doc.getMap<Y.Map<unknown>>(DOC.sales).get('s1')!.set('number', 42);
		expect(readSale(doc, 's1')!.displayNumber).toBe('INV-000042');
	});
	it('a send request marks a draft as sent, in one transaction', () => {
		const doc = new Y.Doc();
		createSale(doc, { id: 's1', kind: 'estimate', authorId: A, now: 1 });
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		requestSend(doc, { id: 'x1', target: DOC.sales, recordId: 's1', recipients: ['c1', 'c2'], authorId: A, now: 2 });
		expect(transactions).toBe(1);
		expect(readSale(doc, 's1')!.status).toBe('sent');
		expect(sendRecipients(doc.getMap<Y.Map<unknown>>(DOC.sends).get('x1')!.get('recipients'))).toEqual(['c1', 'c2']);
		expect(sendRecipients('c1  bad/id c3')).toEqual(['c1', 'c3']);
	});
	it('an invoice is overdue only when sent and past its due date', () => {
		const base = { kind: 'invoice' as const, dueDate: '2026-12-01', deletedAt: null };
		expect(isOverdue({ ...base, status: 'sent' }, '2026-12-02')).toBe(true);
		expect(isOverdue({ ...base, status: 'sent' }, '2026-12-01')).toBe(false);
		expect(isOverdue({ ...base, status: 'paid' }, '2026-12-02')).toBe(false);
	});
	it('checks dates, currencies and amounts', () => {
		expect(checkValue(SALES_FIELDS.date, '2026-02-30')).toBe('invalid');
		expect(checkValue(SALES_FIELDS.date, '2026-02-28')).toBeNull();
		expect(checkValue(SALES_FIELDS.currency, 'eur')).toBe('invalid_choice');
		expect(checkValue(SALES_FIELDS.number, 0)).toBe('out_of_range');
		expect(checkValue(SALES_FIELDS.number, 1.5)).toBe('not_integer');
	});
	it('updateRecord stamps the author and skips unchanged values', () => {
		const doc = new Y.Doc();
		createSale(doc, { id: 's1', kind: 'invoice', authorId: A, now: 1 });
		updateRecord(doc, DOC.sales, 's1', { subject: '  Spring ' }, 'user-b', 5);
		expect(readSale(doc, 's1')).toMatchObject({ subject: 'Spring', updatedBy: 'user-b', updatedAt: 5, createdBy: A });
	});
});
