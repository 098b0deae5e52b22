import { describe, expect, it } from 'vitest';
import type { ColumnTarget, Mapping } from '../../src/lib/schema/import-fields.ts';
import { rowToDraft, splitFullName } from './row-draft.ts';

const field = (f: string, extra: Partial<ColumnTarget> = {}) => ({ kind: 'field', field: f, ...extra }) as ColumnTarget;
const mapping = (...columns: ColumnTarget[]): Mapping => ({ layout: 'custom', signature: 'x', columns });
const M = mapping(field('firstName'), field('lastName'), field('email'), field('phone'), field('notes'));
const row = (cells: string[], m = M) => rowToDraft(7, cells, m, { columns: m.columns.length });

describe('rowToDraft', () => {
	it('a good row is a draft with trimmed values and its line', () => {
		const r = row([' Ana ', ' Silva', ' ana@example.com ', '', 'hi']);
		expect(r).toMatchObject({ kind: 'draft', line: 7, warnings: [] });
		expect(r.kind === 'draft' && r.draft).toMatchObject({ firstName: 'Ana', lastName: 'Silva', notes: 'hi' });
		expect(r.kind === 'draft' && r.draft.emails).toEqual([{ value: 'ana@example.com', label: null }]);
	});

	it('[§8] each bad row is refused with its reason and column', () => {
		expect(row(['Ana', 'Silva', 'ana@', '', ''])).toEqual({ kind: 'refused', line: 7, reason: 'bad_email', column: 2 });
		expect(row(['', '', 'ana@example.com', '', ''])).toEqual({ kind: 'refused', line: 7, reason: 'no_name' });
		expect(row(['', ' ', '', '', ''])).toEqual({ kind: 'refused', line: 7, reason: 'empty' });
		expect(row(['Ana', 'Silva', '', '', '', 'spill'])).toEqual({
			kind: 'refused',
			line: 7,
			reason: 'too_many_columns',
			column: 5
		});
		expect(row(['A'.repeat(101), 'Silva', '', '', ''])).toEqual({
			kind: 'refused',
			line: 7,
			reason: 'too_long',
			column: 0
		});
	});

	it('trailing empty cells (Excel ";;;") and missing cells are fine', () => {
		expect(row(['Ana', 'Silva', '', '', '', '', '']).kind).toBe('draft');
		expect(row(['Ana', 'Silva']).kind).toBe('draft');
	});

	it('[CWE-1236] a cell that a spreadsheet would evaluate is kept as text, with a warning', () => {
		for (const cell of ['=1+1', '@SUM(A1)', '+A1*2', '-2+3', '\t=cmd', '=HYPERLINK("x")']) {
			const r = row(['Ana', 'Silva', '', '', cell]);
			expect(r.kind === 'draft' && r.draft.notes, cell).toBe(cell.trim());
			expect(r.kind === 'draft' && r.warnings, cell).toEqual([{ code: 'formula', column: 4 }]);
		}
	});

	it("a cell neutralised by a CSV export ('=…) reads back as written, still with a warning", () => {
		const r = row(['Ana', 'Silva', '', "'+49 30 1234567", "'=1+1"]);
		expect(r.kind === 'draft' && r.draft.phones[0]).toMatchObject({ value: '+49 30 1234567', e164: '+49301234567' });
		expect(r.kind === 'draft' && r.draft.notes).toBe('=1+1');
		expect(r.kind === 'draft' && r.warnings).toEqual([{ code: 'formula', column: 4 }]);
	});

	it('a phone number with + or a negative number is no formula', () => {
		const r = row(['Ana', 'Silva', '', '+49 30 1234567', '-5']);
		expect(r.kind === 'draft' && r.warnings).toEqual([]);
		expect(r.kind === 'draft' && r.draft.phones[0].e164).toBe('+49301234567');
	});

	it('a full name alone is split; a company alone is a company draft', () => {
		const m = mapping(field('fullName'), field('company'));
		const r = rowToDraft(2, ['Silva, Ana Maria', ''], m, { columns: 2 });
		expect(r.kind === 'draft' && [r.draft.firstName, r.draft.lastName]).toEqual(['Ana Maria', 'Silva']);
		const c = rowToDraft(3, ['', 'ACME GmbH'], m, { columns: 2 });
		expect(c.kind === 'draft' && c.draft.kind).toBe('company');
	});

	it('national numbers use the row country, else the default region', () => {
		const m = mapping(field('lastName'), field('phone'), field('country'));
		const de = rowToDraft(2, ['Weiß', '089 1234567', 'Deutschland'], m, { columns: 3, defaultRegion: 'FR' });
		expect(de.kind === 'draft' && de.draft.phones[0].e164).toBe('+49891234567');
		const fr = rowToDraft(3, ['Dupont', '01 23 45 67 89', ''], m, { columns: 3, defaultRegion: 'FR' });
		expect(fr.kind === 'draft' && fr.draft.phones[0].e164).toBe('+33123456789');
		const none = rowToDraft(4, ['Dupont', '01 23 45 67 89', ''], m, { columns: 3 });
		expect(none.kind === 'draft' && none.draft.phones[0]).toMatchObject({ value: '01 23 45 67 89', e164: null });
	});

	it('a birthday that is no date imports the row without it, with a warning', () => {
		const m = mapping(field('lastName'), field('birthday'));
		const r = rowToDraft(2, ['Silva', 'sometime in May'], m, { columns: 2 });
		expect(r.kind === 'draft' && r.draft.birthday).toBeNull();
		expect(r.kind === 'draft' && r.warnings).toEqual([{ code: 'bad_birthday', column: 1 }]);
	});

	it('a "deleted" column with a true value refuses the row', () => {
		const m = mapping(field('lastName'), field('deleted'));
		for (const v of ['true', '1', 'TRUE', 'ja']) {
			expect(rowToDraft(2, ['Silva', v], m, { columns: 2 })).toMatchObject({ reason: 'deleted_in_source' });
		}
		expect(rowToDraft(2, ['Silva', 'false'], m, { columns: 2 }).kind).toBe('draft');
	});
});

describe('rowToDraft: additional fields', () => {
	it('a column mapped to an additional field is kept as text by field id; too long is refused; a formula warns', () => {
		const m = mapping(field('firstName'), field('lastName'), { kind: 'custom', id: 'shoe' });
		const r = rowToDraft(3, ['Ana', 'Silva', ' 38 '], m, { columns: 3 });
		expect(r.kind === 'draft' && r.draft.custom).toEqual({ shoe: '38' });
		expect(rowToDraft(3, ['Ana', 'Silva', 'x'.repeat(10_001)], m, { columns: 3 })).toEqual({
			kind: 'refused',
			line: 3,
			reason: 'too_long',
			column: 2
		});
		const f = rowToDraft(3, ['Ana', 'Silva', '=HYPERLINK("x")'], m, { columns: 3 });
		expect(f.kind === 'draft' && f.warnings).toEqual([{ code: 'formula', column: 2 }]);
	});
});

describe('splitFullName', () => {
	it('comma form, several given names, one word', () => {
		expect(splitFullName('Silva, Ana')).toEqual({ first: 'Ana', last: 'Silva' });
		expect(splitFullName('Ana  Maria Silva')).toEqual({ first: 'Ana Maria', last: 'Silva' });
		expect(splitFullName('Madonna')).toEqual({ first: '', last: 'Madonna' });
	});
});
