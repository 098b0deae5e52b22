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

/** The texts both a typed value and a typed definition may be refused with. */
const COMMON_ERRORS = { required: m.error_required, too_long: m.error_too_long };

const VALUE_ERRORS: Record<CustomValueError, () => string> = {
	...COMMON_ERRORS,
	not_number: m.cf_error_not_number,
	out_of_range: m.cf_error_not_number,
	invalid_date: m.cf_error_invalid_date,
	invalid_url: m.cf_error_invalid_url,
	invalid_choice: m.error_invalid_choice,
	not_text: m.cf_flag_other,
	not_checkbox: m.cf_flag_other
};

const DEFINITION_ERRORS: Record<DefinitionError, () => string> = {
	...COMMON_ERRORS,
	duplicate: m.cf_error_duplicate,
	no_options: m.cf_error_no_options,
	too_many_options: m.cf_error_too_many_options
};

/** The flag of a stored value by its reason; any other reason is "other". */
const FLAGS: Partial<Record<CustomValueError, () => string>> = {
	not_number: m.cf_flag_not_number,
	out_of_range: m.cf_flag_not_number,
	invalid_date: m.cf_flag_invalid_date,
	invalid_choice: m.cf_flag_invalid_choice,
	invalid_url: m.cf_flag_invalid_url
};

/** The error of a value typed into a form. */
export const customErrorText = (code: CustomValueError | undefined): string | undefined =>
	code === undefined ? undefined : VALUE_ERRORS[code]();

export const definitionErrorText = (code: DefinitionError | undefined): string | undefined =>
	code === undefined ? undefined : DEFINITION_ERRORS[code]();

/** Why a stored value is flagged (its definition changed after it was entered); null when it fits. */
export function customFlagText(def: CustomFieldDef, value: FieldValue | undefined): string | null {
	const code = checkCustomValue(def, value);
	return code === null ? null : (FLAGS[code] ?? m.cf_flag_other)();
}

/** A value as a record or a list cell shows it (checkbox: Yes / No). */
export const customShown = (def: CustomFieldDef, value: FieldValue | undefined): string =>
	customValueText(def, value, { yes: m.cf_yes(), no: m.cf_no() });
