/**
 * How text is compared in search, on the device (src/lib/data/search.ts) and on the server
 * (the list export): lowercase, without diacritics (NFD, combining marks removed), and with
 * the letters NFD leaves alone folded too, so "lodz" finds "Łódź" and "strasse" finds "Straße".
 */
export function fold(s: string): string {
	return s
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[łøđßæœı]/g, (c) => FOLD[c]);
}
const FOLD: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i' };

/**
 * The search form of folded text: German transliterations collapse too (ae → a, oe → o,
 * ue → u), so "mueller" finds "Müller" and "Müller" finds "Mueller", as people type without
 * umlauts (ß ↔ ss already folds). Applied alike to the index and the query, so "Michael" still
 * finds itself; the cost is a rare extra match ("Michal" for "Michael").
 */
export function searchFold(s: string): string {
	return fold(s).replace(/([aou])e/g, '$1');
}
