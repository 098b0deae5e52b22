/**
 * Money for sales documents and contracts, computed the same way on the device, on the server
 * and in the portal's printable view (issue #12): amounts are integers in minor units of the
 * document's currency; a line's net is quantity × unit price and its tax is net × rate, each
 * rounded half away from zero to a minor unit per line; the document's totals are the sums.
 * The arithmetic runs on BigInt, so no binary fraction ever decides a cent.
 */

export interface LineAmounts {
	quantity?: unknown;
	unitPrice?: unknown;
	taxRate?: unknown;
}

export interface LineTotals {
	net: number;
	tax: number;
}

export interface DocumentTotals {
	/** Sum of the lines' net amounts. */
	subtotal: number;
	/** Sum of the lines' tax. */
	tax: number;
	total: number;
	/** Tax per rate (percent as written), rates ascending. */
	taxes: { rate: number; net: number; tax: number }[];
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** `a / b` rounded half away from zero, for b > 0. */
function divRound(a: bigint, b: bigint): bigint {
	const q = a / b;
	const r = a % b;
	if (r === 0n) return q;
	const twice = (r < 0n ? -r : r) * 2n;
	if (twice < b) return q;
	return a < 0n ? q - 1n : q + 1n;
}

/** A value with at most `decimals` places, as an integer scaled by 10^decimals. */
const scaled = (v: number, decimals: number): bigint => BigInt(Math.round(v * 10 ** decimals));

export function lineTotals(line: LineAmounts): LineTotals {
	const quantity = scaled(num(line.quantity), 4);
	const price = BigInt(Math.round(num(line.unitPrice)));
	const net = divRound(quantity * price, 10_000n);
	const tax = divRound(net * scaled(num(line.taxRate), 2), 10_000n);
	return { net: Number(net), tax: Number(tax) };
}

export function documentTotals(lines: readonly LineAmounts[]): DocumentTotals {
	let subtotal = 0;
	let tax = 0;
	const byRate = new Map<number, { net: number; tax: number }>();
	for (const line of lines) {
		const t = lineTotals(line);
		subtotal += t.net;
		tax += t.tax;
		const rate = num(line.taxRate);
		const r = byRate.get(rate) ?? { net: 0, tax: 0 };
		r.net += t.net;
		r.tax += t.tax;
		byRate.set(rate, r);
	}
	const taxes = [...byRate.entries()]
		.filter(([rate]) => rate !== 0)
		.sort(([a], [b]) => a - b)
		.map(([rate, r]) => ({ rate, ...r }));
	return { subtotal, tax, total: subtotal + tax, taxes };
}

/** Decimal places of a currency's minor unit (EUR 2, JPY 0, KWD 3); 2 when unknown. */
export function currencyDigits(currency: string): number {
	try {
		return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
	} catch {
		return 2;
	}
}

/** "12.5" EUR → 1250. Accepts "." or "," as the decimal mark; null when it is not an amount. */
export function parseMoney(input: string, currency: string): number | null {
	const digits = currencyDigits(currency);
	const t = input.trim().replace(/[\s\u00a0\u202f']/g, '');
	const m = /^([+-]?)(\d+)(?:[.,](\d*))?$/.exec(t);
	if (!m) return null;
	const frac = m[3] ?? '';
	if (frac.length > digits) return null;
	const minor = BigInt(m[2] + frac.padEnd(digits, '0'));
	const v = Number(m[1] === '-' ? -minor : minor);
	return Number.isSafeInteger(v) ? v : null;
}

/** Minor units as the plain decimal an input shows: 1250 EUR → "12.50". */
export function moneyInput(minor: number, currency: string): string {
	const digits = currencyDigits(currency);
	const neg = minor < 0;
	const s = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
	const whole = digits === 0 ? s : s.slice(0, -digits);
	return `${neg ? '-' : ''}${whole}${digits === 0 ? '' : '.' + s.slice(-digits)}`;
}

/** Minor units for people: 1250 EUR in "de" → "12,50 €". */
export function formatMoney(minor: number, currency: string, locale: string): string {
	const digits = currencyDigits(currency);
	try {
		return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
	} catch {
		return `${moneyInput(minor, currency)} ${currency}`;
	}
}
