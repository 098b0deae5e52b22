import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readPhoneRegion, setPhoneRegion, workspaceMap } from './settings.ts';

describe('workspace default phone region', () => {
	it('is an ISO code libphonenumber knows, set and cleared by an admin; anything else reads as none', () => {
		const doc = new Y.Doc();
		expect(readPhoneRegion(doc)).toBeNull();
		setPhoneRegion(doc, ' de ');
		expect(readPhoneRegion(doc)).toBe('DE');
		expect(workspaceMap(doc).get('phoneRegion')).toBe('DE');
		// A country's name, an unknown code or nothing clears it (the select only offers codes).
		for (const bad of ['Germany', 'XX', '', null]) {
			setPhoneRegion(doc, 'FR');
			setPhoneRegion(doc, bad);
			expect(readPhoneRegion(doc)).toBeNull();
		}
		// A stored value a client wrote by hand is read defensively.
		workspaceMap(doc).set('phoneRegion', 'de');
		expect(readPhoneRegion(doc)).toBeNull();
		workspaceMap(doc).set('phoneRegion', 'ZZ');
		expect(readPhoneRegion(doc)).toBeNull();
	});
});
