import { describe, expect, it } from 'vitest';
import { tabFrom, tabSearch } from './customer-tabs';

describe('customer page tabs in the URL', () => {
	const url = new URL('https://fb.example/customers/c1?tab=invoices&open=s1');

	it('reads the tab and the open record from the URL when the entry is not shallow', () => {
		expect(tabFrom({}, url)).toEqual({ tab: 'invoices', open: 's1' });
		expect(tabFrom({}, new URL('https://fb.example/customers/c1?tab=nope&open=a%20b'))).toEqual({
			tab: 'details',
			open: null
		});
	});

	it('prefers a shallow entry, whose record may be none', () => {
		expect(tabFrom({ customerTab: 'support' }, url)).toEqual({ tab: 'support', open: null });
		expect(tabFrom({ customerTab: 'support', customerOpen: 't1' }, url)).toEqual({ tab: 'support', open: 't1' });
	});

	it('writes the details tab as the bare page', () => {
		expect(tabSearch('details', null)).toBe('');
		expect(tabSearch('projects', 'p1')).toBe('?tab=projects&open=p1');
	});
});
