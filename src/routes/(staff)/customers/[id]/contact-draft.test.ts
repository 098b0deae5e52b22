import { describe, expect, it } from 'vitest';
import { blankDraft, draftFrom, draftToData } from './contact-draft';

describe('the contact form', () => {
	it('[§2] a new contact starts with the default portal permissions and no notifications', () => {
		const d = blankDraft({
			invoices: true,
			estimates: false,
			contracts: false,
			proposals: false,
			support: true,
			projects: false
		});
		expect(d.permissions).toMatchObject({ invoices: true, support: true, estimates: false });
		expect(Object.values(d.notifications).every((v) => !v)).toBe(true);
		expect(blankDraft(null).permissions.invoices).toBe(false);
	});

	it('saves trimmed text; only a new contact carries the welcome choice', () => {
		const d = draftFrom({ id: 'k', primary: true, firstName: ' Ada ', lastName: 'L', 'permissions.invoices': true });
		expect(d).toMatchObject({ firstName: ' Ada ', primary: true, language: '' });
		const saved = draftToData(d, false);
		expect(saved).toMatchObject({ firstName: 'Ada', 'permissions.invoices': true, language: null });
		expect(saved).not.toHaveProperty('doNotSendWelcome');
		expect(draftToData({ ...d, doNotSendWelcome: true }, true)).toMatchObject({ doNotSendWelcome: true });
	});
});
