/**
 * The form state of additional fields (custom-values.ts): what each input shows, made from
 * the stored values, and the values to write back. Only fields the user changed are written:
 * a stored value that no longer fits its definition (flagged) stays as it is until someone
 * edits it, so opening and saving a form never loses it.
 */
import type { CustomFieldDef } from '$lib/schema/custom-fields';
import { checkRequired, parseCustomCell, type CustomValueError } from '$lib/schema/custom-values';
import type { FieldValue } from '$lib/schema/records';

/** Per field id: the text typed, or a checkbox's tick. */
export type CustomDraft = Record<string, string | boolean>;

export function customDraftFrom(
	defs: readonly CustomFieldDef[],
	values: Readonly<Record<string, FieldValue>>
): CustomDraft {
	const draft: CustomDraft = {};
	for (const def of defs) {
		const v = values[def.id];
		draft[def.id] = def.type === 'checkbox' ? v === true : v === null || v === undefined ? '' : String(v);
	}
	return draft;
}

/**
 * The values to write (changed fields only) and the errors, per field id: a changed value
 * must fit its definition, and a required field must be filled (on create and edit: a record
 * older than the rule is asked for it when next edited).
 */
export function customDraftValues(
	defs: readonly CustomFieldDef[],
	draft: Readonly<CustomDraft>,
	initial: Readonly<CustomDraft>,
	stored: Readonly<Record<string, FieldValue>>
): { values: Record<string, FieldValue>; errors: Record<string, CustomValueError> } {
	const values: Record<string, FieldValue> = {};
	const errors: Record<string, CustomValueError> = {};
	for (const def of defs) {
		const typed = draft[def.id];
		if (typed === undefined) continue;
		if (typed === initial[def.id]) {
			if (def.type !== 'checkbox' && checkRequired(def, stored[def.id])) errors[def.id] = 'required';
			continue;
		}
		const parsed = typeof typed === 'boolean' ? { value: typed } : parseCustomCell(def, typed);
		if ('error' in parsed) errors[def.id] = parsed.error;
		else if (def.type !== 'checkbox' && checkRequired(def, parsed.value)) errors[def.id] = 'required';
		else values[def.id] = parsed.value;
	}
	return { values, errors };
}
