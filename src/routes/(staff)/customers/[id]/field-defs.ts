/** The customer's own fields as the page groups them (SPEC §2), with their labels and input kinds. */
import { m } from '$lib/paraglide/messages';
import { ADDRESS_PARTS, addressFieldOrder, type AddressPart } from '$lib/schema/address-layout';
import type { EditableField } from './customer.svelte';

/** `country`: a list of countries (CountrySelect), the rest typed. */
export type TextKind = 'text' | 'email' | 'tel' | 'url' | 'textarea' | 'country';

export interface TextDef {
	key: EditableField;
	label: () => string;
	type: TextKind;
	/** Shown with the required mark; the rule itself is the schema's (validateCustomer). */
	required?: boolean;
	autocomplete?: 'email' | 'tel' | 'url' | 'organization' | 'street-address' | 'country-name' | 'postal-code';
}

export const COMPANY_NAME: TextDef = {
	key: 'companyName',
	label: m.customer_field_company_name,
	type: 'text',
	required: true
};
export const DESCRIPTION: TextDef = { key: 'description', label: m.customer_field_description, type: 'textarea' };

export const REACH: readonly TextDef[] = [
	{ key: 'email', label: m.customer_field_email, type: 'email' },
	{ key: 'phone', label: m.customer_field_phone, type: 'tel' },
	{ key: 'website', label: m.customer_field_website, type: 'url' },
	{ key: 'linkedin', label: m.customer_field_linkedin, type: 'url' },
	{ key: 'facebook', label: m.customer_field_facebook, type: 'url' },
	{ key: 'twitter', label: m.customer_field_twitter, type: 'url' }
];

const ADDRESS_DEFS: Record<AddressPart, TextDef> = {
	street: { key: 'street', label: m.customer_field_street, type: 'text' },
	city: { key: 'city', label: m.customer_field_city, type: 'text' },
	state: { key: 'state', label: m.customer_field_state, type: 'text' },
	postalCode: { key: 'postalCode', label: m.customer_field_postal_code, type: 'text' },
	country: { key: 'country', label: m.customer_field_country, type: 'country' }
};
export const ADDRESS_KEYS: readonly EditableField[] = ADDRESS_PARTS;

/** The address fields in the order the address's country, else the reader's language, writes them. */
export const addressDefs = (country: unknown, locale: string): TextDef[] =>
	addressFieldOrder(country, locale).map((k) => ADDRESS_DEFS[k]);
