/**
 * A draft (row-draft.ts, vcard.ts) → what the records hold (records.ts): the customer and
 * contact fields an import writes, and the fields of the draft that no record can hold
 * ("not kept" in the report, never dropped unseen: a name suffix, a nickname, a photo, values
 * past the fifth e-mail or phone, further websites). The preview shows the same plan the run
 * writes. Also the row's source key, under which a second import of it finds the record.
 *
 * Richer contacts (issue #13 item 2): every labelled e-mail and phone up to five (the first is
 * the primary: the portal login and the duplicate rule), name prefix, middle name,
 * department, birthday (a year-less one stays year-less), notes, tags, the contact's own
 * address, and the external id under its source (given the run's layout).
 *
 * Where things go: a row with a person and a company is a contact of that company (the
 * company gets the row's address and website when this row creates it); a person without a
 * company is an individual customer with that person as its contact (the customer holds the
 * address, website and notes); a row with only a company is a company customer.
 */
import { createHash } from 'node:crypto';
import { formatBirthday } from '../../src/lib/schema/birthday.ts';
import {
	MAX_VALUES,
	externalIdKey,
	externalSourceOf,
	formatTags,
	valueFields
} from '../../src/lib/schema/contact-values.ts';
import { countryCode } from '../../src/lib/schema/countries.ts';
import type { ContactData, CustomerData } from '../../src/lib/schema/customer-doc.ts';
import { validateContact, validateCustomer } from '../../src/lib/schema/customer-doc.ts';
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import { customKey, customValueShape, parseCustomCell } from '../../src/lib/schema/custom-values.ts';
import type { ImportDraft } from '../../src/lib/schema/import-fields.ts';
import type { FieldValue } from '../../src/lib/schema/records.ts';
import { fold } from '../../src/lib/schema/text-fold.ts';
import { isFieldbookUid } from '../../src/lib/schema/vcard-write.ts';

export type RecordPlan =
	/** A contact in the company named `company` (created once per name, or an existing one). */
	| {
			kind: 'contact';
			company: string;
			contact: ContactData;
			/** Written on the company only when this row creates it. */
			companyFields: CustomerData;
			notKept: string[];
	  }
	/** An individual customer with this person as its contact. */
	| { kind: 'person'; customer: CustomerData; contact: ContactData; notKept: string[] }
	/** A company customer with no contact from this row. */
	| { kind: 'company'; customer: CustomerData; notKept: string[] };

/** A website as records hold it (http or https); "www.example.com" gets https://. */
export function websiteOf(value: string): string | null {
	const v = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
	try {
		const u = new URL(v);
		return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.') ? v : null;
	} catch {
		return null;
	}
}

function addressFields(d: ImportDraft): CustomerData {
	const a = d.address;
	if (!a) return {};
	return {
		street: a.street || undefined,
		city: a.city || undefined,
		state: a.state || undefined,
		postalCode: a.postalCode || undefined,
		country: a.country ? (countryCode(a.country) ?? a.country) : undefined
	};
}

/** Without empty values: an import never writes a key only to say it holds nothing. */
const defined = <T extends Record<string, unknown>>(o: T): T =>
	Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && v !== null)) as T;

/** The labelled e-mails and phones of a draft as record fields (primary first). */
const valuesOf = (d: ImportDraft) => ({
	...valueFields('email', d.emails.slice(0, MAX_VALUES)),
	...valueFields('phone', d.phones.slice(0, MAX_VALUES))
});

/**
 * The plan of one draft, or the field the records refuse (a value past a limit they have).
 * `layout` (the run's) names the source a contact's external id is kept under on the record;
 * the id is the row's source key in any case (sourceKey), so a re-import finds it either way.
 */
export function planRecords(
	d: ImportDraft,
	layout?: string,
	customFields: readonly CustomFieldDef[] = []
): { ok: true; plan: RecordPlan } | { ok: false; field: string } {
	const notKept: string[] = [];
	const keep = (field: string, has: boolean) => has && notKept.push(field);
	keep('nameSuffix', d.nameSuffix !== '');
	keep('nickname', d.nickname !== '');
	keep('photo', d.photo !== null);

	const website = d.websites.length > 0 ? websiteOf(d.websites[0].value) : null;
	keep('website', (d.websites.length > 0 && website === null) || d.websites.length > 1);
	keep('emails', d.emails.length > MAX_VALUES);
	keep('phones', d.phones.length > MAX_VALUES);
	const place: CustomerData = defined({ ...addressFields(d), website: website ?? undefined });
	const externalId = d.externalId?.trim() || null;

	let plan: RecordPlan;
	if (d.kind === 'company') {
		plan = {
			kind: 'company',
			customer: defined({ kind: 'company', companyName: d.company, ...valuesOf(d), description: d.notes, ...place }),
			notKept
		};
	} else {
		const contact: ContactData = defined({
			namePrefix: d.namePrefix,
			firstName: d.firstName,
			middleName: d.middleName,
			lastName: d.lastName,
			position: d.position,
			department: d.department,
			...valuesOf(d),
			birthday: d.birthday ? formatBirthday(d.birthday) : undefined,
			tags: formatTags(d.tags),
			...(externalId && layout !== undefined && !isFieldbookUid(externalId)
				? { [externalIdKey(externalSourceOf(layout))]: externalId }
				: {}),
			// A mass import mails no one: a welcome e-mail is sent from the contact when wanted.
			doNotSendWelcome: true
		});
		if (d.company) {
			// The contact's own notes and address (the company also takes the address when this row creates it).
			Object.assign(contact, defined({ notes: d.notes, ...addressFields(d) }));
			plan = { kind: 'contact', company: d.company, contact, companyFields: place, notKept };
		} else {
			plan = {
				kind: 'person',
				customer: defined({ kind: 'person', description: d.notes, ...place }),
				contact,
				notKept
			};
		}
	}
	const customer =
		plan.kind === 'contact'
			? { kind: 'company' as const, companyName: plan.company, ...plan.companyFields }
			: plan.customer;
	const bad = Object.keys(validateCustomer(customer))[0];
	if (bad) return { ok: false, field: bad };
	if (plan.kind !== 'company') {
		const badContact = Object.keys(validateContact(plan.contact))[0];
		if (badContact) return { ok: false, field: badContact };
	}
	placeCustomValues(d, plan, customFields);
	return { ok: true, plan };
}

/**
 * Cells mapped to additional fields, read against their definitions (custom-values.ts
 * parseCustomCell): person fields go on the contact, company fields on the company (on a
 * company the row creates; an existing company keeps its values, as it keeps its address).
 * A cell that does not read as its field's type is kept as written — the record shows it
 * flagged, as it does any value a changed definition no longer fits — never dropped. A field
 * that is not defined (or removed) is reported as not kept.
 */
function placeCustomValues(d: ImportDraft, plan: RecordPlan, defs: readonly CustomFieldDef[]): void {
	for (const [id, text] of Object.entries(d.custom)) {
		const found = defs.find((f) => f.id === id);
		const def = found?.removedAt === null ? found : undefined;
		const parsed = def ? parseCustomCell(def, text) : null;
		const value: FieldValue = parsed && 'value' in parsed ? parsed.value : text;
		if (value === null) continue;
		const into =
			def?.appliesTo === 'person'
				? plan.kind === 'company'
					? null
					: plan.contact
				: def?.appliesTo === 'company'
					? plan.kind === 'contact'
						? plan.companyFields
						: plan.kind === 'company'
							? plan.customer
							: null
					: null;
		if (!into || customValueShape(value) !== null) {
			plan.notKept.push(found ? found.label : 'custom');
			continue;
		}
		(into as Record<string, FieldValue>)[customKey(id)] = value;
	}
}

/** Company names compared case- and accent-insensitively, inner space collapsed ("ACME  gmbh" = "Acme GmbH"). */
export const companyKey = (name: string) => fold(name).trim().replace(/\s+/g, ' ');

/**
 * The source key of a row: its external id when the file has one (per layout: ids of two
 * systems never meet), else its e-mail, else a hash of what it holds.
 */
export function sourceKey(layout: string, d: ImportDraft): string {
	if (d.externalId) return `x:${layout}:${d.externalId.trim()}`;
	if (d.emails[0]) return `e:${d.emails[0].value.trim().toLowerCase()}`;
	const content = JSON.stringify([
		d.kind,
		fold(d.firstName),
		fold(d.lastName),
		companyKey(d.company),
		d.phones.map((p) => p.e164 ?? p.value),
		d.address
	]);
	return `h:${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
}
