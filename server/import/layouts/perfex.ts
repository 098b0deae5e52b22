/** Perfex CRM: its contacts table export and its customer import template. */
import { address, f, ignore, v, type Layout } from './layout.ts';

export const PERFEX: Layout = {
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
