import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { DOC } from '$lib/schema/records';
import { ModulesState } from './modules.svelte';
import { currencyOptions, formatDay, parseDecimal } from './module-labels';

function setup() {
	const doc = new Y.Doc();
	let commits = 0;
	const modules = new ModulesState(doc, 'staff-1', () => commits++);
	doc.on('update', modules.read);
	return { doc, modules, commits: () => commits };
}

describe('the customer page’s module records (issue #12)', () => {
	it('creates a draft invoice in EUR with lines whose totals come from totals.ts', () => {
		const { modules, commits } = setup();
		const id = modules.createSale('invoice');
		const a = modules.addLine(id);
		const b = modules.addLine(id);
		expect(modules.updateLine(id, a, { quantity: 2.5, unitPrice: 10000, taxRate: 19 })).toEqual({});
		expect(modules.updateLine(id, b, { quantity: 1, unitPrice: 4999, taxRate: 7 })).toEqual({});
		const sale = modules.sales[0];
		expect(sale).toMatchObject({ kind: 'invoice', status: 'draft', currency: 'EUR', displayNumber: null });
		expect(sale.totals).toMatchObject({ subtotal: 29999, tax: 5100, total: 35099 });
		expect(commits()).toBe(5);
	});

	it('refuses an invalid value without writing it, and reorders lines', () => {
		const { modules } = setup();
		const id = modules.createSale('estimate');
		const a = modules.addLine(id);
		const b = modules.addLine(id);
		expect(modules.updateLine(id, a, { taxRate: 101 })).toEqual({ taxRate: 'out_of_range' });
		expect(modules.update(DOC.sales, id, { dueDate: '2026-02-30' })).toEqual({ dueDate: 'invalid' });
		expect(modules.sales[0].lines.map((l) => l.taxRate)).toEqual([0, 0]);
		modules.moveLine(id, b, -1);
		expect(modules.sales[0].lines.map((l) => l.id)).toEqual([b, a]);
		modules.removeLine(id, a);
		expect(modules.sales[0].lines.map((l) => l.id)).toEqual([b]);
	});

	it('[§3.2] a send request names its recipients and marks the draft as sent', () => {
		const { modules } = setup();
		const id = modules.createContract();
		modules.send(DOC.contracts, id, ['c1', 'c2']);
		expect(modules.contracts[0].status).toBe('sent');
		expect(modules.sendsOf(id)).toMatchObject([{ recordId: id, by: 'staff-1', recipients: ['c1', 'c2'] }]);
	});

	it('keeps a ticket’s replies and a project’s tasks with them; trash and restore', () => {
		const { modules } = setup();
		const t = modules.createTicket('Printer jams');
		modules.reply(t, 'On it.');
		expect(modules.tickets[0].replies.map((r) => r.body)).toEqual(['On it.']);
		const p = modules.createProject('Relaunch');
		const task = modules.createTask(p, 'Wireframes');
		modules.trash(DOC.tasks, task);
		expect(modules.projects[0].tasks).toEqual([]);
		modules.trash(DOC.projects, p);
		expect(typeof modules.projects[0].deletedAt).toBe('number');
		modules.restore(DOC.projects, p);
		expect(modules.projects[0].deletedAt).toBeNull();
	});
});

describe('module labels', () => {
	it('reads decimals with either mark, dates as the same day everywhere, every ISO currency', () => {
		expect(parseDecimal('2,5')).toBe(2.5);
		expect(parseDecimal(' 19 ')).toBe(19);
		expect(parseDecimal('1.2.3')).toBeNull();
		expect(formatDay('en', '2026-12-07')).toBe('Dec 7, 2026');
		expect(formatDay('en', 'nope')).toBe('');
		const options = currencyOptions('en', 'EUR');
		expect(options.find((o) => o.value === 'EUR')?.label).toBe('EUR — Euro');
		expect(options.length).toBeGreaterThan(100);
		expect(currencyOptions('en', 'XYZ').at(-1)).toEqual({ value: 'XYZ', label: 'XYZ' });
	});
});
