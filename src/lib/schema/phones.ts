/**
 * Phone numbers as people type them (issue #13 item 2): the raw text is what is kept and
 * shown; an E.164 form is added when the country is known — the number starts with + (or
 * 00), or the record, the import or a default region names the country — so a number
 * typed nationally ("08141 123") and one typed internationally ("+49 8141 123") are found
 * by the same search. Extensions ("ext. 45", "x45", "Durchwahl") are kept apart.
 *
 * Parsing is libphonenumber-js (Google's libphonenumber metadata, the "min" set: enough for
 * parsing and E.164, ~80 kB, so the device can use it offline too).
 */
import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { countryCode } from './countries.ts';

export type { CountryCode } from 'libphonenumber-js';

export interface PhoneValue {
	/** As typed, trimmed: what the user sees. */
	raw: string;
	/** +4981411234 when the country is known and the number fits it; else null. */
	e164: string | null;
	/** The extension, digits only ("45"), or null. */
	ext: string | null;
}

const COUNTRIES: ReadonlySet<string> = new Set(getCountries());

/**
 * The region of a country as a record or an import holds it: an ISO code ("DE", "de"), or a
 * name in one of the UI languages ("Germany", "Deutschland", "Allemagne", "Niemcy"; read by
 * countries.ts). Null when it names no country libphonenumber knows.
 */
export function regionOf(country: string | null | undefined): CountryCode | null {
	if (!country) return null;
	const t = country.trim();
	const code = /^[A-Za-z]{2}$/.test(t) ? t.toUpperCase() : countryCode(t);
	return code && COUNTRIES.has(code) ? (code as CountryCode) : null;
}

// "ext. 45", "ext 45", "x45", "#45", "Durchwahl 45", "poste 45", "wew. 45", "ramal 45".
const EXTENSION = /\s*(?:[,;]\s*)?(?:e?xt\.?|extension|x|#|durchwahl|dw\.?|poste|wew\.?|ramal)\s*:?\s*(\d{1,10})\s*$/i;

function splitExtension(raw: string): { number: string; ext: string | null } {
	const m = EXTENSION.exec(raw);
	if (!m || m.index === 0) return { number: raw, ext: null };
	return { number: raw.slice(0, m.index), ext: m[1] };
}

/**
 * The region a record's phones are read in: its own country when it names one, else the
 * workspace's default phone region (settings.ts readPhoneRegion), else none.
 */
export function recordRegion(
	country: string | null | undefined,
	workspaceRegion?: CountryCode | null
): CountryCode | null {
	return regionOf(country) ?? workspaceRegion ?? null;
}

/**
 * A phone value from text as typed. `region` is the country to read a national number in
 * (the record's or the import's country, or a default region); without one, only a number
 * written internationally gets an E.164 form.
 */
export function phoneValue(text: string, region?: CountryCode | string | null): PhoneValue {
	const raw = text.trim();
	const { number, ext } = splitExtension(raw);
	const country = typeof region === 'string' ? regionOf(region) : null;
	// "0049 8141 123": the international call prefix most of the world dials, written out.
	const intl = number.trim().replace(/^00(?=[1-9])/, '+');
	const parsed = intl.startsWith('+')
		? parsePhoneNumberFromString(intl)
		: country
			? parsePhoneNumberFromString(intl, country)
			: undefined;
	const e164 = parsed && parsed.isPossible() ? parsed.number : null;
	return { raw, e164, ext: ext ?? (parsed?.ext ? String(parsed.ext) : null) };
}

/**
 * Whether two texts are the same phone number however each was written: equal as typed, or
 * the same E.164 form and extension, a number typed nationally read in the country of the
 * other (written internationally). "+49 30 1234567", "+49301234567" (a vCard's tel: URI) and
 * "030 1234567" are one number; an import that meets it again changes nothing and keeps the
 * form the user typed.
 */
export function samePhoneNumber(a: string, b: string): boolean {
	if (a.trim() === b.trim()) return true;
	const x = phoneValue(a);
	const y = phoneValue(b);
	if (x.ext !== y.ext) return false;
	if (x.e164 && y.e164) return x.e164 === y.e164;
	const known = x.e164 ?? y.e164;
	if (!known) return false;
	const country = parsePhoneNumberFromString(known)?.country;
	return !!country && phoneValue(x.e164 ? b : a, country).e164 === known;
}

/** The tel: URI (RFC 3966) of a number in E.164 form, its extension as `;ext=`. */
export const e164Uri = (e164: string, ext: string | null): string => `tel:${e164}${ext ? `;ext=${ext}` : ''}`;

/**
 * The tel: URI to dial a phone by (links on the device): its E.164 form where the country is
 * known — the number's +, else `region` (recordRegion), as the export writes it — otherwise
 * the characters of the text a dialer uses (RFC 3966 allows separators; some dialers do not).
 */
export function telUri(phone: string, region: CountryCode | null = null): string {
	const v = phoneValue(phone, region);
	return v.e164 ? e164Uri(v.e164, v.ext) : `tel:${phone.trim().replace(/[^\d+*#,;]/g, '')}`;
}

/** Digits only. */
const digitsOf = (s: string) => s.replace(/\D/g, '');

/**
 * What a typed search for a phone number looks for: its digits, and when it is written
 * internationally ("+49 8141 123", "0049 8141 123") or nationally ("08141 123") also the
 * national significant number, so either way of writing finds the other.
 */
export function phoneQueryKeys(query: string, region?: CountryCode | string | null): string[] {
	const q = query.trim();
	const digits = digitsOf(q);
	if (digits.length < 3) return digits ? [digits] : [];
	const keys = new Set<string>([digits]);
	const value = phoneValue(q, region);
	if (value.e164) {
		const parsed = parsePhoneNumberFromString(value.e164);
		if (parsed) keys.add(String(parsed.nationalNumber));
	}
	const trunkless = digits.replace(/^0+/, '');
	if (trunkless !== digits && trunkless.length >= 3) keys.add(trunkless);
	return [...keys];
}

/** A typed phone search, read once (phoneFinds compares it with each stored phone). */
export interface PhoneQuery {
	/** Digit strings one of which a stored phone's digits contain (phoneQueryKeys). */
	keys: string[];
	/** Written internationally ("+49 30 12", "0049 30 12"): its digits, country code first; else null. */
	intl: string | null;
}

export function phoneQuery(query: string): PhoneQuery {
	const keys = phoneQueryKeys(query);
	const written = splitExtension(query.trim())
		.number.trim()
		.replace(/^00(?=[1-9])/, '+');
	if (keys.length === 0 || !written.startsWith('+')) return { keys, intl: null };
	const e164 = phoneValue(written).e164;
	// Not a whole number yet (typing): its digits, without the "(0)" some write after the country code.
	return { keys, intl: e164 ? e164.slice(1) : digitsOf(written.replace(/\(0\)/g, '')) };
}

/**
 * Whether a typed query finds a stored phone, however either was written — the one rule of
 * the device's lists and the server's export of them. A query written internationally is
 * compared with the stored number's E.164 form where that is known — `e164()`: read in the
 * record's country, else the workspace's default region (recordRegion) — so "+33 30 123"
 * does not find a German "030 123"; otherwise, and for a query typed nationally, by digits:
 * "08141 123" and "+49 8141 123" find each other. `e164` is asked only for a query written
 * internationally: typing a national number parses nothing.
 */
export function phoneFinds(q: PhoneQuery, raw: string, e164: () => string | null): boolean {
	return phoneFindsDigits(q, phoneDigits(raw), e164);
}

/** A stored phone's digits as phoneFinds compares them: the number's, without its extension. */
export function phoneDigits(raw: string): string {
	return digitsOf(splitExtension(raw.trim()).number);
}

/** phoneFinds with the stored phone's digits read beforehand (phoneDigits): the device's lists keep them. */
export function phoneFindsDigits(q: PhoneQuery, digits: string, e164: () => string | null): boolean {
	if (q.keys.length === 0) return false;
	if (q.intl !== null) {
		const full = e164();
		if (full) return full.slice(1).includes(q.intl);
	}
	return q.keys.some((k) => digits.includes(k));
}

/** Whether a typed query finds a stored phone (phoneFinds); `region`: the record's (recordRegion). */
export function phoneMatches(phone: PhoneValue | string, query: string, region?: CountryCode | string | null): boolean {
	const stored = typeof phone === 'string' ? { raw: phone, e164: null } : phone;
	return phoneFinds(phoneQuery(query), stored.raw, () => stored.e164 ?? phoneValue(stored.raw, region).e164);
}
