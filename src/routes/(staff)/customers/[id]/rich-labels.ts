/** Names of the richer contact fields (issue #13 item 2) in the user's language, for History. */
import { m } from '$lib/paraglide/messages';

const NAMED: Record<string, () => string> = {
	namePrefix: m.rc_field_name_prefix,
	middleName: m.rc_field_middle_name,
	department: m.rc_field_department,
	birthday: m.rc_birthday_legend,
	tags: m.rc_field_tags,
	notes: m.rc_field_notes,
	favourite: m.rc_field_favourite,
	doNotEmail: m.rc_field_do_not_email,
	doNotCall: m.rc_field_do_not_call,
	emailLabel: () => m.rc_label_of({ what: m.contact_field_email() }),
	phoneLabel: () => m.rc_label_of({ what: m.contact_field_phone() })
};

/** The name of a richer field ("E-mail 2", "Label of Phone 3", "Birthday"), or null. */
export function richFieldLabel(field: string): string | null {
	if (Object.hasOwn(NAMED, field)) return NAMED[field]();
	const slot = /^(email|phone)s\.(\d)(\.label)?$/.exec(field);
	if (!slot) return null;
	const n = String(Number(slot[2]) + 1);
	const name = slot[1] === 'email' ? m.rc_email_n({ n }) : m.rc_phone_n({ n });
	return slot[3] ? m.rc_label_of({ what: name }) : name;
}
