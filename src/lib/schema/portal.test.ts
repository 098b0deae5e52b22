import { describe, expect, it } from 'vitest';
import {
	allowedModules,
	isPortalModule,
	isPortalPath,
	isPortalPublicPath,
	mayOpen,
	moduleOfPath,
	PORTAL_MODULES
} from './portal.ts';
import { PORTAL_PERMISSIONS } from './records.ts';

const none = Object.fromEntries(PORTAL_PERMISSIONS.map((p) => [p, false])) as Record<
	(typeof PORTAL_PERMISSIONS)[number],
	boolean
>;

describe('[§2] portal modules', () => {
	it('one path per permission, each under /portal', () => {
		expect(Object.keys(PORTAL_MODULES)).toEqual([...PORTAL_PERMISSIONS]);
		for (const p of PORTAL_PERMISSIONS) expect(PORTAL_MODULES[p]).toBe(`/portal/${p}`);
	});

	it('a module owns its path and everything under it, nothing that merely starts alike', () => {
		expect(moduleOfPath('/portal/invoices')).toBe('invoices');
		expect(moduleOfPath('/portal/invoices/123')).toBe('invoices');
		expect(moduleOfPath('/portal/invoices/123/pdf')).toBe('invoices');
		expect(moduleOfPath('/portal/invoicesx')).toBeNull();
		expect(moduleOfPath('/portal')).toBeNull();
		expect(moduleOfPath('/portal/login')).toBeNull();
		expect(moduleOfPath('/invoices')).toBeNull();
	});

	it('a module path needs its permission; other paths are not the gate’s to refuse', () => {
		const support = { ...none, support: true };
		expect(mayOpen(support, '/portal/support/7')).toBe(true);
		expect(mayOpen(support, '/portal/invoices')).toBe(false);
		expect(mayOpen(support, '/portal/projects/1/tasks')).toBe(false);
		expect(mayOpen(none, '/portal')).toBe(true);
		expect(mayOpen(none, '/portal/nothing-here')).toBe(true);
	});

	it('the menu lists allowed modules in menu order', () => {
		expect(allowedModules(none)).toEqual([]);
		expect(allowedModules({ ...none, projects: true, invoices: true })).toEqual(['invoices', 'projects']);
	});

	it.each([undefined, null, 1, 'toString', '__proto__', 'Invoices', ''])('%j is not a module', (v) => {
		expect(isPortalModule(v)).toBe(false);
	});

	it('portal paths and the public ones', () => {
		expect(isPortalPath('/portal')).toBe(true);
		expect(isPortalPath('/portal/x')).toBe(true);
		expect(isPortalPath('/portalx')).toBe(false);
		expect(isPortalPath('/api/portal')).toBe(false);
		expect(isPortalPublicPath('/portal/login')).toBe(true);
		expect(isPortalPublicPath('/portal/forgot')).toBe(true);
		expect(isPortalPublicPath('/portal/loginx')).toBe(false);
		expect(isPortalPublicPath('/portal')).toBe(false);
	});
});
