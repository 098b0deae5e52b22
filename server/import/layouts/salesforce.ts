/** Salesforce's Contact export (report export and Data Loader API names): "Title" is the position, "Salutation" the honorific. */
import { address, f, v, type Layout } from './layout.ts';

export const SALESFORCE: Layout = {
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
