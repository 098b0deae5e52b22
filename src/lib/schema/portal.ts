/**
 * The customer portal's modules and the permission that guards each (SPEC §2 "portal
 * permissions", §6): defined once, read by the server's gate and by the portal menu. A path
 * belongs to a module when it is the module's path or lies under it, so every page, API and
 * file a module adds later (/portal/invoices/<id>, /portal/invoices/<id>/pdf) is behind the
 * same permission without naming it again.
 */
import { PORTAL_PERMISSIONS, type PortalPermission } from './records.ts';

export const PORTAL_PATH = '/portal';
export const PORTAL_LOGIN_PATH = '/portal/login';
export const PORTAL_FORGOT_PATH = '/portal/forgot';
export const PORTAL_LOGOUT_PATH = '/portal/logout';

/**
 * The message of the portal's one 404: a missing page, a missing id, and a module or document
 * the contact may not open all answer with it (SPEC §2), so no answer tells them apart.
 */
export const PORTAL_NOT_FOUND = 'Not Found';

/** Portal paths anyone may open; every other portal path needs a contact's session. */
export const PORTAL_PUBLIC_PATHS: readonly string[] = [PORTAL_LOGIN_PATH, PORTAL_FORGOT_PATH];

/** One module per permission, in menu order. */
export const PORTAL_MODULES = {
	invoices: '/portal/invoices',
	estimates: '/portal/estimates',
	contracts: '/portal/contracts',
	proposals: '/portal/proposals',
	support: '/portal/support',
	projects: '/portal/projects'
} as const satisfies Record<PortalPermission, `${typeof PORTAL_PATH}/${string}`>;

export type PortalModule = PortalPermission;
export type PortalPermissions = Readonly<Record<PortalPermission, boolean>>;

export const isPortalModule = (v: unknown): v is PortalModule =>
	typeof v === 'string' && (PORTAL_PERMISSIONS as readonly string[]).includes(v);

/** Whether `pathname` is the portal or lies under it (staff identity never applies there). */
export function isPortalPath(pathname: string): boolean {
	return pathname === PORTAL_PATH || pathname.startsWith(PORTAL_PATH + '/');
}

export function isPortalPublicPath(pathname: string): boolean {
	return PORTAL_PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(p + '/'));
}

/** The module a path belongs to, or null (the home page, sign-in, an unknown path). */
export function moduleOfPath(pathname: string): PortalModule | null {
	for (const p of PORTAL_PERMISSIONS) {
		const base = PORTAL_MODULES[p];
		if (pathname === base || pathname.startsWith(base + '/')) return p;
	}
	return null;
}

/** The modules a contact may open, in menu order. */
export function allowedModules(permissions: PortalPermissions): PortalModule[] {
	return PORTAL_PERMISSIONS.filter((p) => permissions[p] === true);
}

/**
 * May a contact with these permissions open `pathname`? A path outside every module is not
 * this gate's to refuse (the route decides whether it exists); a module path needs its
 * permission. Without it the answer is the portal's one 404, the same as a missing page.
 */
export function mayOpen(permissions: PortalPermissions, pathname: string): boolean {
	const module = moduleOfPath(pathname);
	return module === null || permissions[module] === true;
}
