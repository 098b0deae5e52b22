/**
 * Known export layouts (issue #13 item 3): the header rows of the products teams come from,
 * and what each column means there. Columns whose names mislead are mapped by their meaning
 * in that product: Outlook's "Title" is the honorific (Dr., Mme) and "Job Title" the position;
 * Salesforce's "Title" is the position and "Salutation" the honorific.
 *
 * Sources of the header rows: each product's own export (Google Contacts "Google CSV" in the
 * old Given Name / E-mail 1 - Type form and the current First Name / E-mail 1 - Label form;
 * Outlook's "Comma Separated Values"; Salesforce's report export and Data Loader API names;
 * Perfex's contacts table export and its customer import template; ONLYOFFICE CRM's contact
 * export, English and German). tests/fixtures/import holds a sample of each.
 */
import type { ColumnTarget, MultiField, SingleField, ValueLabel } from '../../src/lib/schema/import-fields.ts';

export const LAYOUT_IDS = [
	'google',
	'google-legacy',
	'outlook',
	'excel-de',
	'salesforce',
	'perfex',
	'onlyoffice'
] as const;
export type LayoutId = (typeof LAYOUT_IDS)[number];

export interface Layout {
	id: LayoutId;
	/** Any one of these sets of headers, all present, recognises the layout. */
	markers: string[][];
	/** Header (normalised: lowercase, single spaces) → target. */
	columns: Record<string, ColumnTarget>;
	/** Numbered columns ("E-mail 2 - Value"): the first matching pattern gives the target. */
	patterns?: [RegExp, (m: RegExpExecArray) => ColumnTarget][];
}

const f = (field: SingleField, slot?: number): ColumnTarget =>
	slot === undefined ? { kind: 'field', field } : { kind: 'field', field, slot };
const v = (field: MultiField, label?: ValueLabel, slot?: number): ColumnTarget => ({
	kind: 'field',
	field,
	label,
	slot
});
const ignore: ColumnTarget = { kind: 'ignore' };

/** Address parts of one address slot, under the names a layout gives them. */
function address(
	slot: number,
	names: Partial<Record<'street' | 'city' | 'state' | 'postalCode' | 'country', string[]>>
) {
	const out: Record<string, ColumnTarget> = {};
	for (const [field, headers] of Object.entries(names)) for (const h of headers) out[h] = f(field as SingleField, slot);
	return out;
}

/** Google's numbered groups, old ("Type") and current ("Label") alike. */
const GOOGLE_PATTERNS: Layout['patterns'] = [
	[/^e-mail (\d+) - (type|label)$/, (m) => ({ kind: 'label', field: 'email', slot: +m[1] })],
	[/^e-mail (\d+) - value$/, (m) => v('email', undefined, +m[1])],
	[/^phone (\d+) - (type|label)$/, (m) => ({ kind: 'label', field: 'phone', slot: +m[1] })],
	[/^phone (\d+) - value$/, (m) => v('phone', undefined, +m[1])],
	[/^website (\d+) - (type|label)$/, (m) => ({ kind: 'label', field: 'website', slot: +m[1] })],
	[/^website (\d+) - value$/, (m) => v('website', undefined, +m[1])],
	[/^address (\d+) - street$/, (m) => f('street', +m[1])],
	[/^address (\d+) - city$/, (m) => f('city', +m[1])],
	[/^address (\d+) - region$/, (m) => f('state', +m[1])],
	[/^address (\d+) - postal code$/, (m) => f('postalCode', +m[1])],
	[/^address (\d+) - country$/, (m) => f('country', +m[1])],
	[/^organization 1 - name$/, () => f('company')],
	[/^organization 1 - title$/, () => f('position')],
	[/^organization 1 - department$/, () => f('department')]
];

const GOOGLE: Layout = {
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

const GOOGLE_LEGACY: Layout = {
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

const OUTLOOK: Layout = {
	id: 'outlook',
	markers: [['first name', 'last name', 'e-mail address', 'job title']],
	columns: {
		title: f('namePrefix'), // the honorific in Outlook, never the position
		'first name': f('firstName'),
		'middle name': f('middleName'),
		'last name': f('lastName'),
		suffix: f('nameSuffix'),
		company: f('company'),
		department: f('department'),
		'job title': f('position'),
		...address(1, {
			street: ['business street', 'business street 2', 'business street 3'],
			city: ['business city'],
			state: ['business state'],
			postalCode: ['business postal code'],
			country: ['business country/region', 'business country']
		}),
		...address(2, {
			street: ['home street', 'home street 2', 'home street 3'],
			city: ['home city'],
			state: ['home state'],
			postalCode: ['home postal code'],
			country: ['home country/region', 'home country']
		}),
		'business phone': v('phone', 'work'),
		'business phone 2': v('phone', 'work'),
		'company main phone': v('phone', 'main'),
		'mobile phone': v('phone', 'mobile'),
		'home phone': v('phone', 'home'),
		'home phone 2': v('phone', 'home'),
		'primary phone': v('phone', 'main'),
		'other phone': v('phone', 'other'),
		'business fax': v('phone', 'fax'),
		'home fax': v('phone', 'fax'),
		pager: v('phone', 'pager'),
		'e-mail address': v('email', undefined, 1),
		'e-mail 2 address': v('email', undefined, 2),
		'e-mail 3 address': v('email', undefined, 3),
		// "SMTP" / "EX": a transport, not a label.
		'e-mail type': ignore,
		'e-mail display name': ignore,
		'web page': v('website'),
		birthday: f('birthday'),
		notes: f('notes'),
		categories: f('tags')
	}
};

const EXCEL_DE: Layout = {
	id: 'excel-de',
	markers: [['vorname', 'nachname']],
	columns: {
		anrede: f('namePrefix'),
		titel: f('namePrefix'), // "Dr.": joined after the Anrede ("Frau Dr.")
		vorname: f('firstName'),
		'weitere vornamen': f('middleName'),
		zweitname: f('middleName'),
		nachname: f('lastName'),
		firma: f('company'),
		unternehmen: f('company'),
		abteilung: f('department'),
		position: f('position'),
		funktion: f('position'),
		'e-mail': v('email'),
		email: v('email'),
		'e-mail-adresse': v('email'),
		'e-mail 2': v('email'),
		telefon: v('phone', 'work'),
		'telefon geschäftlich': v('phone', 'work'),
		'telefon privat': v('phone', 'home'),
		mobil: v('phone', 'mobile'),
		handy: v('phone', 'mobile'),
		mobiltelefon: v('phone', 'mobile'),
		fax: v('phone', 'fax'),
		...address(1, {
			street: ['straße', 'strasse', 'str.', 'adresse', 'anschrift'],
			postalCode: ['plz', 'postleitzahl'],
			city: ['ort', 'stadt', 'wohnort'],
			state: ['bundesland', 'region'],
			country: ['land', 'staat']
		}),
		webseite: v('website'),
		website: v('website'),
		homepage: v('website'),
		internet: v('website'),
		geburtstag: f('birthday'),
		geburtsdatum: f('birthday'),
		notizen: f('notes'),
		notiz: f('notes'),
		bemerkung: f('notes'),
		bemerkungen: f('notes'),
		kategorie: f('tags'),
		kategorien: f('tags'),
		kundennummer: f('externalId')
	}
};

const SALESFORCE: Layout = {
	id: 'salesforce',
	markers: [
		['account name', 'mailing street'],
		['contact id', 'last name'],
		['lastname', 'mailingstreet'],
		['id', 'isdeleted', 'lastname']
	],
	columns: {
		salutation: f('namePrefix'),
		'first name': f('firstName'),
		firstname: f('firstName'),
		'last name': f('lastName'),
		lastname: f('lastName'),
		title: f('position'), // the position in Salesforce, never an honorific
		department: f('department'),
		'account name': f('company'),
		...address(1, {
			street: ['mailing street', 'mailingstreet'],
			city: ['mailing city', 'mailingcity'],
			state: ['mailing state/province', 'mailing state', 'mailingstate'],
			postalCode: ['mailing zip/postal code', 'mailing postal code', 'mailingpostalcode'],
			country: ['mailing country', 'mailingcountry']
		}),
		phone: v('phone', 'work'),
		'business phone': v('phone', 'work'),
		mobile: v('phone', 'mobile'),
		mobilephone: v('phone', 'mobile'),
		'home phone': v('phone', 'home'),
		homephone: v('phone', 'home'),
		'other phone': v('phone', 'other'),
		otherphone: v('phone', 'other'),
		fax: v('phone', 'fax'),
		email: v('email'),
		birthdate: f('birthday'),
		description: f('notes'),
		'contact id': f('externalId'),
		id: f('externalId'),
		isdeleted: f('deleted')
	}
};

const PERFEX: Layout = {
	id: 'perfex',
	markers: [
		['first name', 'last name', 'email', 'last login', 'active'],
		['firstname', 'lastname', 'email', 'contact phonenumber']
	],
	columns: {
		'first name': f('firstName'),
		firstname: f('firstName'),
		'last name': f('lastName'),
		lastname: f('lastName'),
		email: v('email'),
		company: f('company'),
		phone: v('phone', 'work'),
		'contact phonenumber': v('phone', 'work'),
		phonenumber: v('phone', 'main'), // the customer's phone in the import template
		position: f('position'),
		title: f('position'),
		...address(1, { street: ['address'], city: ['city'], state: ['state'], postalCode: ['zip'], country: ['country'] }),
		website: v('website'),
		'last login': ignore,
		active: ignore,
		vat: ignore
	}
};

const onlyofficeLabel: Record<string, ValueLabel> = {
	work: 'work',
	home: 'home',
	mobile: 'mobile',
	fax: 'fax',
	other: 'other',
	arbeit: 'work',
	privat: 'home',
	mobil: 'mobile',
	sonstige: 'other'
};
const ooLabel = (s: string): ValueLabel | undefined => onlyofficeLabel[s];

const ONLYOFFICE: Layout = {
	id: 'onlyoffice',
	markers: [
		['first name', 'last name', 'company name', 'about'],
		['vorname', 'nachname', 'name des unternehmens']
	],
	columns: {
		'first name': f('firstName'),
		vorname: f('firstName'),
		'last name': f('lastName'),
		nachname: f('lastName'),
		'company name': f('company'),
		'name des unternehmens': f('company'),
		position: f('position'),
		about: f('notes'),
		beschreibung: f('notes'),
		tags: f('tags'),
		'contact type': ignore,
		kontakttyp: ignore
	},
	patterns: [
		[/^(?:email|e-mail) \((\p{L}+)\)$/u, (m) => v('email', ooLabel(m[1]))],
		[/^(?:phone|telefon) \((\p{L}+)\)$/u, (m) => v('phone', ooLabel(m[1]))],
		[/^(?:website|webseite) \((\p{L}+)\)$/u, (m) => v('website', ooLabel(m[1]))],
		[
			/^(?:address|adresse) \((\p{L}+)\) - (street|city|state|zip|country|straße|ort|bundesland|plz|land)$/u,
			(m) => f(OO_ADDRESS[m[2]])
		]
	]
};
const OO_ADDRESS: Record<string, SingleField> = {
	street: 'street',
	straße: 'street',
	city: 'city',
	ort: 'city',
	state: 'state',
	bundesland: 'state',
	zip: 'postalCode',
	plz: 'postalCode',
	country: 'country',
	land: 'country'
};

/** In the order they are tried: the more specific marker sets first. */
export const LAYOUTS: readonly Layout[] = [SALESFORCE, PERFEX, ONLYOFFICE, OUTLOOK, GOOGLE, GOOGLE_LEGACY, EXCEL_DE];

/** The target a layout gives a (normalised) header, or null when it does not know it. */
export function targetIn(layout: Layout, header: string): ColumnTarget | null {
	// Own keys only: a header named "constructor" is not Object.prototype's.
	if (Object.hasOwn(layout.columns, header)) return layout.columns[header];
	for (const [re, make] of layout.patterns ?? []) {
		const m = re.exec(header);
		if (m) return make(m);
	}
	return null;
}
