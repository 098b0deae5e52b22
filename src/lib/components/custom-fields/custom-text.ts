/** Words for additional fields in the user's language: types, errors, and the flag of a value that no longer fits. */
import { m } from '$lib/paraglide/messages';
import type { CustomFieldDef, CustomFieldType, DefinitionError } from '$lib/schema/custom-fields';
import { checkCustomValue, customValueText, type CustomValueError } from '$lib/schema/custom-values';
import type { FieldValue } from '$lib/schema/records';

export const TYPE_LABELS: Record<CustomFieldType, () => string> = {
	text: m.cf_type_text,
	longText: m.cf_type_longText,
	number: m.cf_type_number,
	date: m.cf_type_date,
	checkbox: m.cf_type_checkbox,
	select: m.cf_type_select,
	url: m.cf_type_url
};

/** The error of a value typed into a form. */
export function customErrorText(code: CustomValueError | undefined): string | undefined {
	switch (code) {
		case undefined:
			return undefined;
		case 'required':
			return m.error_required();
		case 'too_long':
			return m.error_too_long();
		case 'not_number':
		case 'out_of_range':
			return m.cf_error_not_number();
		case 'invalid_date':
			return m.cf_error_invalid_date();
		case 'invalid_url':
			return m.cf_error_invalid_url();
		case 'invalid_choice':
			return m.error_invalid_choice();
		case 'not_text':
		case 'not_checkbox':
			return m.cf_flag_other();
	}
}

export function definitionErrorText(code: DefinitionError | undefined): string | undefined {
	switch (code) {
		case undefined:
			return undefined;
		case 'required':
			return m.error_required();
		case 'too_long':
			return m.error_too_long();
		case 'duplicate':
			return m.cf_error_duplicate();
		case 'no_options':
			return m.cf_error_no_options();
		case 'too_many_options':
			return m.cf_error_too_many_options();
	}
}

/** Why a stored value is flagged (its definition changed after it was entered); null when it fits. */
export function customFlagText(def: CustomFieldDef, value: FieldValue | undefined): string | null {
	switch (checkCustomValue(def, value)) {
		case null:
			return null;
		case 'not_number':
		case 'out_of_range':
			return m.cf_flag_not_number();
		case 'invalid_date':
			return m.cf_flag_invalid_date();
		case 'invalid_choice':
			return m.cf_flag_invalid_choice();
		case 'invalid_url':
			return m.cf_flag_invalid_url();
		default:
			return m.cf_flag_other();
	}
}

/** A value as a record or a list cell shows it (checkbox: Yes / No). */
export const customShown = (def: CustomFieldDef, value: FieldValue | undefined): string =>
	customValueText(def, value, { yes: m.cf_yes(), no: m.cf_no() });
