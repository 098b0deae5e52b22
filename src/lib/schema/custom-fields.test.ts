import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCustomField,
	checkDefinition,
	liveCustomFields,
	moveCustomField,
	readCustomFields,
	removeCustomField,
	restoreCustomField,
	updateCustomField
} from './custom-fields.ts';

function settingsWith(...labels: [string, 'company' | 'person'][]): Y.Doc {
	const doc = new Y.Doc();
	labels.forEach(([label, appliesTo], i) =>
		addCustomField(doc, `f${i + 1}`, { appliesTo, type: 'text', label, required: false })
	);
	return doc;
}

describe('additional field definitions', () => {
	it('are added in order, per target, with their parts', () => {
		const doc = new Y.Doc();
		addCustomField(doc, 'tier', {
			appliesTo: 'company',
			type: 'select',
			label: ' Tier ',
			required: true,
			options: ['Gold', ' Silver', '', 'Gold']
		});
		addCustomField(doc, 'bday', { appliesTo: 'person', type: 'date', label: 'Anniversary', required: false });
		expect(readCustomFields(doc)).toEqual([
			{
				id: 'tier',
				appliesTo: 'company',
				type: 'select',
				label: 'Tier',
				order: 1,
				required: true,
				options: ['Gold', 'Silver'],
				removedAt: null
			},
			{
				id: 'bday',
				appliesTo: 'person',
				type: 'date',
				label: 'Anniversary',
				order: 2,
				required: false,
				options: [],
				removedAt: null
			}
		]);
		expect(liveCustomFields(readCustomFields(doc), 'person').map((d) => d.id)).toEqual(['bday']);
	});

	it('rename and type change keep the id (the key of the values)', () => {
		const doc = settingsWith(['Size', 'company']);
		updateCustomField(doc, 'f1', { label: 'Head count', type: 'number', required: true });
		expect(readCustomFields(doc)[0]).toMatchObject({ id: 'f1', label: 'Head count', type: 'number', required: true });
	});

	it('reorder moves within the fields of one target', () => {
		const doc = settingsWith(['A', 'company'], ['P', 'person'], ['B', 'company'], ['C', 'company']);
		moveCustomField(doc, 'f4', -1);
		expect(liveCustomFields(readCustomFields(doc), 'company').map((d) => d.label)).toEqual(['A', 'C', 'B']);
		moveCustomField(doc, 'f1', -1); // already first: nothing
		expect(liveCustomFields(readCustomFields(doc), 'company').map((d) => d.label)).toEqual(['A', 'C', 'B']);
		expect(liveCustomFields(readCustomFields(doc), 'person').map((d) => d.label)).toEqual(['P']);
	});

	it('remove hides a field and restore brings it back at the end', () => {
		const doc = settingsWith(['A', 'company'], ['B', 'company']);
		removeCustomField(doc, 'f1', 5000);
		expect(readCustomFields(doc).find((d) => d.id === 'f1')?.removedAt).toBe(5000);
		expect(liveCustomFields(readCustomFields(doc), 'company').map((d) => d.label)).toEqual(['B']);
		restoreCustomField(doc, 'f1');
		expect(liveCustomFields(readCustomFields(doc), 'company').map((d) => d.label)).toEqual(['B', 'A']);
	});

	it('checks labels (required, length, unique per target) and select options', () => {
		const defs = readCustomFields(settingsWith(['Tier', 'company']));
		const input = { appliesTo: 'company', type: 'text', label: 'x', required: false } as const;
		expect(checkDefinition(defs, { ...input, label: '  ' })).toEqual({ label: 'required' });
		expect(checkDefinition(defs, { ...input, label: 'x'.repeat(101) })).toEqual({ label: 'too_long' });
		expect(checkDefinition(defs, { ...input, label: 'TIER' })).toEqual({ label: 'duplicate' });
		expect(checkDefinition(defs, { ...input, label: 'Tier' }, 'f1')).toEqual({});
		expect(checkDefinition(defs, { ...input, appliesTo: 'person', label: 'Tier' })).toEqual({});
		expect(checkDefinition(defs, { ...input, type: 'select', options: [' ', ''] })).toEqual({ options: 'no_options' });
		expect(checkDefinition(defs, { ...input, type: 'select', options: ['o'.repeat(101)] })).toEqual({
			options: 'too_long'
		});
		expect(
			checkDefinition(defs, { ...input, type: 'select', options: Array.from({ length: 51 }, (_, i) => `o${i}`) })
		).toEqual({
			options: 'too_many_options'
		});
	});

	it('a removed label is free for a new field; odd stored values read safely', () => {
		const doc = settingsWith(['Tier', 'company']);
		removeCustomField(doc, 'f1', 1);
		expect(
			checkDefinition(readCustomFields(doc), { appliesTo: 'company', type: 'text', label: 'Tier', required: false })
		).toEqual({});
		const m = doc.getMap<Y.Map<unknown>>('customFields').get('f1')!;
		m.set('type', 'spreadsheet');
		m.delete('label');
		expect(readCustomFields(doc)[0]).toMatchObject({ type: 'text', label: 'f1' });
	});
});
