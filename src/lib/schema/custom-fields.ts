/**
 * Additional fields (custom fields, issue #13 item 1): admins define fields for companies and
 * for persons; every staff device reads the definitions offline. They live in the workspace
 * settings document (settings.ts), root "customFields": field id -> Y.Map of the definition's
 * parts (CUSTOM_FIELD_DEF_FIELDS), so concurrent edits of different parts merge. Only admins
 * write it (enforced by the server, server/sync/write-rules.ts).
 *
 * A field is never deleted: removing it sets `removedAt`, which hides it from forms and lists
 * while its values stay in the records, and restoring it clears `removedAt` (nothing lost).
 * The values and their rule are in custom-values.ts.
 */
import * as Y from 'yjs';
import type { FieldSpec } from './records.ts';

/** Types an admin can choose. Changing a field's type keeps its stored values (then flagged). */
export const CUSTOM_FIELD_TYPES = ['text', 'longText', 'number', 'date', 'checkbox', 'select', 'url'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** A company field is kept on the company's customer record; a person field on each contact. */
export const CUSTOM_FIELD_TARGETS = ['company', 'person'] as const;
export type CustomFieldTarget = (typeof CUSTOM_FIELD_TARGETS)[number];

export const MAX_LABEL = 100;
export const MAX_OPTION = 100;
export const MAX_OPTIONS = 50;
/** Options are stored as one text, one option a line (the settings document holds plain values). */
const MAX_OPTIONS_TEXT = MAX_OPTIONS * (MAX_OPTION + 1);

/** The parts of one definition as the server checks them (SETTINGS_LAYOUT in validate.ts). */
export const CUSTOM_FIELD_DEF_FIELDS = {
	appliesTo: { type: 'enum', values: CUSTOM_FIELD_TARGETS },
	type: { type: 'enum', values: CUSTOM_FIELD_TYPES },
	label: { type: 'text', max: MAX_LABEL },
	order: { type: 'integer', min: -1e12, max: 1e12 },
	required: { type: 'boolean' },
	options: { type: 'text', max: MAX_OPTIONS_TEXT },
	removedAt: { type: 'time' }
} as const satisfies Record<string, FieldSpec>;

export interface CustomFieldDef {
	id: string;
	appliesTo: CustomFieldTarget;
	type: CustomFieldType;
	label: string;
	order: number;
	required: boolean;
	/** The choices of a select list, in order (kept when the type changes, for a way back). */
	options: string[];
	/** Set while the field is removed (hidden; values kept, restorable). */
	removedAt: number | null;
}

export const customFieldsMap = (doc: Y.Doc) => doc.getMap<Y.Map<string | number | boolean | null>>('customFields');

const oneOf = <T extends string>(values: readonly T[], v: unknown, fallback: T): T =>
	typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fallback;

/** Splits the stored options text; blank lines and repeats dropped. */
export function parseOptions(text: unknown): string[] {
	if (typeof text !== 'string') return [];
	const seen = new Set<string>();
	const out: string[] = [];
	for (const line of text.split('\n')) {
		const o = line.trim();
		if (o && !seen.has(o)) {
			seen.add(o);
			out.push(o);
		}
	}
	return out;
}

/** Every definition, removed ones included, in the admin's order. */
export function readCustomFields(doc: Y.Doc): CustomFieldDef[] {
	const defs: CustomFieldDef[] = [];
	for (const [id, m] of customFieldsMap(doc).entries()) {
		if (!(m instanceof Y.Map)) continue;
		const label = m.get('label');
		const order = m.get('order');
		const removedAt = m.get('removedAt');
		defs.push({
			id,
			appliesTo: oneOf(CUSTOM_FIELD_TARGETS, m.get('appliesTo'), 'company'),
			type: oneOf(CUSTOM_FIELD_TYPES, m.get('type'), 'text'),
			label: typeof label === 'string' && label ? label : id,
			order: typeof order === 'number' ? order : 0,
			required: m.get('required') === true,
			options: parseOptions(m.get('options')),
			removedAt: typeof removedAt === 'number' ? removedAt : null
		});
	}
	return defs.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/** The fields shown on records of `target` (removed ones left out). */
export function liveCustomFields(defs: readonly CustomFieldDef[], target: CustomFieldTarget): CustomFieldDef[] {
	return defs.filter((d) => d.appliesTo === target && d.removedAt === null);
}

export interface CustomFieldInput {
	appliesTo: CustomFieldTarget;
	type: CustomFieldType;
	label: string;
	required: boolean;
	options?: readonly string[];
}

export type DefinitionError = 'required' | 'too_long' | 'duplicate' | 'no_options' | 'too_many_options';

/**
 * Checks a definition an admin enters: a label (unique among the live fields of the same
 * target, case-insensitive), and for a select list 1..MAX_OPTIONS options of MAX_OPTION chars.
 */
export function checkDefinition(
	defs: readonly CustomFieldDef[],
	input: CustomFieldInput,
	self: string | null = null
): { label?: DefinitionError; options?: DefinitionError } {
	const errors: { label?: DefinitionError; options?: DefinitionError } = {};
	const label = input.label.trim();
	if (!label) errors.label = 'required';
	else if (label.length > MAX_LABEL) errors.label = 'too_long';
	else if (
		liveCustomFields(defs, input.appliesTo).some(
			(d) => d.id !== self && d.label.toLocaleLowerCase() === label.toLocaleLowerCase()
		)
	)
		errors.label = 'duplicate';
	if (input.type === 'select') {
		const options = parseOptions((input.options ?? []).join('\n'));
		if (options.length === 0) errors.options = 'no_options';
		else if (options.length > MAX_OPTIONS) errors.options = 'too_many_options';
		else if (options.some((o) => o.length > MAX_OPTION)) errors.options = 'too_long';
	}
	return errors;
}

/** Adds a field at the end of the list. */
export function addCustomField(doc: Y.Doc, id: string, input: CustomFieldInput): void {
	const order = Math.max(0, ...readCustomFields(doc).map((d) => d.order)) + 1;
	doc.transact(() => {
		const m = new Y.Map<string | number | boolean | null>();
		customFieldsMap(doc).set(id, m);
		m.set('appliesTo', input.appliesTo);
		m.set('type', input.type);
		m.set('label', input.label.trim());
		m.set('order', order);
		m.set('required', input.required);
		if (input.options) m.set('options', parseOptions(input.options.join('\n')).join('\n'));
	});
}

/**
 * Changes a field's label, type, required flag or options; what is not given stays. Its id
 * (the key of its values) never changes, so a rename loses nothing; a new type keeps the
 * stored values, which are flagged where they no longer fit (custom-values.ts).
 */
export function updateCustomField(
	doc: Y.Doc,
	id: string,
	change: Partial<Pick<CustomFieldInput, 'label' | 'type' | 'required' | 'options'>>
): void {
	const m = customFieldsMap(doc).get(id);
	if (!m) return;
	doc.transact(() => {
		if (change.label !== undefined && m.get('label') !== change.label.trim()) m.set('label', change.label.trim());
		if (change.type !== undefined && m.get('type') !== change.type) m.set('type', change.type);
		if (change.required !== undefined && m.get('required') !== change.required) m.set('required', change.required);
		if (change.options !== undefined) {
			const text = parseOptions(change.options.join('\n')).join('\n');
			if (m.get('options') !== text) m.set('options', text);
		}
	});
}

/** Moves a field one place up (-1) or down (+1) among the fields of its target. */
export function moveCustomField(doc: Y.Doc, id: string, delta: -1 | 1): void {
	const all = readCustomFields(doc);
	const def = all.find((d) => d.id === id);
	if (!def) return;
	const list = all.filter((d) => d.appliesTo === def.appliesTo && d.removedAt === null);
	const i = list.findIndex((d) => d.id === id);
	const j = i + delta;
	if (i < 0 || j < 0 || j >= list.length) return;
	[list[i], list[j]] = [list[j], list[i]];
	// Renumbered so orders stay distinct within the target (each target is its own list).
	doc.transact(() =>
		list.forEach((d, n) =>
			customFieldsMap(doc)
				.get(d.id)
				?.set('order', n + 1)
		)
	);
}

/** Hides a field from forms and lists; its values stay in the records. */
export function removeCustomField(doc: Y.Doc, id: string, now: number): void {
	customFieldsMap(doc).get(id)?.set('removedAt', now);
}

/** Shows a removed field again, with every value it had, at the end of its list. */
export function restoreCustomField(doc: Y.Doc, id: string): void {
	const m = customFieldsMap(doc).get(id);
	if (!m) return;
	const order = Math.max(0, ...readCustomFields(doc).map((d) => d.order)) + 1;
	doc.transact(() => {
		m.delete('removedAt');
		m.set('order', order);
	});
}
