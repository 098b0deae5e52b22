/** ONLYOFFICE CRM's contact export, English and German: labelled columns ("Email (Work)", "Telefon (Mobil)"). */
import type { SingleField, ValueLabel } from '../../../src/lib/schema/import-fields.ts';
import { f, ignore, v, type Layout } from './layout.ts';

const onlyofficeLabel: Record<string, ValueLabel> = {
	work: 'work',
	home: 'home',
	mobile: 'mobile',
	fax: 'fax',
	other: 'other',
	arbeit: 'work',
	privat: 'home',
	mobil: 'mobile',
	sonstige: 'other'
};
const ooLabel = (s: string): ValueLabel | undefined => onlyofficeLabel[s];

export const ONLYOFFICE: Layout = {
	id: 'onlyoffice',
	markers: [
		['first name', 'last name', 'company name', 'about'],
		['vorname', 'nachname', 'name des unternehmens']
	],
	columns: {
		'first name': f('firstName'),
		vorname: f('firstName'),
		'last name': f('lastName'),
		nachname: f('lastName'),
		'company name': f('company'),
		'name des unternehmens': f('company'),
		position: f('position'),
		about: f('notes'),
		beschreibung: f('notes'),
		tags: f('tags'),
		'contact type': ignore,
		kontakttyp: ignore
	},
	patterns: [
		[/^(?:email|e-mail) \((\p{L}+)\)$/u, (m) => v('email', ooLabel(m[1]))],
		[/^(?:phone|telefon) \((\p{L}+)\)$/u, (m) => v('phone', ooLabel(m[1]))],
		[/^(?:website|webseite) \((\p{L}+)\)$/u, (m) => v('website', ooLabel(m[1]))],
		[
			/^(?:address|adresse) \((\p{L}+)\) - (street|city|state|zip|country|straße|ort|bundesland|plz|land)$/u,
			(m) => f(OO_ADDRESS[m[2]])
		]
	]
};
const OO_ADDRESS: Record<string, SingleField> = {
	street: 'street',
	straße: 'street',
	city: 'city',
	ort: 'city',
	state: 'state',
	bundesland: 'state',
	zip: 'postalCode',
	plz: 'postalCode',
	country: 'country',
	land: 'country'
};
