/**
 * Everything Fieldbook stores about one customer contact, for a data access request (GDPR
 * Art. 15; issue #13 item 5): the contact as the customer document holds it (every field,
 * the trash included), the records of the modules that name them (documents addressed to
 * them, tickets and replies they wrote, answers they gave, send requests naming them), the
 * history of their changes, the mail written to them, and what the portal keeps (whether a
 * password is set and when, sessions, set-password links, the welcome decision, the e-mail
 * claim). Secrets are never part of it: no password hash, no token hash, no mail body with
 * its links — dates and states only.
 *
 * Who may ask: staff who may read the contact's customer; any other id is the same 404 as
 * an id that does not exist. The customer is looked up by the contact id in the server's
 * projection, never taken from the request.
 */
import type * as Y from 'yjs';
import { contactsMap, readCustomer } from '../../src/lib/schema/customer-doc.ts';
import { MODULE_ROOTS } from '../../src/lib/schema/modules.ts';
import { moduleMap } from '../../src/lib/schema/module-doc.ts';
import { liveCustomFields, type CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import { customValuesFrom } from '../../src/lib/schema/custom-values.ts';
import type { CountryCode } from '../../src/lib/schema/phones.ts';
import { contactDraft, detailsOf } from '../../src/lib/schema/record-details.ts';
import { vcardOf } from '../../src/lib/schema/vcard-write.ts';
import type { Db } from '../db.ts';
import { customLabels, customTexts } from './list-columns.ts';

/** Fields of module records that name a contact (schema/modules.ts). */
const NAMING_FIELDS = ['contactId', 'openedByContact', 'byContact', 'decidedByContact'] as const;

export interface ContactDataExport {
	format: 'fieldbook.contact-data/1';
	exportedAt: string;
	exportedBy: { id: string; name: string };
	contact: { id: string; customerId: string; customerName: string | null; fields: Record<string, unknown> };
	moduleRecords: { root: string; id: string; fields: Record<string, unknown> }[];
	history: { at: string; by: string | null; field: string; value: unknown }[];
	mail: {
		kind: string;
		to: string | null;
		status: string;
		queuedAt: string;
		sentAt: string | null;
		subject: string | null;
	}[];
	portal: {
		passwordSetAt: string | null;
		sessions: { createdAt: string; expiresAt: string }[];
		setPasswordLinks: { createdAt: string; expiresAt: string; usedAt: string | null; invalidatedAt: string | null }[];
		welcome: { firstSeenAt: string; decision: string } | null;
		emailClaimedAt: string | null;
	};
}

const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
const json = (s: string | null): unknown => {
	if (s === null) return null;
	try {
		return JSON.parse(s);
	} catch {
		return s;
	}
};

/** The contact's customer, as the server's projection knows it; null when there is no such contact. */
export function customerOfContact(db: Db, contactId: string): string | null {
	const row = db.prepare('SELECT customer_id FROM contacts WHERE id = ?').get(contactId) as
		{ customer_id: string } | undefined;
	return row?.customer_id ?? null;
}

/** What the document holds of the contact and the module records naming them; null when it holds no such contact. */
export function readContactData(
	doc: Y.Doc,
	contactId: string
):
	(Pick<ContactDataExport, 'moduleRecords'> & { fields: Record<string, unknown>; customerName: string | null }) | null {
	const m = contactsMap(doc).get(contactId);
	if (!m) return null;
	const customer = readCustomer(doc);
	const contact = m.toJSON() as Record<string, unknown>;
	const customerName =
		customer.kind === 'company'
			? ((customer.companyName as string | undefined) ?? null)
			: [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null;
	const moduleRecords: ContactDataExport['moduleRecords'] = [];
	for (const root of MODULE_ROOTS) {
		for (const [id, record] of moduleMap(doc, root).entries()) {
			const fields = record.toJSON() as Record<string, unknown>;
			const names =
				NAMING_FIELDS.some((f) => fields[f] === contactId) ||
				(typeof fields.recipients === 'string' && fields.recipients.split(' ').includes(contactId));
			if (names) moduleRecords.push({ root, id, fields });
		}
	}
	return { fields: contact, customerName, moduleRecords };
}

/** The rows of the server's tables about the contact (no secrets). */
export function storedAbout(
	db: Db,
	customerId: string,
	contactId: string
): Omit<ContactDataExport, 'format' | 'exportedAt' | 'exportedBy' | 'contact' | 'moduleRecords'> {
	const history = (
		db
			.prepare(
				`SELECT h.at, h.field, h.value, u.name AS by_name FROM history h LEFT JOIN users u ON u.id = h.user_id
				 WHERE h.doc = ? AND (h.contact_id = ? OR h.record_id = ?) ORDER BY h.id`
			)
			.all(customerId, contactId, contactId) as {
			at: number;
			field: string;
			value: string | null;
			by_name: string | null;
		}[]
	).map((r) => ({ at: iso(r.at)!, by: r.by_name, field: r.field, value: json(r.value) }));
	const mail = (
		db
			.prepare(
				`SELECT kind, to_email, status, created_at, sent_at, rendered FROM outbox WHERE contact_id = ? ORDER BY id`
			)
			.all(contactId) as {
			kind: string;
			to_email: string | null;
			status: string;
			created_at: number;
			sent_at: number | null;
			rendered: string | null;
		}[]
	).map((r) => {
		const rendered = json(r.rendered) as { subject?: unknown } | null;
		return {
			kind: r.kind,
			to: r.to_email,
			status: r.status,
			queuedAt: iso(r.created_at)!,
			sentAt: iso(r.sent_at),
			subject: rendered && typeof rendered.subject === 'string' ? rendered.subject : null
		};
	});
	const credential = db.prepare('SELECT updated_at FROM contact_credentials WHERE contact_id = ?').get(contactId) as
		{ updated_at: number } | undefined;
	const sessions = (
		db
			.prepare('SELECT created_at, expires_at FROM portal_sessions WHERE contact_id = ? ORDER BY created_at')
			.all(contactId) as { created_at: number; expires_at: number }[]
	).map((r) => ({ createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at)! }));
	const links = (
		db
			.prepare(
				`SELECT created_at, expires_at, used_at, invalidated_at FROM set_password_tokens
				 WHERE holder = 'contact' AND holder_id = ? ORDER BY created_at`
			)
			.all(contactId) as {
			created_at: number;
			expires_at: number;
			used_at: number | null;
			invalidated_at: number | null;
		}[]
	).map((r) => ({
		createdAt: iso(r.created_at)!,
		expiresAt: iso(r.expires_at)!,
		usedAt: iso(r.used_at),
		invalidatedAt: iso(r.invalidated_at)
	}));
	const seen = db.prepare('SELECT first_seen_at, welcome FROM contacts_seen WHERE contact_id = ?').get(contactId) as
		{ first_seen_at: number; welcome: string } | undefined;
	const claim = db.prepare('SELECT claimed_at FROM email_claims WHERE contact_id = ?').get(contactId) as
		{ claimed_at: number } | undefined;
	return {
		history,
		mail,
		portal: {
			passwordSetAt: iso(credential?.updated_at),
			sessions,
			setPasswordLinks: links,
			welcome: seen ? { firstSeenAt: iso(seen.first_seen_at)!, decision: seen.welcome } : null,
			emailClaimedAt: iso(claim?.claimed_at)
		}
	};
}

/**
 * The contact as a vCard 4.0 (the same writer as the list export), with everything a vCard
 * holds of them; `customFields` (the workspace's definitions) add their person fields.
 */
export function contactVcard(
	data: ContactDataExport,
	customFields: readonly CustomFieldDef[] = [],
	/** The workspace's default phone region (as the list export reads phones). */
	region: CountryCode | null = null
): string {
	const f = data.contact.fields;
	const s = (v: unknown) => (typeof v === 'string' ? v : null);
	const draft = contactDraft(
		{ firstName: s(f.firstName), lastName: s(f.lastName), position: s(f.position) },
		detailsOf(f),
		data.contact.customerName ?? '',
		null,
		region
	);
	const defs = liveCustomFields(customFields, 'person');
	return vcardOf(
		{ ...draft, custom: customTexts(defs, customValuesFrom(f)) },
		{ uid: `urn:fieldbook:contact:${data.contact.id}`, customLabels: customLabels(defs) }
	);
}
