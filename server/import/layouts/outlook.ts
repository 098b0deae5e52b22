/** Outlook's "Comma Separated Values" export: "Title" is the honorific (Dr., Mme), "Job Title" the position. */
import { address, f, ignore, v, type Layout } from './layout.ts';

export const OUTLOOK: Layout = {
	id: 'outlook',
	markers: [['first name', 'last name', 'e-mail address', 'job title']],
	columns: {
		title: f('namePrefix'), // the honorific in Outlook, never the position
		'first name': f('firstName'),
		'middle name': f('middleName'),
		'last name': f('lastName'),
		suffix: f('nameSuffix'),
		company: f('company'),
		department: f('department'),
		'job title': f('position'),
		...address(1, {
			street: ['business street', 'business street 2', 'business street 3'],
			city: ['business city'],
			state: ['business state'],
			postalCode: ['business postal code'],
			country: ['business country/region', 'business country']
		}),
		...address(2, {
			street: ['home street', 'home street 2', 'home street 3'],
			city: ['home city'],
			state: ['home state'],
			postalCode: ['home postal code'],
			country: ['home country/region', 'home country']
		}),
		'business phone': v('phone', 'work'),
		'business phone 2': v('phone', 'work'),
		'company main phone': v('phone', 'main'),
		'mobile phone': v('phone', 'mobile'),
		'home phone': v('phone', 'home'),
		'home phone 2': v('phone', 'home'),
		'primary phone': v('phone', 'main'),
		'other phone': v('phone', 'other'),
		'business fax': v('phone', 'fax'),
		'home fax': v('phone', 'fax'),
		pager: v('phone', 'pager'),
		'e-mail address': v('email', undefined, 1),
		'e-mail 2 address': v('email', undefined, 2),
		'e-mail 3 address': v('email', undefined, 3),
		// "SMTP" / "EX": a transport, not a label.
		'e-mail type': ignore,
		'e-mail display name': ignore,
		'web page': v('website'),
		birthday: f('birthday'),
		notes: f('notes'),
		categories: f('tags')
	}
};
