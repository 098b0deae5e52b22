import { describe, expect, it } from 'vitest';
import { layoutSignature } from '../../src/lib/schema/import-fields.ts';
import { targetKey, parseTargetKey } from '../../src/lib/schema/import-mapping.ts';
import { layoutOf, recognise } from './recognise.ts';
import { rowToDraft } from './row-draft.ts';

describe('recognise', () => {
	it('the same word means what its product means: "Title"', () => {
		const outlook = recognise(['First Name', 'Last Name', 'Title', 'Job Title', 'E-mail Address']);
		expect(outlook.mapping.layout).toBe('outlook');
		expect(outlook.mapping.columns[2]).toEqual({ kind: 'field', field: 'namePrefix' });
		expect(outlook.mapping.columns[3]).toEqual({ kind: 'field', field: 'position' });
		const sf = recognise(['Salutation', 'First Name', 'Last Name', 'Title', 'Account Name', 'Mailing Street']);
		expect(sf.mapping.layout).toBe('salesforce');
		expect(sf.mapping.columns[3]).toEqual({ kind: 'field', field: 'position' });
		expect(sf.mapping.columns[0]).toEqual({ kind: 'field', field: 'namePrefix' });
	});

	it('a file of no known layout gets guesses from common names in the UI languages; the rest is for the user', () => {
		const r = recognise(['Prénom', 'Nom', 'Courriel', 'Téléphone', 'Lieblingsfarbe', '']);
		expect(r.mapping.layout).toBe('custom');
		expect(r.mapping.columns.slice(0, 4).map((c) => c.kind === 'field' && c.field)).toEqual([
			'firstName',
			'lastName',
			'email',
			'phone'
		]);
		expect(r.unmapped).toEqual([4]); // the empty header is no question
	});

	it('a header named like an Object.prototype key maps to nothing', () => {
		const r = recognise(['constructor', '__proto__', 'toString', 'Vorname', 'Nachname']);
		expect(r.mapping.columns.slice(0, 3)).toEqual([{ kind: 'ignore' }, { kind: 'ignore' }, { kind: 'ignore' }]);
		expect(r.unmapped).toEqual([0, 1, 2]);
	});

	it('a mapping saved for this header row wins; one for another row does not', () => {
		const headers = ['Col A', 'Col B'];
		const saved = {
			layout: 'custom',
			signature: layoutSignature(headers),
			columns: [
				{ kind: 'field', field: 'lastName' },
				{ kind: 'field', field: 'email' }
			] as const
		};
		expect(recognise(headers, { ...saved, columns: [...saved.columns] }).mapping.columns[1]).toEqual({
			kind: 'field',
			field: 'email'
		});
		expect(recognise(['Col A', 'Col C'], { ...saved, columns: [...saved.columns] }).unmapped).toEqual([0, 1]);
	});

	it('signatures ignore case and spacing, not order', () => {
		expect(layoutSignature(['First Name', 'E-mail'])).toBe(layoutSignature([' first  name', 'E-MAIL ']));
		expect(layoutSignature(['First Name', 'E-mail'])).not.toBe(layoutSignature(['E-mail', 'First Name']));
	});

	it('German ONLYOFFICE is not mistaken for a generic German Excel file', () => {
		expect(layoutOf(['Vorname', 'Nachname', 'Name des Unternehmens', 'E-Mail (Arbeit)'])?.id).toBe('onlyoffice');
		expect(layoutOf(['Vorname', 'Nachname', 'Firma'])?.id).toBe('excel-de');
		expect(layoutOf(['a', 'b'])).toBeNull();
	});

	it('a column named like an additional field maps to it, case and spaces aside; a layout’s own column and an ambiguous or removed label do not', () => {
		const def = (id: string, appliesTo: 'company' | 'person', label: string, removedAt: number | null = null) => ({
			id,
			appliesTo,
			type: 'text' as const,
			label,
			order: 0,
			required: false,
			options: [],
			removedAt
		});
		const fields = [
			def('f1', 'person', 'Customer Number'),
			def('f2', 'company', 'Region'),
			def('f3', 'person', 'Shoe size', 1),
			def('f4', 'person', 'Lead source'),
			def('f5', 'company', 'lead source'),
			def('f6', 'person', 'Notes')
		];
		const r = recognise(['Name', ' customernumber ', 'REGION', 'Shoe Size', 'Lead Source', 'Email'], null, fields);
		expect(r.mapping.columns).toEqual([
			{ kind: 'field', field: 'fullName' },
			{ kind: 'custom', id: 'f1' },
			// Over the generic guess (state): the workspace named this field.
			{ kind: 'custom', id: 'f2' },
			{ kind: 'ignore' },
			{ kind: 'ignore' },
			{ kind: 'field', field: 'email' }
		]);
		expect(r.unmapped).toEqual([3, 4]);
		// Outlook's "Notes" keeps its meaning in that layout.
		const outlook = recognise(['First Name', 'Last Name', 'E-mail Address', 'Job Title', 'Notes'], null, fields);
		expect(outlook.mapping.columns[4]).toEqual({ kind: 'field', field: 'notes' });
		// Without the fields, the same headers are a guess or nothing.
		expect(recognise(['Customer Number', 'Lead Source'], null, []).mapping.columns).toEqual([
			{ kind: 'field', field: 'externalId' },
			{ kind: 'ignore' }
		]);
	});

	it('a Google "E-mail 1 - Value" or "Phone 1 - Value" kept alone, without its label column or the rest of the layout, is still an e-mail or a phone', () => {
		const r = recognise([
			'Name',
			'E-mail 1 - Value',
			'Phone 1 - Value',
			'Email 2 - Value',
			'Phone 2 - Label',
			'Phone 2 - Value'
		]);
		expect(r.mapping.layout).toBe('custom');
		expect(r.unmapped).toEqual([]);
		expect(r.mapping.columns.slice(1)).toEqual([
			{ kind: 'field', field: 'email', slot: 1 },
			{ kind: 'field', field: 'phone', slot: 1 },
			{ kind: 'field', field: 'email', slot: 2 },
			{ kind: 'label', field: 'phone', slot: 2 },
			{ kind: 'field', field: 'phone', slot: 2 }
		]);
		// What the import makes of a row: values with no label, the labelled one with its label.
		const row = rowToDraft(
			2,
			['Ana Silva', 'ana@example.com', '+49 30 1234567', 'ana@home.example', 'Mobile', '0171 555'],
			r.mapping,
			{
				columns: 6
			}
		);
		expect(row.kind === 'draft' && row.draft.emails).toEqual([
			{ value: 'ana@example.com', label: null },
			{ value: 'ana@home.example', label: null }
		]);
		expect(row.kind === 'draft' && row.draft.phones.map((p) => [p.value, p.label])).toEqual([
			['+49 30 1234567', null],
			['0171 555', 'mobile']
		]);
		// The mapping screen sends these back as keys the server reads.
		for (const t of r.mapping.columns) expect(parseTargetKey(targetKey(t))).toEqual(t);
	});

	it('a slot number no mapping key can carry (over 99) is left for the user to map, not guessed', () => {
		const r = recognise(['Name', 'E-mail 100 - Value', 'Phone 1 - Values']);
		expect(r.mapping.columns.slice(1)).toEqual([{ kind: 'ignore' }, { kind: 'ignore' }]);
		expect(r.unmapped).toEqual([1, 2]);
	});
});
