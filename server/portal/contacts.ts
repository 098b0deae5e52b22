/**
 * Contacts as the portal sees them, read from the projection (server/projection.ts) and the
 * contact credentials — the SQL of the portal's identity lives here and nowhere else.
 *
 * Who signs in with an address (SPEC §2: the e-mail is the contact's portal login): the one
 * live contact (not deleted, customer not deleted) whose e-mail key it is, not flagged as a
 * duplicate. When two live contacts share the address — after concurrent offline edits,
 * until a person resolves it (SPEC §6) — nobody signs in with it: picking one would hand one
 * customer's portal to the other's contact.
 */
import { PORTAL_PERMISSIONS, type PortalPermission } from '../../src/lib/schema/records.ts';
import type { PortalPermissions } from '../../src/lib/schema/portal.ts';
import type { Db } from '../db.ts';

/** The contact behind a portal session, as every portal request reads it. */
export interface PortalContact {
	id: string;
	customerId: string;
	firstName: string;
	lastName: string;
	/** The company's name, or for an individual customer the person's. */
	customerName: string;
	emailKey: string;
	/** contacts.language (en, de, fr, pl, pt) or null: the installation's default applies. */
	language: string | null;
	permissions: PortalPermissions;
	/** When the portal password was last set (contact_credentials.updated_at). */
	credentialAt: number;
}

/** The one contact that may sign in with an address, with its password hash. */
export interface SignInContact {
	contactId: string;
	customerId: string;
	emailKey: string;
	/** The address as typed on the contact (mail goes there). */
	email: string;
	passwordHash: string | null;
	credentialAt: number | null;
}

const LIVE = 'k.deleted_at IS NULL AND c.deleted_at IS NULL';

export function signInContact(db: Db, emailKey: string): SignInContact | null {
	if (emailKey === '') return null;
	const rows = db
		.prepare(
			`SELECT k.id, k.customer_id, k.email, k.duplicate_email, cr.password_hash, cr.updated_at
			 FROM contacts k JOIN customers c ON c.id = k.customer_id
			 LEFT JOIN contact_credentials cr ON cr.contact_id = k.id
			 WHERE k.email_key = ? AND ${LIVE} LIMIT 2`
		)
		.all(emailKey) as {
		id: string;
		customer_id: string;
		email: string;
		duplicate_email: number | null;
		password_hash: string | null;
		updated_at: number | null;
	}[];
	if (rows.length !== 1 || rows[0].duplicate_email === 1) return null;
	const [r] = rows;
	return {
		contactId: r.id,
		customerId: r.customer_id,
		emailKey,
		email: r.email,
		passwordHash: r.password_hash,
		credentialAt: r.updated_at
	};
}

const permColumn = (p: PortalPermission) => `perm_${p}`;

/** A live contact with a portal password, or null. */
export function readPortalContact(db: Db, contactId: string): PortalContact | null {
	const row = db
		.prepare(
			`SELECT k.id, k.customer_id, k.first_name, k.last_name, k.email_key, k.language,
			        ${PORTAL_PERMISSIONS.map((p) => `k.${permColumn(p)}`).join(', ')},
			        c.company_name, cr.updated_at AS credential_at
			 FROM contacts k JOIN customers c ON c.id = k.customer_id
			 JOIN contact_credentials cr ON cr.contact_id = k.id
			 WHERE k.id = ? AND ${LIVE}`
		)
		.get(contactId) as Record<string, string | number | null> | undefined;
	if (!row || typeof row.email_key !== 'string') return null;
	const firstName = (row.first_name as string | null) ?? '';
	const lastName = (row.last_name as string | null) ?? '';
	const permissions = Object.fromEntries(PORTAL_PERMISSIONS.map((p) => [p, row[permColumn(p)] === 1])) as Record<
		PortalPermission,
		boolean
	>;
	return {
		id: row.id as string,
		customerId: row.customer_id as string,
		firstName,
		lastName,
		customerName: (row.company_name as string | null) ?? [firstName, lastName].filter(Boolean).join(' '),
		emailKey: row.email_key,
		language: (row.language as string | null) ?? null,
		permissions,
		credentialAt: row.credential_at as number
	};
}
