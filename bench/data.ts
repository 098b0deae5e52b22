/**
 * Realistic, deterministic workspace data for the benchmark: companies with three contacts
 * each, from five locales (the app's languages), with umlauts, accents and Polish letters in
 * names and cities. Documents are built with the app's own schema functions (initCustomer,
 * addContact), one update per user action, exactly as the app writes them.
 *
 * Runs in Node (bench/seed.ts) and in the browser (bench/browser/idb-compare.ts): no Node APIs.
 */
import * as Y from 'yjs';
import {
	addContact,
	initCustomer,
	updateCustomer,
	type ContactData,
	type CustomerData
} from '../src/lib/schema/customer-doc.ts';
import { newId } from '../src/lib/schema/ids.ts';
import {
	NOTIFICATIONS,
	PORTAL_PERMISSIONS,
	notificationKey,
	permissionKey,
	type Access,
	type PortalPermission
} from '../src/lib/schema/records.ts';

/** The default portal permissions the seeded settings document holds (new contacts get them). */
export const DEFAULT_PERMISSIONS: Partial<Record<PortalPermission, boolean>> = { support: true };

/** Contact types the seeded settings document defines (ids are what customers store). */
export const CONTACT_TYPES = [
	{ id: 'customer', name: 'Customer' },
	{ id: 'lead', name: 'Lead' },
	{ id: 'supplier', name: 'Supplier' },
	{ id: 'partner', name: 'Partner' }
] as const;

/** mulberry32: small, fast, good enough for test data, and the same in Node and browsers. */
export function makeRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Locale {
	country: string;
	dial: string;
	tld: string;
	first: string[];
	last: string[];
	/** City and its area code (without the trunk 0). */
	cities: [string, string][];
	industries: string[];
	legal: string[];
	street: string[];
	positions: string[];
	postal: (r: () => number) => string;
}

const digits = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

const LOCALES: Locale[] = [
	{
		country: 'Deutschland',
		dial: '+49',
		tld: 'de',
		first: [
			'Jürgen',
			'Anna',
			'Lukas',
			'Sophie',
			'Björn',
			'Käthe',
			'Maximilian',
			'Lena',
			'Günter',
			'Jörg',
			'Mia',
			'Paul'
		],
		last: [
			'Müller',
			'Schmidt',
			'Schröder',
			'Weiß',
			'Köhler',
			'Hoffmann',
			'Krüger',
			'Wagner',
			'Groß',
			'Böhm',
			'Fischer'
		],
		cities: [
			['Berlin', '30'],
			['München', '89'],
			['Köln', '221'],
			['Düsseldorf', '211'],
			['Nürnberg', '911'],
			['Göttingen', '551'],
			['Hamburg', '40'],
			['Lübeck', '451']
		],
		industries: ['Maschinenbau', 'Logistik', 'Bäckerei', 'Elektrotechnik', 'Holzbau', 'Gartenbau', 'Metallwaren'],
		legal: ['GmbH', 'GmbH & Co. KG', 'AG', 'KG', 'e.K.', 'UG'],
		street: ['Hauptstraße', 'Bahnhofstraße', 'Schloßallee', 'Gartenweg', 'Mühlenstraße', 'Lindenstraße'],
		positions: ['Geschäftsführer', 'Einkauf', 'Vertriebsleiterin', 'Buchhaltung', 'Prokurist', 'Technischer Leiter'],
		postal: (r) => digits(r, 5)
	},
	{
		country: 'France',
		dial: '+33',
		tld: 'fr',
		first: ['François', 'Chloé', 'Hélène', 'Jérôme', 'Zoë', 'Gaëlle', 'Éric', 'Amélie', 'Noël', 'Léa', 'Théo'],
		last: ['Lefèvre', 'Dubois', 'Moreau', 'Girard', 'Bérenger', 'Faure', 'Lemaître', 'Rousseau', 'Benoît', 'Chevalier'],
		cities: [
			['Paris', '1'],
			['Besançon', '3'],
			['Orléans', '2'],
			['Nîmes', '4'],
			['Lyon', '4'],
			['Bordeaux', '5'],
			['Clermont-Ferrand', '4']
		],
		industries: ['Boulangerie', 'Transports', 'Menuiserie', 'Électricité', 'Vignobles', 'Imprimerie', 'Fromagerie'],
		legal: ['SARL', 'SAS', 'SA', 'EURL'],
		street: ['rue de la Paix', 'avenue Jean-Jaurès', 'boulevard Saint-Michel', 'rue des Écoles', 'place du Marché'],
		positions: ['Gérant', 'Directrice commerciale', 'Responsable achats', 'Comptable', 'Chef de projet'],
		postal: (r) => digits(r, 5)
	},
	{
		country: 'Polska',
		dial: '+48',
		tld: 'pl',
		first: ['Małgorzata', 'Paweł', 'Łukasz', 'Zofia', 'Krzysztof', 'Agnieszka', 'Wojciech', 'Bożena', 'Michał', 'Ewa'],
		last: ['Nowak', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Zieliński', 'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowska'],
		cities: [
			['Łódź', '42'],
			['Kraków', '12'],
			['Gdańsk', '58'],
			['Poznań', '61'],
			['Wrocław', '71'],
			['Warszawa', '22'],
			['Białystok', '85']
		],
		industries: ['Transport', 'Budownictwo', 'Piekarnia', 'Meble', 'Drukarnia', 'Handel'],
		legal: ['Sp. z o.o.', 'S.A.', 'Sp.j.', 'S.C.'],
		street: ['ul. Piotrkowska', 'ul. Długa', 'ul. Świętojańska', 'al. Jerozolimskie', 'ul. Źródlana'],
		positions: ['Prezes zarządu', 'Kierownik zakupów', 'Księgowa', 'Dyrektor handlowy', 'Specjalista ds. sprzedaży'],
		postal: (r) => `${digits(r, 2)}-${digits(r, 3)}`
	},
	{
		country: 'Portugal',
		dial: '+351',
		tld: 'pt',
		first: ['João', 'Inês', 'Gonçalo', 'Conceição', 'António', 'Margarida', 'Tomás', 'Joana', 'Rúben', 'Sónia'],
		last: ['Gonçalves', 'Simões', 'Magalhães', 'Conceição', 'Araújo', 'Ferreira', 'Sebastião', 'Brandão', 'Lopes'],
		cities: [
			['Lisboa', '21'],
			['Porto', '22'],
			['Braga', '253'],
			['Évora', '266'],
			['Setúbal', '265'],
			['Guimarães', '253']
		],
		industries: ['Construções', 'Transportes', 'Cortiça', 'Têxteis', 'Vinhos', 'Cerâmica'],
		legal: ['Lda.', 'S.A.', 'Unipessoal Lda.'],
		street: ['Rua Augusta', 'Avenida da Liberdade', 'Rua de São Bento', 'Praça do Comércio', 'Rua da Conceição'],
		positions: ['Diretor-geral', 'Gestora de compras', 'Contabilista', 'Diretor comercial', 'Técnica de vendas'],
		postal: (r) => `${digits(r, 4)}-${digits(r, 3)}`
	},
	{
		country: 'United Kingdom',
		dial: '+44',
		tld: 'co.uk',
		first: ['Oliver', 'Charlotte', 'Seán', 'Siobhán', 'Harry', 'Amelia', 'Niamh', 'George', 'Emily', 'Zoë'],
		last: ['Smith', 'Jones', "O'Brien", 'Taylor', 'Brown', 'MacLeod', 'Ó Briain', 'Williams', 'Evans', 'Walsh'],
		cities: [
			['London', '20'],
			['Manchester', '161'],
			['Edinburgh', '131'],
			['Bristol', '117'],
			['Leeds', '113'],
			['Cardiff', '29']
		],
		industries: ['Engineering', 'Logistics', 'Bakery', 'Joinery', 'Printing', 'Consulting'],
		legal: ['Ltd', 'PLC', 'LLP', 'Limited'],
		street: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Mill Lane'],
		positions: ['Managing Director', 'Head of Purchasing', 'Accountant', 'Sales Manager', 'Operations Lead'],
		postal: (r) => `${'ABCEGHLMNS'[Math.floor(r() * 10)]}${digits(r, 1)} ${digits(r, 1)}XY`
	}
];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];

/** Lowercase ASCII for e-mail addresses and domains ("Wiśniewski" -> "wisniewski"). */
export function ascii(s: string): string {
	return s
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/[łŁ]/g, 'l')
		.replace(/ß/g, 'ss')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

function phone(r: () => number, loc: Locale, area: string): string {
	const n = digits(r, 7 - Math.min(area.length, 3) + 2);
	// Written the way people write them: international, national with trunk 0, or compact.
	const style = r();
	if (style < 0.5) return `${loc.dial} ${area} ${n}`;
	if (style < 0.8 && loc.dial !== '+351') return `0${area} ${n}`;
	return `${loc.dial}${area}${n}`;
}

export interface ContactRecipe {
	id: string;
	now: number;
	fields: ContactData;
}

export interface CustomerRecipe {
	id: string;
	now: number;
	fields: CustomerData;
	contacts: ContactRecipe[];
}

/**
 * The i-th company of the workspace: created at a time spread over two years before `end`,
 * with `contacts` contacts added minutes later.
 */
export function customerRecipe(r: () => number, i: number, total: number, end: number, contacts = 3): CustomerRecipe {
	const loc = LOCALES[i % LOCALES.length];
	const now = end - Math.round(((total - i) / total) * 730 * 86_400_000);
	const [city, area] = pick(r, loc.cities);
	const owner = pick(r, loc.last);
	const industry = pick(r, loc.industries);
	const style = r();
	const base =
		style < 0.45
			? `${owner} ${industry}`
			: style < 0.7
				? `${industry} ${city}`
				: style < 0.85
					? `${owner} & ${pick(r, loc.last)}`
					: `${industry} ${owner}`;
	// A suffix number keeps names varied (as in a real workspace) without being unique.
	const companyName = `${base}${r() < 0.3 ? ` ${1 + Math.floor(r() * 99)}` : ''} ${pick(r, loc.legal)}`;
	const domain = `${ascii(base)}${i}.${loc.tld}`;
	const typeRoll = r();
	const access: Access = r() < 0.6 ? 'public-write' : r() < 0.5 ? 'public-read' : 'private';
	// As CreateCompanyDialog sends them: every text field (empty ones stored as null), and a
	// contact type only when one other than the default was chosen.
	const fields: CustomerData = {
		companyName,
		email: r() < 0.8 ? `info@${domain}` : '',
		phone: phone(r, loc, area),
		website: r() < 0.6 ? `https://www.${domain}` : '',
		street: `${pick(r, loc.street)} ${1 + Math.floor(r() * 180)}`,
		city,
		state: '',
		postalCode: loc.postal(r),
		country: loc.country,
		description: r() < 0.1 ? `${industry} · since ${2015 + Math.floor(r() * 9)} · deliveries to ${city}` : '',
		access
	};
	if (typeRoll >= 0.15) fields.contactTypeId = CONTACT_TYPES[Math.floor(typeRoll * 10) % CONTACT_TYPES.length].id;
	const list: ContactRecipe[] = [];
	for (let k = 0; k < contacts; k++) {
		const first = pick(r, loc.first);
		const last = pick(r, loc.last);
		const at = now + (k + 1) * 60_000;
		// As ContactDialog sends a new contact: its five text fields, the welcome choice, every
		// portal permission (the defaults, sometimes changed) and every notification flag.
		const fields: ContactData = {
			firstName: first,
			lastName: last,
			position: r() < 0.8 ? pick(r, loc.positions) : '',
			email: r() < 0.9 ? `${ascii(first)}.${ascii(last)}@${domain}` : '',
			phone: r() < 0.7 ? phone(r, loc, area) : '',
			doNotSendWelcome: r() < 0.2
		};
		for (const p of PORTAL_PERMISSIONS)
			fields[permissionKey(p)] = r() < 0.1 ? !DEFAULT_PERMISSIONS[p] : !!DEFAULT_PERMISSIONS[p];
		for (const n of NOTIFICATIONS) fields[notificationKey(n)] = r() < 0.3;
		list.push({ id: newId(at), now: at, fields });
	}
	return { id: newId(now), now, fields, contacts: list };
}

/**
 * Builds the document the app would: one update for "create company" (initCustomer with the
 * form's fields), one for the access choice when it is not private (updateCustomer), and one
 * per "new contact" (addContact). Returns the doc and those updates.
 */
export function buildCustomer(recipe: CustomerRecipe, authorId: string): { doc: Y.Doc; updates: Uint8Array[] } {
	const doc = new Y.Doc({ guid: recipe.id });
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const { access, ...form } = recipe.fields;
	initCustomer(doc, { kind: 'company', authorId, now: recipe.now, fields: form });
	// Access is chosen on the customer page after creating it (new records are private).
	if (access && access !== 'private') updateCustomer(doc, { access }, authorId, recipe.now + 30_000);
	// ContactDialog: the first contact is primary (its box is ticked and locked).
	recipe.contacts.forEach((c, k) =>
		addContact(doc, { id: c.id, fields: c.fields, authorId, now: c.now, primary: k === 0 })
	);
	return { doc, updates };
}
