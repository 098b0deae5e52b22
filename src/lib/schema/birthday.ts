/**
 * Birthdays as files write them (issue #13 item 2): ISO dates, vCard's basic and year-less
 * forms (19800415, --0415, --04-15), German dates (15.04.1980, 15.04.) and US/UK slash dates
 * (4/15/1980 from Outlook en-US; 15/4/1980 when the day comes first). A year-less birthday
 * stays year-less. Outlook writes "0/0/00" for "no birthday": that is no birthday, not an error.
 */
import type { Birthday } from './import-fields.ts';

const daysIn = (month: number, year: number | null) =>
	// A year-less 29 February is a real birthday: judge it in a leap year.
	new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();

function make(year: number | null, month: number, day: number): Birthday | 'invalid' {
	if (year !== null && (year < 1800 || year > 2200)) return 'invalid';
	if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return 'invalid';
	return { year, month, day };
}

/** A two-digit year: in the past century up to this year, else the one before. */
function fullYear(yy: string): number {
	if (yy.length === 4) return Number(yy);
	const now = new Date().getUTCFullYear();
	const y = 2000 + Number(yy);
	return y > now ? y - 100 : y;
}

/**
 * The birthday in `text`; null when the text says there is none; 'invalid' when it is not
 * a date. `dayFirst` reads ambiguous slash dates (3/4/1980) day first.
 */
export function parseBirthday(text: string, opts: { dayFirst?: boolean } = {}): Birthday | null | 'invalid' {
	const t = text.trim();
	if (t === '' || /^0{1,2}[./-]0{1,2}[./-]0{2,4}$/.test(t)) return null;
	let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})(?:T.*)?$/.exec(t);
	if (m) return make(Number(m[1]), Number(m[2]), Number(m[3]));
	m = /^--(\d{2})-?(\d{2})$/.exec(t);
	if (m) return make(null, Number(m[1]), Number(m[2]));
	m = /^(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}|\d{2}))?$/.exec(t);
	if (m) return make(m[3] ? fullYear(m[3]) : null, Number(m[2]), Number(m[1]));
	m = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?$/.exec(t);
	if (m) {
		const a = Number(m[1]);
		const b = Number(m[2]);
		const year = m[3] ? fullYear(m[3]) : null;
		// 15/4 can only be day first, 4/15 only month first; 3/4 is as the locale says.
		const dayFirst = a > 12 ? true : b > 12 ? false : (opts.dayFirst ?? false);
		return dayFirst ? make(year, b, a) : make(year, a, b);
	}
	return 'invalid';
}

/** ISO form for storage and vCard: 1980-04-15, or --04-15 without a year (RFC 6350 4.3.1). */
export function formatBirthday(b: Birthday): string {
	const mm = String(b.month).padStart(2, '0');
	const dd = String(b.day).padStart(2, '0');
	return b.year === null ? `--${mm}-${dd}` : `${String(b.year).padStart(4, '0')}-${mm}-${dd}`;
}

/**
 * A birthday as a record stores it (formatBirthday's form): "1980-04-15", or "--04-15" without
 * a year. The rule the sync validator applies to the `birthday` field.
 */
export function storedBirthday(text: string): Birthday | null {
	const m = /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/.exec(text);
	if (!m) return null;
	const b = make(m[1] === undefined ? null : Number(m[1]), Number(m[2]), Number(m[3]));
	return b === 'invalid' ? null : b;
}
