/** A contact list kept in Excel in a German locale: German column names. */
import { address, f, v, type Layout } from './layout.ts';

export const EXCEL_DE: Layout = {
	id: 'excel-de',
	markers: [['vorname', 'nachname']],
	columns: {
		anrede: f('namePrefix'),
		titel: f('namePrefix'), // "Dr.": joined after the Anrede ("Frau Dr.")
		vorname: f('firstName'),
		'weitere vornamen': f('middleName'),
		zweitname: f('middleName'),
		nachname: f('lastName'),
		firma: f('company'),
		unternehmen: f('company'),
		abteilung: f('department'),
		position: f('position'),
		funktion: f('position'),
		'e-mail': v('email'),
		email: v('email'),
		'e-mail-adresse': v('email'),
		'e-mail 2': v('email'),
		telefon: v('phone', 'work'),
		'telefon geschäftlich': v('phone', 'work'),
		'telefon privat': v('phone', 'home'),
		mobil: v('phone', 'mobile'),
		handy: v('phone', 'mobile'),
		mobiltelefon: v('phone', 'mobile'),
		fax: v('phone', 'fax'),
		...address(1, {
			street: ['straße', 'strasse', 'str.', 'adresse', 'anschrift'],
			postalCode: ['plz', 'postleitzahl'],
			city: ['ort', 'stadt', 'wohnort'],
			state: ['bundesland', 'region'],
			country: ['land', 'staat']
		}),
		webseite: v('website'),
		website: v('website'),
		homepage: v('website'),
		internet: v('website'),
		geburtstag: f('birthday'),
		geburtsdatum: f('birthday'),
		notizen: f('notes'),
		notiz: f('notes'),
		bemerkung: f('notes'),
		bemerkungen: f('notes'),
		kategorie: f('tags'),
		kategorien: f('tags'),
		kundennummer: f('externalId')
	}
};
