/**
 * The contact dialog's richer fields as they are typed (issue #13 item 2): further labelled
 * e-mails and phones beside the primary ones, name prefix and middle name, department, a
 * birthday whose year may stay empty, tags as one text, notes, flags and the contact's own
 * address. Made from a stored contact or blank, and turned back into the saved fields with
 * the schema's own functions (contact-values.ts, birthday.ts), so the rules stay in one place.
 */
import type { AddressPart } from '$lib/schema/address-layout';
import { storedBirthday } from '$lib/schema/birthday';
import { formatTags, parseTags, valueFields, valuesOf, type ValueKind } from '$lib/schema/contact-values';
import type { ValueLabel } from '$lib/schema/import-fields';
import type { FieldValue } from '$lib/schema/records';

export interface ValueDraft {
	value: string;
	label: ValueLabel | '';
}

export interface RichDraft {
	/** Label of the primary e-mail and phone (the values are the dialog's email and phone). */
	emailLabel: ValueLabel | '';
	phoneLabel: ValueLabel | '';
	/** Further values, after the primary one. */
	emails: ValueDraft[];
	phones: ValueDraft[];
	namePrefix: string;
	middleName: string;
	department: string;
	birthday: { day: string; month: string; year: string };
	tags: string;
	notes: string;
	favourite: boolean;
	doNotEmail: boolean;
	doNotCall: boolean;
	address: Record<AddressPart, string>;
}

const s = (v: unknown) => (typeof v === 'string' ? v : '');

/** The values of a kind as typed: the primary label, and the further values. */
export function valueDrafts(data: Readonly<Record<string, unknown>>, kind: ValueKind) {
	const all = valuesOf(data, kind).map((v) => ({ value: v.value, label: v.label ?? '' }) satisfies ValueDraft);
	// The primary value is edited in its own field; valuesOf lists it first when there is one.
	const hasPrimary = s(data[kind]).trim() !== '';
	return { label: hasPrimary ? (all[0]?.label ?? '') : '', extra: hasPrimary ? all.slice(1) : all };
}

export function richDraftFrom(record: object): RichDraft {
	const data = record as Readonly<Record<string, unknown>>;
	const emails = valueDrafts(data, 'email');
	const phones = valueDrafts(data, 'phone');
	const b = storedBirthday(s(data.birthday));
	return {
		emailLabel: emails.label,
		phoneLabel: phones.label,
		emails: emails.extra,
		phones: phones.extra,
		namePrefix: s(data.namePrefix),
		middleName: s(data.middleName),
		department: s(data.department),
		birthday: b
			? { day: String(b.day), month: String(b.month), year: b.year === null ? '' : String(b.year) }
			: { day: '', month: '', year: '' },
		tags: parseTags(s(data.tags)).join(', '),
		notes: s(data.notes),
		favourite: data.favourite === true,
		doNotEmail: data.doNotEmail === true,
		doNotCall: data.doNotCall === true,
		address: {
			street: s(data.street),
			city: s(data.city),
			state: s(data.state),
			postalCode: s(data.postalCode),
			country: s(data.country)
		}
	};
}

/**
 * The birthday as stored, null when every part is empty; a part-typed or impossible date
 * gives text the schema refuses ('invalid' at the field), never a silently different day.
 */
export function birthdayText(b: RichDraft['birthday']): string | null {
	const [day, month, year] = [b.day.trim(), b.month.trim(), b.year.trim()];
	if (!day && !month && !year) return null;
	const mm = month.padStart(2, '0');
	const dd = day.padStart(2, '0');
	return year ? `${year.padStart(4, '0')}-${mm}-${dd}` : `--${mm}-${dd}`;
}

/** The fields of the values of one kind: the primary (typed in its own field) first. */
export function kindFields(kind: ValueKind, primary: string, label: ValueLabel | '', extra: readonly ValueDraft[]) {
	return valueFields(kind, [
		{ value: primary, label: label || null },
		...extra.map((v) => ({ value: v.value, label: v.label || null }))
	]);
}

/** The saved fields of the rich part of the form (the primary e-mail and phone included). */
export function richToData(d: RichDraft, primary: { email: string; phone: string }): Record<string, FieldValue> {
	return {
		...kindFields('email', primary.email, d.emailLabel, d.emails),
		...kindFields('phone', primary.phone, d.phoneLabel, d.phones),
		namePrefix: d.namePrefix.trim() || null,
		middleName: d.middleName.trim() || null,
		department: d.department.trim() || null,
		birthday: birthdayText(d.birthday),
		tags: formatTags(parseTags(d.tags)),
		notes: d.notes.trim() || null,
		favourite: d.favourite,
		doNotEmail: d.doNotEmail,
		doNotCall: d.doNotCall,
		...Object.fromEntries(Object.entries(d.address).map(([k, v]) => [k, v.trim() || null]))
	};
}
