/**
 * From a header row to a Mapping (issue #13 item 3): a known layout (layouts.ts) maps every
 * column it knows; a column named like one of the workspace's additional fields (its label,
 * case and spaces aside) maps to that field; other columns get a guess from common names in
 * the five UI languages; what is left is for the user to map on the mapping screen. A
 * mapping the user chose or saved for this header row (by its signature) wins over both.
 */
import {
	IGNORE,
	layoutSignature,
	normalizeHeader,
	type ColumnTarget,
	type Mapping
} from '../../src/lib/schema/import-fields.ts';
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import { customTargetFor } from '../../src/lib/schema/import-mapping.ts';
import { LAYOUTS, targetIn, type Layout } from './layouts.ts';
import { GOOGLE_PATTERNS } from './layouts/google.ts';

/** Common header names of files made by hand, in the UI languages (SPEC §1). */
const GENERIC: Record<string, ColumnTarget> = {};
function alias(target: ColumnTarget, names: string): void {
	for (const n of names.split('|')) GENERIC[n] = target;
}
alias({ kind: 'field', field: 'namePrefix' }, 'salutation|prefix|anrede|civilité|civilite|zwrot|tratamento');
alias(
	{ kind: 'field', field: 'firstName' },
	'first name|firstname|first|given name|vorname|prénom|prenom|imię|imie|nome|primeiro nome'
);
alias({ kind: 'field', field: 'middleName' }, 'middle name|middlename|zweiter vorname|drugie imię');
alias(
	{ kind: 'field', field: 'lastName' },
	'last name|lastname|surname|family name|nachname|nom|nom de famille|nazwisko|sobrenome|apelido'
);
alias(
	{ kind: 'field', field: 'fullName' },
	'name|full name|fullname|contact|kontakt|nom complet|imię i nazwisko|nome completo'
);
alias(
	{ kind: 'field', field: 'position' },
	'position|job title|jobtitle|role|funktion|poste|fonction|stanowisko|cargo'
);
alias({ kind: 'field', field: 'department' }, 'department|abteilung|service|département|dział|departamento');
alias(
	{ kind: 'field', field: 'company' },
	'company|organization|organisation|account|firma|unternehmen|entreprise|société|societe|empresa|companhia'
);
alias(
	{ kind: 'field', field: 'email' },
	'email|e-mail|mail|email address|e-mail address|e-mail-adresse|courriel|adresse e-mail|adres e-mail'
);
alias(
	{ kind: 'field', field: 'phone', label: 'work' },
	'phone|telephone|tel|tel.|telefon|téléphone|telefone|phone number|work phone'
);
alias(
	{ kind: 'field', field: 'phone', label: 'mobile' },
	'mobile|cell|mobile phone|handy|mobil|portable|komórka|telefon komórkowy|celular|telemóvel'
);
alias({ kind: 'field', field: 'website' }, 'website|web|url|homepage|webseite|site web|strona www|site');
alias({ kind: 'field', field: 'street' }, 'street|address|straße|strasse|adresse|rue|ulica|adres|rua|morada|endereço');
alias({ kind: 'field', field: 'city' }, 'city|town|ort|stadt|ville|miasto|cidade');
alias({ kind: 'field', field: 'state' }, 'state|region|province|bundesland|województwo|estado');
alias(
	{ kind: 'field', field: 'postalCode' },
	'zip|zip code|postal code|postcode|plz|code postal|kod pocztowy|cep|código postal'
);
alias({ kind: 'field', field: 'country' }, 'country|land|pays|kraj|país|pais');
alias(
	{ kind: 'field', field: 'birthday' },
	'birthday|birthdate|date of birth|geburtstag|geburtsdatum|anniversaire|date de naissance|urodziny|data urodzenia|aniversário|data de nascimento'
);
alias(
	{ kind: 'field', field: 'notes' },
	'notes|note|comment|comments|description|notizen|bemerkung|bemerkungen|remarques|notatki|uwagi|notas|observações'
);
alias(
	{ kind: 'field', field: 'tags' },
	'tags|tag|labels|categories|category|kategorien|kategorie|étiquettes|tagi|etiquetas'
);
alias({ kind: 'field', field: 'externalId' }, 'id|external id|externalid|customer number|kundennummer');

/**
 * A guess for a header no layout knows: a common name, else a numbered group as Google
 * names it ("E-mail 1 - Value", "Phone 2 - Label"), found alone in a sheet of any origin.
 */
function genericTarget(header: string): ColumnTarget | null {
	if (Object.hasOwn(GENERIC, header)) return GENERIC[header];
	for (const [re, make] of GOOGLE_PATTERNS) {
		const m = re.exec(header);
		if (m) return make(m);
	}
	return null;
}

export interface Recognised {
	mapping: Mapping;
	/** Columns with a header that nothing recognised: the mapping screen asks about these. */
	unmapped: number[];
	/** The mapping is the one given (the user's), not recognised. */
	saved: boolean;
}

function markersPresent(layout: Layout, headers: ReadonlySet<string>): boolean {
	return layout.markers.some((set) => set.every((h) => headers.has(h)));
}

/** The known layout of a header row, or null. */
export function layoutOf(headers: readonly string[]): Layout | null {
	const set = new Set(headers.map(normalizeHeader));
	return LAYOUTS.find((l) => markersPresent(l, set)) ?? null;
}

/**
 * The mapping of a header row. `saved` is a mapping the user stored for a file with the same
 * signature: used as it is when its column count matches. `customFields`: the workspace's
 * additional fields.
 */
export function recognise(
	headers: readonly string[],
	saved?: Mapping | null,
	customFields: readonly CustomFieldDef[] = []
): Recognised {
	const signature = layoutSignature(headers);
	if (saved && saved.signature === signature && saved.columns.length === headers.length) {
		return { mapping: saved, unmapped: [], saved: true };
	}
	const layout = layoutOf(headers);
	const columns: ColumnTarget[] = [];
	const unmapped: number[] = [];
	headers.forEach((raw, i) => {
		const h = normalizeHeader(raw);
		const target = (layout && targetIn(layout, h)) ?? customTargetFor(h, customFields) ?? genericTarget(h);
		if (target) columns.push(target);
		else {
			columns.push(IGNORE);
			if (h !== '') unmapped.push(i);
		}
	});
	return { mapping: { layout: layout?.id ?? 'custom', signature, columns }, unmapped, saved: false };
}
