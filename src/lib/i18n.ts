/** Words for shared codes (schema field errors, roles) in the user's language. */
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/schema/fields';
import type { Role } from '$lib/schema/staff';

export function fieldErrorText(code: FieldError | undefined): string | undefined {
	switch (code) {
		case undefined:
			return undefined;
		case 'required':
			return m.error_required();
		case 'invalid_email':
			return m.error_invalid_email();
		case 'too_long':
			return m.error_too_long();
		case 'too_short':
			return m.error_too_short();
		case 'not_text':
			return m.error_not_text();
		case 'invalid_choice':
			return m.error_invalid_choice();
		case 'not_integer':
			return m.error_not_integer();
		case 'out_of_range':
			return m.error_out_of_range();
	}
}

export function roleText(role: Role): string {
	return role === 'admin' ? m.role_admin() : m.role_staff();
}

/** Each language named in itself, as language pickers do. */
export const LANGUAGE_NAMES: Record<string, string> = {
	en: 'English',
	de: 'Deutsch',
	fr: 'Français',
	pl: 'Polski',
	pt: 'Português'
};
