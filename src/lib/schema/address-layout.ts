/**
 * The order of an address's parts (issue #14 item 10), for the forms that edit it and the
 * lines that show it: as the address's country writes it when the country is known, else as
 * the reader's language does.
 *
 * - city first (the US, the UK, Canada, Australia, Brazil …; English): street; city, state and
 *   postal code ("Springfield, IL 62701"); country;
 * - postal code first (continental Europe …; German, French, Polish, Portuguese): street;
 *   postal code and city ("82256 Fürstenfeldbruck"); state; country.
 */
import { countryCode, countryText } from './countries.ts';

export const ADDRESS_PARTS = ['street', 'city', 'state', 'postalCode', 'country'] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];
export type AddressValues = Partial<Record<AddressPart, unknown>>;

export type AddressStyle = 'city-first' | 'postal-first';

/** Countries whose addresses put the postal code before the city. */
const POSTAL_FIRST = new Set(
	(
		'AD AL AR AT AX BA BE BG BL CH CY CZ DE DK DZ EE ES FI FO FR GF GL GP GR HR HU IL IS IT LI LT LU LV MA MC ' +
		'ME MF MK MQ MX NC NL NO PF PL PM PT RE RO RS SE SI SK SM TN TR VA WF YT'
	).split(' ')
);

/** Countries whose addresses put the city first, the postal code after it. */
const CITY_FIRST = new Set('AS AU BR CA GB GU IE IN MP NZ PH PR SG UM US VI ZA'.split(' '));

/** The UI languages' own habit, for an address whose country is unknown or not listed above. */
const LOCALE_STYLE: Record<string, AddressStyle> = {
	en: 'city-first',
	de: 'postal-first',
	fr: 'postal-first',
	pl: 'postal-first',
	pt: 'postal-first'
};

/** How an address is written: by its country when known (code or a name), else by `locale`. */
export function addressStyle(country: unknown, locale: string): AddressStyle {
	const code = typeof country === 'string' ? countryCode(country) : null;
	if (code && POSTAL_FIRST.has(code)) return 'postal-first';
	if (code && CITY_FIRST.has(code)) return 'city-first';
	return LOCALE_STYLE[locale.slice(0, 2).toLowerCase()] ?? 'city-first';
}

const ORDER: Record<AddressStyle, readonly AddressPart[]> = {
	'city-first': ['street', 'city', 'state', 'postalCode', 'country'],
	'postal-first': ['street', 'postalCode', 'city', 'state', 'country']
};

/** The address fields in the order a form shows them. */
export function addressFieldOrder(country: unknown, locale: string): readonly AddressPart[] {
	return ORDER[addressStyle(country, locale)];
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * The address as written on an envelope, one line per part, empty parts left out; the country
 * by name in `locale` (a stored free text as written).
 */
export function addressLines(a: AddressValues, locale: string): string[] {
	const street = text(a.street);
	const city = text(a.city);
	const state = text(a.state);
	const postal = text(a.postalCode);
	const country = countryText(text(a.country), locale);
	const lines =
		addressStyle(a.country, locale) === 'city-first'
			? // "Springfield, IL 62701"; "London SW1A 1AA" without a state.
				[street, [city && state ? `${city},` : city, state, postal].filter(Boolean).join(' ')]
			: [street, [postal, city].filter(Boolean).join(' '), state];
	return [...lines, country].filter(Boolean);
}
