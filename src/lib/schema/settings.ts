/**
 * The workspace settings document (name "settings"): contact types, the default portal
 * permissions of new contacts (SPEC §2, §4), and workspace defaults such as the phone region. Every staff user reads it (offline too); only
 * admins change it (enforced by the server).
 */
import * as Y from 'yjs';
import { regionOf, type CountryCode } from './phones.ts';
import { PORTAL_PERMISSIONS, type PortalPermission } from './records.ts';

export const SETTINGS_DOC = 'settings';

/** The contact type every customer has unless another is chosen; it cannot be removed. */
export const DEFAULT_CONTACT_TYPE_ID = 'not-specified';

export const contactTypesMap = (doc: Y.Doc) => doc.getMap<Y.Map<string | number>>('contactTypes');
export const defaultPermissionsMap = (doc: Y.Doc) => doc.getMap<boolean>('defaultPermissions');
/** Workspace-wide defaults (issue #13): `phoneRegion`, an ISO country code. */
export const workspaceMap = (doc: Y.Doc) => doc.getMap<string>('workspace');

export interface ContactType {
	id: string;
	/** null for the built-in default, which each language names itself ("Not specified"). */
	name: string | null;
	order: number;
}

/** Contact types in their admin-chosen order; the default first when it has no entry. */
export function readContactTypes(doc: Y.Doc): ContactType[] {
	const types: ContactType[] = [];
	for (const [id, m] of contactTypesMap(doc).entries()) {
		const name = m.get('name');
		const order = m.get('order');
		types.push({ id, name: typeof name === 'string' ? name : null, order: typeof order === 'number' ? order : 0 });
	}
	if (!types.some((t) => t.id === DEFAULT_CONTACT_TYPE_ID))
		types.push({ id: DEFAULT_CONTACT_TYPE_ID, name: null, order: -1 });
	return types.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/**
 * The contact type to show for a stored id: a type removed meanwhile falls back to the
 * default, so a value from an admin-edited list never breaks a record.
 */
export function resolveContactType(doc: Y.Doc, id: string | null | undefined): string {
	return id && contactTypesMap(doc).has(id) ? id : DEFAULT_CONTACT_TYPE_ID;
}

export function addContactType(doc: Y.Doc, id: string, name: string): void {
	const order = Math.max(0, ...readContactTypes(doc).map((t) => t.order)) + 1;
	doc.transact(() => {
		const m = new Y.Map<string | number>();
		m.set('name', name.trim());
		m.set('order', order);
		contactTypesMap(doc).set(id, m);
	});
}

export function renameContactType(doc: Y.Doc, id: string, name: string): void {
	contactTypesMap(doc).get(id)?.set('name', name.trim());
}

/** Moves a type one place up (-1) or down (+1), renumbering so orders stay distinct. */
export function moveContactType(doc: Y.Doc, id: string, delta: -1 | 1): void {
	const list = readContactTypes(doc).filter((t) => t.id !== DEFAULT_CONTACT_TYPE_ID);
	const i = list.findIndex((t) => t.id === id);
	const j = i + delta;
	if (i < 0 || j < 0 || j >= list.length) return;
	[list[i], list[j]] = [list[j], list[i]];
	doc.transact(() =>
		list.forEach((t, n) =>
			contactTypesMap(doc)
				.get(t.id)
				?.set('order', n + 1)
		)
	);
}

export function removeContactType(doc: Y.Doc, id: string): void {
	if (id !== DEFAULT_CONTACT_TYPE_ID) contactTypesMap(doc).delete(id);
}

export function readDefaultPermissions(doc: Y.Doc): Record<PortalPermission, boolean> {
	const m = defaultPermissionsMap(doc);
	return Object.fromEntries(PORTAL_PERMISSIONS.map((p) => [p, m.get(p) === true])) as Record<PortalPermission, boolean>;
}

export function setDefaultPermission(doc: Y.Doc, permission: PortalPermission, on: boolean): void {
	defaultPermissionsMap(doc).set(permission, on);
}

/**
 * The workspace's default phone region: the country a phone number typed nationally is read
 * in when its record names none (phones.ts), and the region an import starts with. Null when
 * none is set, or the stored value names no country libphonenumber knows.
 */
export function readPhoneRegion(doc: Y.Doc): CountryCode | null {
	const v = workspaceMap(doc).get('phoneRegion');
	return typeof v === 'string' && /^[A-Z]{2}$/.test(v) ? regionOf(v) : null;
}

/** Sets the default phone region (an ISO code), or clears it (null, or a code of no country). */
export function setPhoneRegion(doc: Y.Doc, region: string | null): void {
	const t = region?.trim().toUpperCase() ?? '';
	const code = /^[A-Z]{2}$/.test(t) ? regionOf(t) : null;
	if (code) workspaceMap(doc).set('phoneRegion', code);
	else workspaceMap(doc).delete('phoneRegion');
}
