/**
 * Who may read and change a customer record (SPEC §2, §6), defined once: the server applies
 * these on every sync path and HTTP endpoint, the device uses them to show what is editable.
 *
 * - private (the default): the customer's managers and admins read and write;
 * - public-read: every staff user reads; managers and admins write;
 * - public-write: every staff user reads and writes.
 * Only managers and admins change a record's access and its managers.
 */
import * as Y from 'yjs';
import { customerMap, managersMap } from './customer-doc.ts';
import { ACCESS_LEVELS, DOC, type Access } from './records.ts';
import type { Role } from './staff.ts';

export interface StaffRef {
	id: string;
	role: Role;
}

/** What the rules need of a record: its access level and its managers' ids. */
export interface RecordAccess {
	access: Access;
	managers: ReadonlySet<string>;
}

/**
 * A stored record whose access cannot be derived (it holds no customer: written before the
 * write-once rules): readable and writable by admins only, never by nobody.
 */
export const ADMINS_ONLY: RecordAccess = Object.freeze({ access: 'private', managers: new Set<string>() });

export function canRead(user: StaffRef, rec: RecordAccess | null): boolean {
	if (!rec) return false;
	return user.role === 'admin' || rec.access !== 'private' || rec.managers.has(user.id);
}

export function canWrite(user: StaffRef, rec: RecordAccess | null): boolean {
	if (!rec) return false;
	return user.role === 'admin' || rec.access === 'public-write' || rec.managers.has(user.id);
}

/** Changing access and managers: managers and admins only. */
export function canManage(user: StaffRef, rec: RecordAccess | null): boolean {
	if (!rec) return false;
	return user.role === 'admin' || rec.managers.has(user.id);
}

/** Parts of a customer document that only managers and admins change. */
export function isManagerOnly(root: string, key: string | null): boolean {
	return root === DOC.managers || (root === DOC.customer && key === 'access');
}

export function toAccess(v: unknown): Access {
	return ACCESS_LEVELS.includes(v as Access) ? (v as Access) : 'private';
}

/** The access of a customer document, or null when it holds no customer (it does not exist). */
export function recordAccess(doc: Y.Doc): RecordAccess | null {
	const customer = customerMap(doc);
	if (customer.get('kind') === undefined) return null;
	const managers = new Set<string>();
	for (const [id, v] of managersMap(doc).entries()) if (v === true) managers.add(id);
	return { access: toAccess(customer.get('access')), managers };
}

export function sameAccess(a: RecordAccess | null, b: RecordAccess | null): boolean {
	if (a === null || b === null) return a === b;
	if (a.access !== b.access || a.managers.size !== b.managers.size) return false;
	for (const m of a.managers) if (!b.managers.has(m)) return false;
	return true;
}

/**
 * A new customer is created by its first update, which must make its author a manager
 * (initCustomer does): the record exists and `userId` manages it.
 */
export function isValidCreation(userId: string, created: RecordAccess | null): boolean {
	return created !== null && created.managers.has(userId);
}
