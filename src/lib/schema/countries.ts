/**
 * Countries of an address (issue #14 item 10): ISO 3166-1 alpha-2 codes, named in the
 * reader's language by the runtime (Intl.DisplayNames, CLDR), listed in the reader's
 * alphabetical order.
 *
 * How a country is stored: the customer's `country` field holds the ISO code ("DE") once it
 * was chosen from the list, and is shown by name in each reader's language ("Germany",
 * "Deutschland", "Allemagne"). Values written before (free text, "Deutschland") and values
 * an import brings stay as they are until someone chooses a country: a text that names a
 * country in one of the UI languages is read as that country (shown by name, preselected in
 * the list, used for the address layout and phone numbers); any other text ("Bavaria-Land")
 * is kept and shown exactly as written. The field stays text(100) in records.ts, so both
 * kinds of value validate on the device and on the server.
 */
import { fold } from './text-fold.ts';

/**
 * The officially assigned ISO 3166-1 alpha-2 codes, plus XK (Kosovo: user-assigned, but
 * used by CLDR, the EU and phone numbering alike).
 */
export const COUNTRY_CODES: readonly string[] = (
	'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
	'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
	'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT ' +
	'JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY ' +
	'MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM ' +
	'PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ ' +
	'TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

const CODES: ReadonlySet<string> = new Set(COUNTRY_CODES);

/** Whether `v` is a country code as the list stores it ("DE", not "de"). */
export const isCountryCode = (v: unknown): v is string => typeof v === 'string' && CODES.has(v);

/** Languages whose country names a stored value may hold: the UI languages (SPEC §1). */
const NAME_LANGUAGES = ['en', 'de', 'fr', 'pl', 'pt'] as const;

/** Names people write that the display names do not give. */
const ALIASES: readonly (readonly [string, string])[] = [
	['usa', 'US'],
	['u s a', 'US'],
	['united states of america', 'US'],
	['uk', 'GB'],
	['great britain', 'GB'],
	['england', 'GB'],
	['scotland', 'GB'],
	['wales', 'GB'],
	['grossbritannien', 'GB'],
	['brd', 'DE'],
	['bundesrepublik deutschland', 'DE'],
	['schweiz', 'CH'],
	['suisse', 'CH'],
	['svizzera', 'CH'],
	['osterreich', 'AT'],
	['polska', 'PL'],
	['brasil', 'BR'],
	['holland', 'NL'],
	['czech republic', 'CZ'],
	['espana', 'ES'],
	['italia', 'IT'],
	['belgie', 'BE'],
	['nederland', 'NL'],
	['danmark', 'DK'],
	['sverige', 'SE'],
	['norge', 'NO'],
	['suomi', 'FI']
];

/** Folded for comparison: no case, no accents, punctuation as single spaces ("Côte d’Ivoire" → "cote d ivoire"). */
const key = (s: string) =>
	fold(s)
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();

let byName: Map<string, string> | null = null;

function names(): Map<string, string> {
	if (byName) return byName;
	const map = new Map<string, string>();
	for (const lang of NAME_LANGUAGES) {
		const display = displayNames(lang);
		if (!display) continue; // a runtime without region names: codes still work
		for (const code of COUNTRY_CODES) {
			const name = display.of(code);
			if (name && name !== code && !map.has(key(name))) map.set(key(name), code);
		}
	}
	for (const [alias, code] of ALIASES) if (!map.has(alias)) map.set(alias, code);
	byName = map;
	return map;
}

const displays = new Map<string, Intl.DisplayNames | null>();
function displayNames(locale: string): Intl.DisplayNames | null {
	let d = displays.get(locale);
	if (d === undefined) {
		try {
			d = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
		} catch {
			d = null;
		}
		displays.set(locale, d);
	}
	return d;
}

/**
 * The country a stored value names: its ISO code when the value is a code (any case: "DE",
 * "de") or a country's name in one of the UI languages, case- and accent-insensitively
 * ("Deutschland", "Germany", "Allemagne", "NIEMCY" → "DE"); null for anything else (free
 * text that is kept as written).
 */
export function countryCode(value: string | null | undefined): string | null {
	if (typeof value !== 'string') return null;
	const t = value.trim();
	if (t === '') return null;
	if (/^[A-Za-z]{2}$/.test(t)) {
		const code = t.toUpperCase();
		if (CODES.has(code)) return code;
	}
	return names().get(key(t)) ?? null;
}

/** A code's name in `locale` ("DE", "fr" → "Allemagne"); the code itself when the runtime has no name. */
export function countryName(code: string, locale: string): string {
	return displayNames(locale)?.of(code) ?? code;
}

/**
 * A stored country as a reader sees it: the country's name in their language when the value
 * names a known country, else the stored text as written (never lost, never guessed at).
 */
export function countryText(value: string | null | undefined, locale: string): string {
	if (typeof value !== 'string') return '';
	const code = countryCode(value);
	return code ? countryName(code, locale) : value.trim();
}

export interface CountryOption {
	/** What is stored when chosen: the ISO code, or a stored free text kept as itself. */
	value: string;
	label: string;
}

const lists = new Map<string, readonly CountryOption[]>();

/** Every country by name in `locale`, in that language's alphabetical order. */
export function countryOptions(locale: string): readonly CountryOption[] {
	let list = lists.get(locale);
	if (!list) {
		const collator = new Intl.Collator(locale, { sensitivity: 'base' });
		list = COUNTRY_CODES.map((code) => ({ value: code, label: countryName(code, locale) })).sort((a, b) =>
			collator.compare(a.label, b.label)
		);
		lists.set(locale, list);
	}
	return list;
}

/**
 * The choices of a country list for a stored value, and which one is selected: a known
 * country (stored as code or name) selects its code; a text that names no country is
 * offered first as itself and selected, so it is shown and kept until another is chosen.
 * The empty choice ("—") is the form's to add.
 */
export function countryChoices(
	stored: string | null | undefined,
	locale: string
): { options: readonly CountryOption[]; selected: string } {
	const all = countryOptions(locale);
	const text = typeof stored === 'string' ? stored.trim() : '';
	if (text === '') return { options: all, selected: '' };
	const code = countryCode(text);
	if (code) return { options: all, selected: code };
	return { options: [{ value: stored as string, label: text }, ...all], selected: stored as string };
}
