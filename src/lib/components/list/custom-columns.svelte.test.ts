import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import type { CustomFieldDef } from '$lib/schema/custom-fields';
import type { FieldValue } from '$lib/schema/records';
import { CustomColumns } from './custom-columns.svelte';
import type { ListUrlState } from './list-url.svelte';

const def = (id: string, more: Partial<CustomFieldDef>): CustomFieldDef => ({
	id,
	appliesTo: 'company',
	type: 'text',
	label: id,
	order: 1,
	required: false,
	options: [],
	removedAt: null,
	...more
});

const fields = [
	def('region', { type: 'select', options: ['North', 'South'] }),
	def('vip', { type: 'checkbox' }),
	def('old', { removedAt: 1 }),
	def('shoe', { appliesTo: 'person' })
];
const rows: { id: string; custom: Record<string, FieldValue> }[] = [
	{ id: 'a', custom: { region: 'North', vip: true } },
	{ id: 'b', custom: { region: 'South' } },
	{ id: 'c', custom: {} }
];
const listOf = (columns: string[], custom: Record<string, string>) => ({ columns, custom }) as unknown as ListUrlState;

describe("a list's additional-field columns", () => {
	it("offers the target's live fields and shows the columns the list asks for", () => {
		const custom = new CustomColumns(() => fields, 'company', listOf(['vip', 'old', 'shoe'], {}));
		expect(custom.defs.map((d) => d.id)).toEqual(['region', 'vip']);
		expect(custom.shown.map((d) => d.id)).toEqual(['vip']);
		expect(custom.cells(rows[0])).toEqual([{ def: fields[1], text: m.cf_yes() }]);
		expect(custom.cells(rows[2])).toEqual([{ def: fields[1], text: '' }]);
	});

	it("keeps the rows its filters ask for; a removed or another target's field does not filter", () => {
		const custom = new CustomColumns(() => fields, 'company', listOf([], { region: 'South', old: 'x', shoe: 'y' }));
		expect(custom.filter(rows).map((r) => r.id)).toEqual(['b']);
	});

	it('has no fields while the workspace loads', () => {
		const custom = new CustomColumns(() => undefined, 'company', listOf(['vip'], { vip: 'yes' }));
		expect(custom.defs).toEqual([]);
		expect(custom.cells(rows[0])).toEqual([]);
		expect(custom.filter(rows)).toEqual(rows);
	});
});
