import { describe, expect, it } from 'vitest';
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import { emptyDraft, type ImportDraft } from '../../src/lib/schema/import-fields.ts';
import { vcardsOf } from '../../src/lib/schema/vcard-write.ts';
import { planRecords } from './to-records.ts';
import { parseVcards } from './vcard.ts';

/** Additional fields through a vCard export and its re-import (vcard-write.ts header, issue #13 item 4). */
const def = (id: string, label: string, type: CustomFieldDef['type'], extra: Partial<CustomFieldDef> = {}) =>
	({
		id,
		appliesTo: 'person',
		type,
		label,
		order: 0,
		required: false,
		options: [],
		removedAt: null,
		...extra
	}) satisfies CustomFieldDef;

const DEFS: CustomFieldDef[] = [
	def('shoe_size', 'Shoe size', 'number'),
	def('vip', 'VIP since', 'date'),
	def('newsletter', 'Newsletter', 'checkbox'),
	def('tier', 'Tier', 'select', { options: ['Gold', 'Silver'] }),
	def('bio', 'Biography; "short"', 'longText'),
	def('acct', 'Account no.', 'text', { appliesTo: 'company' })
];
const LABELS = Object.fromEntries(DEFS.map((d) => [d.id, d.label]));

const rita = (): ImportDraft => ({
	...emptyDraft(),
	firstName: 'Rita',
	lastName: 'Marx',
	custom: {
		shoe_size: '41.5',
		vip: '2024-02-29',
		newsletter: 'no',
		tier: 'Gold',
		bio: 'Line one\nLine two, three; four'
	}
});

function drafts(vcf: string, customFields?: CustomFieldDef[]): ImportDraft[] {
	return parseVcards(new TextEncoder().encode(vcf), { customFields }).cards.flatMap((c) =>
		c.kind === 'draft' ? [c.draft] : []
	);
}

describe('additional fields: vCard export → import', () => {
	it('comes back into the same field by its id, and the records hold the typed values', () => {
		const vcf = vcardsOf([{ draft: rita() }], LABELS);
		const [back] = drafts(vcf);
		expect(back.custom).toEqual(rita().custom);
		const planned = planRecords(back, 'vcard', DEFS);
		expect(planned.ok).toBe(true);
		if (!planned.ok || planned.plan.kind !== 'person') throw new Error('not a person');
		expect(planned.plan.contact).toMatchObject({
			'custom.shoe_size': 41.5,
			'custom.vip': '2024-02-29',
			'custom.newsletter': false,
			'custom.tier': 'Gold',
			'custom.bio': 'Line one\nLine two, three; four'
		});
		expect(planned.plan.notKept).toEqual([]);
	});

	it('into another workspace (other ids) a value fills the live field of the same label, case ignored', () => {
		const vcf = vcardsOf([{ draft: rita() }], LABELS);
		const other = [def('f1', 'shoe SIZE', 'number'), def('f2', 'Biography; "short"', 'longText')];
		const [back] = drafts(vcf, other);
		expect(back.custom.f1).toBe('41.5');
		expect(back.custom.f2).toBe('Line one\nLine two, three; four');
		// No field of that id or label there: kept under its id, reported as not kept by the plan.
		expect(back.custom.tier).toBe('Gold');
		const planned = planRecords(back, 'vcard', other);
		expect(planned.ok && planned.plan.notKept).toEqual(expect.arrayContaining(['custom']));
	});

	it('an id that names a removed field is matched by label to a live one, never to the removed one', () => {
		const vcf = vcardsOf([{ draft: { ...emptyDraft(), firstName: 'A', lastName: 'B', custom: { old: 'x' } } }], {
			old: 'Hobby'
		});
		const defs = [def('old', 'Hobby', 'text', { removedAt: 5 }), def('new', 'Hobby', 'text')];
		expect(drafts(vcf, defs)[0].custom).toEqual({ new: 'x' });
	});

	it('a malformed id or an empty value is not read; other properties of the card still are', () => {
		const vcf =
			'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana Silva\r\nN:Silva;Ana;;;\r\n' +
			'X-FIELDBOOK-FIELD;X-ID=../../etc:boom\r\nX-FIELDBOOK-FIELD:no id\r\nX-FIELDBOOK-FIELD;X-ID=ok:\r\n' +
			'EMAIL:ana@example.com\r\nEND:VCARD\r\n';
		const [d] = drafts(vcf);
		expect(d.custom).toEqual({});
		expect(d.emails).toEqual([{ value: 'ana@example.com', label: null }]);
	});

	it('a company card carries company fields', () => {
		const vcf = vcardsOf(
			[{ draft: { ...emptyDraft(), kind: 'company', company: 'Nordlicht', custom: { acct: 'K-17' } } }],
			LABELS
		);
		const [d] = drafts(vcf);
		expect(d.kind).toBe('company');
		const planned = planRecords(d, 'vcard', DEFS);
		expect(planned.ok && planned.plan.kind === 'company' && planned.plan.customer['custom.acct' as never]).toBe('K-17');
	});
});
