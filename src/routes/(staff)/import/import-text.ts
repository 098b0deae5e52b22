/**
 * What the Import page says about a file, a row and a column target (issue #13 item 3): the
 * server answers codes (reasons, outcomes, target keys), these are their words in the user's
 * language. Product names of the known layouts are not translated.
 */
import { m } from '$lib/paraglide/messages';
import type { ImportField, ValueLabel } from '$lib/schema/import-fields';
import { parseTargetKey } from '$lib/schema/import-mapping';

export type Outcome = 'ready' | 'imported' | 'updated' | 'skipped' | 'refused';

export const outcomeText: Record<Outcome, () => string> = {
	ready: m.import_outcome_ready,
	imported: m.import_outcome_imported,
	updated: m.import_outcome_updated,
	skipped: m.import_outcome_skipped,
	refused: m.import_outcome_refused
};

const reasons: Record<string, () => string> = {
	bad_email: m.import_reason_bad_email,
	no_name: m.import_reason_no_name,
	too_many_columns: m.import_reason_too_many_columns,
	too_long: m.import_reason_too_long,
	deleted_in_source: m.import_reason_deleted_in_source,
	empty: m.import_reason_empty,
	already_imported: m.import_reason_already_imported,
	exists: m.import_reason_exists,
	unchanged: m.import_reason_unchanged
};

export const reasonText = (code: string | null | undefined) =>
	!code ? '' : Object.hasOwn(reasons, code) ? reasons[code]() : m.import_reason_other({ code });

const fileErrors: Record<string, () => string> = {
	not_csv: m.import_error_not_csv,
	not_vcard: m.import_error_not_csv,
	empty: m.import_error_empty,
	too_large: m.import_error_too_large,
	vcard_too_large: m.import_error_too_large
};

export const fileError = (code: string) =>
	Object.hasOwn(fileErrors, code) ? fileErrors[code]() : m.import_error_other({ code });

export function details(notKept: string[] | undefined, warnings: { code: string }[] | undefined): string {
	const parts: string[] = [];
	if (notKept?.length) parts.push(m.import_not_kept({ fields: notKept.join(', ') }));
	if (warnings?.some((w) => w.code === 'formula')) parts.push(m.import_formula());
	return parts.join(' · ');
}

const LAYOUTS: Record<string, string> = {
	google: 'Google Contacts',
	'google-legacy': 'Google Contacts (Google CSV)',
	outlook: 'Outlook',
	'excel-de': 'Excel (DE)',
	salesforce: 'Salesforce',
	perfex: 'Perfex CRM',
	onlyoffice: 'ONLYOFFICE CRM',
	vcard: 'vCard'
};

export const layoutText = (layout: string, needsMapping = false) =>
	Object.hasOwn(LAYOUTS, layout) ? LAYOUTS[layout] : needsMapping ? m.imp_layout_custom() : m.imp_layout_generic();

const FIELDS: Record<ImportField, () => string> = {
	namePrefix: m.imp_field_namePrefix,
	firstName: m.imp_field_firstName,
	middleName: m.imp_field_middleName,
	lastName: m.imp_field_lastName,
	nameSuffix: m.imp_field_nameSuffix,
	fullName: m.imp_field_fullName,
	nickname: m.imp_field_nickname,
	position: m.imp_field_position,
	department: m.imp_field_department,
	company: m.imp_field_company,
	street: m.imp_field_street,
	city: m.imp_field_city,
	state: m.imp_field_state,
	postalCode: m.imp_field_postalCode,
	country: m.imp_field_country,
	birthday: m.imp_field_birthday,
	notes: m.imp_field_notes,
	tags: m.imp_field_tags,
	externalId: m.imp_field_externalId,
	deleted: m.imp_field_deleted,
	email: m.imp_field_email,
	phone: m.imp_field_phone,
	website: m.imp_field_website
};

const LABELS: Record<ValueLabel, () => string> = {
	work: m.imp_label_work,
	home: m.imp_label_home,
	mobile: m.imp_label_mobile,
	fax: m.imp_label_fax,
	pager: m.imp_label_pager,
	main: m.imp_label_main,
	other: m.imp_label_other
};

/** A target key (src/lib/schema/import-mapping.ts) in words: "Phone (mobile)", "Label of E-mail 1". */
export function targetText(key: string): string {
	const t = parseTargetKey(key);
	if (!t) return key;
	if (t.kind === 'ignore') return m.imp_target_ignore();
	// An additional field the workspace does not have (any more): named by its key.
	if (t.kind === 'custom') return m.imp_target_custom({ label: key });
	const field = FIELDS[t.field]();
	if (t.kind === 'label') return m.imp_target_label_of({ field, slot: String(t.slot) });
	const labelled = t.label ? m.imp_target_labelled({ field, label: LABELS[t.label]() }) : field;
	return t.slot === undefined ? labelled : m.imp_target_slot({ field: labelled, slot: String(t.slot) });
}
