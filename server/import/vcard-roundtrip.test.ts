import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImportDraft, ValueLabel } from '../../src/lib/schema/import-fields.ts';
import { vcardsOf } from '../../src/lib/schema/vcard-write.ts';
import { parseVcards } from './vcard.ts';

/**
 * What vCard 4.0 cannot carry, so a round trip changes it on purpose: e-mail labels other
 * than work/home (RFC 6350 6.4.2 defines no others), phone labels "main"/"other" (written
 * as TYPE=voice), a phone's typed form when its E.164 is known (written as a tel: URI), and
 * CRLF inside text (written as \n).
 */
function portable(d: ImportDraft) {
	const keep = (l: ValueLabel | null) => (l === 'main' || l === 'other' ? null : l);
	const text = (x: unknown): unknown =>
		JSON.parse(
			JSON.stringify(x, (_k, v: unknown) =>
				typeof v === 'string' ? v.replace(/\r\n/g, '\n') : v instanceof Uint8Array ? [...v] : v
			)
		);
	return text({
		...d,
		emails: d.emails.map((e) => ({ value: e.value, label: e.label === 'work' || e.label === 'home' ? e.label : null })),
		phones: d.phones.map((p) => ({ number: p.e164 ?? p.value, ext: p.ext, label: keep(p.label) }))
	});
}

describe('vCard export → import round trip', () => {
	it('every card of each sample file comes back with the same fields', () => {
		for (const name of ['ios.vcf', 'google.vcf', 'outlook-2.1.vcf', 'rfc6350-4.0.vcf']) {
			const first = parseVcards(fs.readFileSync(new URL(`../../tests/fixtures/import/${name}`, import.meta.url)));
			const drafts = first.cards.flatMap((c) => (c.kind === 'draft' ? [c.draft] : []));
			expect(drafts.length, name).toBeGreaterThan(0);
			const again = parseVcards(new TextEncoder().encode(vcardsOf(drafts.map((draft) => ({ draft })))));
			expect(again.version, name).toBe('4.0');
			const back = again.cards.map((c) => (c.kind === 'draft' ? portable(c.draft) : c));
			expect(back, name).toEqual(drafts.map(portable));
		}
	});
});
