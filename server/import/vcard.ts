/**
 * vCard files → drafts (issue #13 item 4): 2.1 (Outlook, older phones: quoted-printable,
 * CHARSET), 3.0 (iOS, Android/Google: folded lines, item1.EMAIL with X-ABLabel, base64
 * PHOTO) and 4.0 (KIND:org, TEL;VALUE=uri:tel:…, data: URI photos, year-less BDAY). Each
 * card gives a draft or a refusal with the line of its BEGIN:VCARD, as CSV rows do.
 *
 * A vCard file is read whole (decode.ts picks its encoding): address book exports are small
 * next to CSV, and the upload limit bounds them. Photos are kept as bytes and type for the
 * photo issue, never fetched from a URL.
 *
 * Additional fields come back from Fieldbook's own export (vcard-write.ts: X-FIELDBOOK-FIELD
 * with X-ID and X-LABEL): the value goes to the field with that id; given the workspace's
 * definitions, a card from another workspace (other ids) fills the live field of the card's
 * kind whose label matches. What matches nothing is kept under its id and reported as not
 * kept by to-records.ts, as a CSV column mapped to a removed field is.
 */
import { parseBirthday } from '../../src/lib/schema/birthday.ts';
import { EMAIL_RE } from '../../src/lib/schema/fields.ts';
import { emptyDraft, labelOf, type ImportDraft, type ValueLabel } from '../../src/lib/schema/import-fields.ts';
import { phoneValue, regionOf, type CountryCode } from '../../src/lib/schema/phones.ts';
import { liveCustomFields, type CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import { customFieldNamed } from '../../src/lib/schema/import-mapping.ts';
import { CUSTOM_ID_PARAM, CUSTOM_LABEL_PARAM, CUSTOM_PROPERTY, decodeParam } from '../../src/lib/schema/vcard-write.ts';
import { decodeBytes } from './decode.ts';
import type { RowResult, RowWarning } from './row-draft.ts';
import { isSystemGroup, splitFullName } from './row-draft.ts';
import {
	param,
	parseProperty,
	rawText,
	splitValue,
	types,
	unescapeText,
	unfold,
	type VcardProperty
} from './vcard-lines.ts';

/** Photos larger than this are left out with a warning (SPEC §4 allows 1 MB after scaling). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export type CardResult = RowResult;

/** TYPE words that are not labels. */
const NOT_LABELS = new Set(['internet', 'pref', 'voice', 'x400', 'msg', 'dom', 'intl', 'postal', 'parcel', 'text']);

function labelFrom(p: VcardProperty, groupLabels: Map<string, string>): ValueLabel | null {
	const apple = p.group ? groupLabels.get(p.group.toLowerCase()) : undefined;
	if (apple) return labelOf(apple.replace(/^_\$!<(.*)>!\$_$/, '$1'));
	const labels = types(p)
		.filter((t) => !NOT_LABELS.has(t))
		.map((t) => (t === 'cell' ? 'mobile' : labelOf(t)));
	// TEL;WORK;FAX is a fax, TEL;WORK;CELL a mobile: the kind of line says more than where.
	return labels.find((l) => l === 'fax' || l === 'mobile' || l === 'pager') ?? labels[0] ?? null;
}

/** A TEL value: text, or a tel: URI (RFC 3966) with an optional ;ext=. */
function telText(v: string): string {
	if (!/^tel:/i.test(v)) return v.trim();
	const [num, ...params] = v.slice(4).split(';');
	const ext = params.find((x) => /^ext=/i.test(x));
	return ext ? `${num} ext. ${ext.slice(4)}` : num;
}

/** PHOTO as data: URI (4.0), base64 with ENCODING=b/BASE64 (2.1/3.0); a URL is not fetched. */
function photoOf(p: VcardProperty): { type: string; bytes: Uint8Array } | null {
	const v = p.value.replace(/\s+/g, '');
	const data = /^data:([\w.+-]+\/[\w.+-]+)?(?:;[^,]*)?;base64,(.*)$/i.exec(v);
	if (data)
		return { type: data[1]?.toLowerCase() ?? 'application/octet-stream', bytes: Buffer.from(data[2], 'base64') };
	const enc = param(p, 'ENCODING')?.toLowerCase();
	if (enc !== 'b' && enc !== 'base64') return null;
	const t = types(p).find((x) => /^(jpe?g|png|gif|webp|image\/.+)$/.test(x)) ?? 'jpeg';
	return { type: t.includes('/') ? t : `image/${t === 'jpg' ? 'jpeg' : t}`, bytes: Buffer.from(v, 'base64') };
}

/** A value of an additional field as the card carries it: the field's id and label, and its text. */
interface CustomProperty {
	id: string | null;
	label: string | null;
	text: string;
}

/**
 * The field a custom property fills: its id when the workspace has that field (or when no
 * definitions were given), else the live field of the card's kind with the same label
 * (case and accents ignored), else its id as written (reported as not kept later).
 */
function customFieldOf(
	p: CustomProperty,
	kind: ImportDraft['kind'],
	defs: readonly CustomFieldDef[] | null
): string | null {
	if (defs === null) return p.id;
	if (p.id !== null && defs.some((d) => d.id === p.id && d.removedAt === null)) return p.id;
	const byLabel =
		p.label === null
			? null
			: customFieldNamed(p.label, liveCustomFields(defs, kind === 'company' ? 'company' : 'person'));
	return byLabel ?? p.id;
}

const FIELD_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

function customPropertyOf(p: VcardProperty): CustomProperty {
	const id = param(p, CUSTOM_ID_PARAM);
	const label = param(p, CUSTOM_LABEL_PARAM);
	return {
		id: id !== null && FIELD_ID_RE.test(id) ? id : null,
		label: label === null ? null : decodeParam(label),
		text: unescapeText(rawText(p))
	};
}

function cardToDraft(
	line: number,
	props: VcardProperty[],
	defaultRegion: CountryCode | null,
	customFields: readonly CustomFieldDef[] | null
): CardResult {
	const refuse = (reason: 'no_name' | 'bad_email' | 'empty'): CardResult => ({ kind: 'refused', line, reason });
	const d: ImportDraft = emptyDraft();
	const warnings: RowWarning[] = [];
	const groupLabels = new Map<string, string>();
	for (const p of props) if (p.name === 'X-ABLABEL' && p.group) groupLabels.set(p.group.toLowerCase(), rawText(p));
	let fn = '';
	let kindOrg = false;
	const tels: { text: string; label: ValueLabel | null }[] = [];
	const notes: string[] = [];
	const custom: CustomProperty[] = [];

	for (const p of props) {
		const text = () => unescapeText(rawText(p)).trim();
		switch (p.name) {
			case 'N': {
				const [last = '', first = '', middle = '', prefix = '', suffix = ''] = splitValue(rawText(p), ';');
				Object.assign(d, {
					lastName: last,
					firstName: first,
					middleName: middle,
					namePrefix: prefix,
					nameSuffix: suffix
				});
				break;
			}
			case 'FN':
				fn = text();
				break;
			case 'NICKNAME':
				d.nickname ||= splitValue(rawText(p), ',')[0] ?? '';
				break;
			case 'KIND':
				kindOrg = /^org(anization)?$/i.test(text());
				break;
			case 'X-ABSHOWAS':
				kindOrg ||= /^company$/i.test(text());
				break;
			case 'ORG': {
				const [company = '', department = ''] = splitValue(rawText(p), ';');
				d.company ||= company;
				d.department ||= department;
				break;
			}
			case 'TITLE':
				d.position ||= text();
				break;
			case 'EMAIL': {
				const v = text();
				if (v === '') break;
				if (!EMAIL_RE.test(v)) return refuse('bad_email');
				if (!d.emails.some((e) => e.value.toLowerCase() === v.toLowerCase()))
					d.emails.push({ value: v, label: labelFrom(p, groupLabels) });
				break;
			}
			case 'TEL': {
				const v = telText(text());
				if (v !== '') tels.push({ text: v, label: labelFrom(p, groupLabels) });
				break;
			}
			case 'ADR': {
				if (d.address) break; // one postal address per contact: the first
				const [, ext = '', street = '', city = '', state = '', postalCode = '', country = ''] = splitValue(
					rawText(p),
					';'
				);
				const s = [street, ext].filter(Boolean).join('\n');
				if (s || city || state || postalCode || country) d.address = { street: s, city, state, postalCode, country };
				break;
			}
			case 'BDAY': {
				// iOS writes a year-less birthday as 1604-04-15 with X-APPLE-OMIT-YEAR=1604.
				const omit = param(p, 'X-APPLE-OMIT-YEAR');
				const value = text();
				const yearless = omit !== null && value.startsWith(omit + '-');
				const b = parseBirthday(yearless ? '--' + value.slice(omit.length + 1) : value);
				if (b === 'invalid') warnings.push({ code: 'bad_birthday', column: p.line });
				else d.birthday = b;
				break;
			}
			case 'NOTE':
				if (text()) notes.push(text());
				break;
			case 'CATEGORIES':
				for (const t of splitValue(rawText(p), ',')) if (t && !isSystemGroup(t) && !d.tags.includes(t)) d.tags.push(t);
				break;
			case 'URL':
				if (text()) d.websites.push({ value: text(), label: labelFrom(p, groupLabels) });
				break;
			case 'UID':
				d.externalId = text() || null;
				break;
			case CUSTOM_PROPERTY:
				custom.push(customPropertyOf(p));
				break;
			case 'PHOTO': {
				const photo = photoOf(p);
				if (photo && photo.bytes.length <= MAX_PHOTO_BYTES) d.photo = photo;
				else if (photo) warnings.push({ code: 'photo_dropped', column: p.line });
				break;
			}
		}
	}
	d.notes = notes.join('\n\n');
	if (!d.firstName && !d.lastName && fn && !kindOrg) {
		const { first, last } = splitFullName(fn);
		d.firstName = first;
		d.lastName = last;
	}
	if (kindOrg || (!d.firstName && !d.lastName)) {
		d.company ||= kindOrg ? fn : '';
		if (!d.company) return refuse(props.length === 0 ? 'empty' : 'no_name');
		d.kind = 'company';
		d.firstName = d.lastName = d.middleName = '';
	}
	for (const c of custom) {
		const id = customFieldOf(c, d.kind, customFields);
		// The first value of a field wins, as for the other single-valued properties.
		if (id !== null && c.text.trim() !== '' && !Object.hasOwn(d.custom, id)) d.custom[id] = c.text;
	}
	const region = regionOf(d.address?.country) ?? defaultRegion;
	for (const t of tels) {
		const v = phoneValue(t.text, region);
		d.phones.push({ value: v.raw, label: t.label, e164: v.e164, ext: v.ext });
	}
	return { kind: 'draft', line, draft: d, warnings };
}

export interface VcardImport {
	/** VERSION of the first card ("2.1", "3.0", "4.0"), null when none said. */
	version: string | null;
	cards: CardResult[];
}

/** Every card of a .vcf file. */
export function parseVcards(
	bytes: Uint8Array,
	opts: {
		defaultRegion?: CountryCode | null;
		/** The workspace's additional fields: a value from another workspace is matched by label. */
		customFields?: readonly CustomFieldDef[];
	} = {}
): VcardImport {
	const { text } = decodeBytes(bytes);
	const cards: CardResult[] = [];
	let version: string | null = null;
	let open: { line: number; props: VcardProperty[] } | null = null;
	let depth = 0;
	for (const l of unfold(text)) {
		const p = parseProperty(l.text, l.line);
		if (!p) continue;
		if (p.name === 'BEGIN' && /^vcard$/i.test(p.value.trim())) {
			// A nested card (2.1 AGENT) is part of its parent and not read.
			if (depth++ === 0) open = { line: l.line, props: [] };
			continue;
		}
		if (p.name === 'END' && /^vcard$/i.test(p.value.trim())) {
			if (--depth === 0 && open) {
				cards.push(cardToDraft(open.line, open.props, opts.defaultRegion ?? null, opts.customFields ?? null));
				open = null;
			}
			depth = Math.max(depth, 0);
			continue;
		}
		if (depth !== 1 || !open) continue;
		if (p.name === 'VERSION') version ??= p.value.trim();
		open.props.push(p);
	}
	return { version, cards };
}
