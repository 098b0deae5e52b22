/** Google Contacts' "Google CSV": the current First Name / E-mail 1 - Label form and the old Given Name / E-mail 1 - Type form. */
import { f, v, type Layout } from './layout.ts';

/**
 * Google's numbered groups, old ("Type") and current ("Label") alike. Also the guess for a
 * file of no known layout (recognise.ts): a sheet made from a Google export often keeps
 * "E-mail 1 - Value" and drops the rest, its label column included.
 */
export const GOOGLE_PATTERNS: NonNullable<Layout['patterns']> = [
	[/^e-?mail (\d{1,2}) - (type|label)$/, (m) => ({ kind: 'label', field: 'email', slot: +m[1] })],
	[/^e-?mail (\d{1,2}) - value$/, (m) => v('email', undefined, +m[1])],
	[/^phone (\d{1,2}) - (type|label)$/, (m) => ({ kind: 'label', field: 'phone', slot: +m[1] })],
	[/^phone (\d{1,2}) - value$/, (m) => v('phone', undefined, +m[1])],
	[/^website (\d{1,2}) - (type|label)$/, (m) => ({ kind: 'label', field: 'website', slot: +m[1] })],
	[/^website (\d{1,2}) - value$/, (m) => v('website', undefined, +m[1])],
	[/^address (\d{1,2}) - street$/, (m) => f('street', +m[1])],
	[/^address (\d{1,2}) - city$/, (m) => f('city', +m[1])],
	[/^address (\d{1,2}) - region$/, (m) => f('state', +m[1])],
	[/^address (\d{1,2}) - postal code$/, (m) => f('postalCode', +m[1])],
	[/^address (\d{1,2}) - country$/, (m) => f('country', +m[1])],
	[/^organization 1 - name$/, () => f('company')],
	[/^organization 1 - title$/, () => f('position')],
	[/^organization 1 - department$/, () => f('department')]
];

export const GOOGLE: Layout = {
	id: 'google',
	markers: [['first name', 'last name', 'organization name', 'e-mail 1 - value']],
	columns: {
		'first name': f('firstName'),
		'middle name': f('middleName'),
		'last name': f('lastName'),
		'name prefix': f('namePrefix'),
		'name suffix': f('nameSuffix'),
		nickname: f('nickname'),
		'organization name': f('company'),
		'organization title': f('position'),
		'organization department': f('department'),
		birthday: f('birthday'),
		notes: f('notes'),
		labels: f('tags')
	},
	patterns: GOOGLE_PATTERNS
};

export const GOOGLE_LEGACY: Layout = {
	id: 'google-legacy',
	markers: [['given name', 'family name', 'e-mail 1 - value']],
	columns: {
		name: f('fullName'),
		'given name': f('firstName'),
		'additional name': f('middleName'),
		'family name': f('lastName'),
		'name prefix': f('namePrefix'),
		'name suffix': f('nameSuffix'),
		nickname: f('nickname'),
		birthday: f('birthday'),
		notes: f('notes'),
		'group membership': f('tags')
	},
	patterns: GOOGLE_PATTERNS
};
