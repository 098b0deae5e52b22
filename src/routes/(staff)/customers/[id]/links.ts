/**
 * Links a customer page offers for its values: tap to call, write, open the website, find the
 * address on a map. Values come from the document and were validated when written (SPEC §8),
 * but a link is built so that no value can turn into another kind of link.
 */
import { addressLines } from '$lib/schema/address-layout';
import type { CustomerData } from '$lib/schema/customer-doc';
import { telUri } from '$lib/schema/phones';

/**
 * `tel:` for a phone, as the export writes it (phones.ts telUri): the E.164 form read in
 * `region` — the record's country, else the workspace's default (recordRegion) — and an
 * extension as `;ext=`; a number of no known country keeps its digits.
 */
export const telHref = telUri;

/** `mailto:` for one address; the address is percent-encoded except its "@". */
export function mailtoHref(email: string): string {
	return `mailto:${encodeURIComponent(email.trim()).replace(/%40/g, '@')}`;
}

/** A web address to open, or null when it is not http(s) (never `javascript:` or the like). */
export function webHref(url: string): string | null {
	try {
		const u = new URL(url.trim());
		return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
	} catch {
		return null;
	}
}

type Address = Pick<CustomerData, 'street' | 'city' | 'state' | 'postalCode' | 'country'>;

/**
 * An OpenStreetMap search for the address as `locale` writes it (address-layout.ts; no key,
 * no tracking script, works in every browser and hands over to a map app on phones that
 * register for it). Null when there is no address.
 */
export function mapUrl(a: Address, locale: string): string | null {
	const lines = addressLines(a, locale);
	if (lines.length === 0) return null;
	return `https://www.openstreetmap.org/search?query=${encodeURIComponent(lines.join(', '))}`;
}
