/**
 * What a contact or a company holds beyond the projection's columns (issue #13 item 2) — all
 * its labelled e-mails and phones, name parts, birthday, notes, tags, flags, its own address,
 * external ids — read from the record's fields in one place, for the server's projection (one
 * JSON column, so exports read it without loading documents), the CSV and vCard exports and a
 * contact's data export. And the same record as the draft vcard-write.ts writes.
 */
import { storedBirthday } from './birthday.ts';
import { externalIdsOf, parseTags, valuesOf, type ExternalSource } from './contact-values.ts';
import { emptyDraft, type AddressDraft, type ImportDraft, type LabelledValue } from './import-fields.ts';
import { phoneValue, recordRegion, type CountryCode } from './phones.ts';

export interface RecordDetails {
	emails: LabelledValue[];
	phones: LabelledValue[];
	namePrefix: string;
	middleName: string;
	department: string;
	/** As stored: "1980-04-15" or "--04-15". */
	birthday: string | null;
	notes: string;
	tags: string[];
	favourite: boolean;
	doNotEmail: boolean;
	doNotCall: boolean;
	address: AddressDraft | null;
	externalIds: Partial<Record<ExternalSource, string>>;
}

const s = (v: unknown) => (typeof v === 'string' ? v : '');

/** The address a record holds, or null when it holds none. */
export function addressOf(data: Readonly<Record<string, unknown>>): AddressDraft | null {
	const a = {
		street: s(data.street),
		city: s(data.city),
		state: s(data.state),
		postalCode: s(data.postalCode),
		country: s(data.country)
	};
	return Object.values(a).some((v) => v !== '') ? a : null;
}

/** The details of a contact's (or a customer's) fields; what a customer lacks stays empty. */
export function detailsOf(data: Readonly<Record<string, unknown>>): RecordDetails {
	const birthday = s(data.birthday);
	return {
		emails: valuesOf(data, 'email'),
		phones: valuesOf(data, 'phone'),
		namePrefix: s(data.namePrefix),
		middleName: s(data.middleName),
		department: s(data.department),
		birthday: storedBirthday(birthday) ? birthday : null,
		notes: s(data.notes),
		tags: parseTags(s(data.tags)),
		favourite: data.favourite === true,
		doNotEmail: data.doNotEmail === true,
		doNotCall: data.doNotCall === true,
		address: addressOf(data),
		externalIds: externalIdsOf(data)
	};
}

/** Details read back from the projection's JSON; anything unreadable is an empty record. */
export function parseDetails(json: string | null): RecordDetails {
	if (json) {
		try {
			const d = JSON.parse(json) as Partial<RecordDetails> | null;
			if (d && typeof d === 'object') return { ...detailsOf({}), ...d };
		} catch {
			// fall through: an empty record
		}
	}
	return detailsOf({});
}

/**
 * Phones with their E.164 form where the country is known: the number's +, else `country`,
 * else the workspace's default phone region (settings.ts).
 */
export function phonesWithE164(
	phones: readonly LabelledValue[],
	country: string | null,
	workspaceRegion: CountryCode | null = null
): ImportDraft['phones'] {
	const region = recordRegion(country, workspaceRegion);
	return phones.map((p) => {
		const v = phoneValue(p.value, region);
		return { value: v.raw, label: p.label, e164: v.e164, ext: v.ext };
	});
}

/**
 * A contact as vcard-write.ts writes it. `company` is its company's name ('' for an
 * individual customer); `fallbackAddress` the customer's, used when the contact has none.
 */
export function contactDraft(
	fields: { firstName?: string | null; lastName?: string | null; position?: string | null },
	details: RecordDetails,
	company: string,
	fallbackAddress: AddressDraft | null,
	/** The workspace's default phone region, for a number with no country of its own. */
	region: CountryCode | null = null
): ImportDraft {
	const address = details.address ?? fallbackAddress;
	return {
		...emptyDraft(),
		namePrefix: details.namePrefix,
		firstName: fields.firstName ?? '',
		middleName: details.middleName,
		lastName: fields.lastName ?? '',
		position: fields.position ?? '',
		department: details.department,
		company,
		emails: details.emails,
		phones: phonesWithE164(details.phones, address?.country ?? null, region),
		address,
		birthday: details.birthday ? storedBirthday(details.birthday) : null,
		notes: details.notes,
		tags: details.tags
	};
}

/** A company as vcard-write.ts writes it (KIND:org). */
export function companyDraft(name: string, details: RecordDetails): ImportDraft {
	return {
		...emptyDraft(),
		kind: 'company',
		company: name,
		emails: details.emails,
		phones: phonesWithE164(details.phones, details.address?.country ?? null),
		address: details.address
	};
}
