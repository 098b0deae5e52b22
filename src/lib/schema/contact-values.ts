/**
 * Several labelled e-mails and phones per contact and per company, tags and external ids
 * (issue #13 item 2), as flat keys of the record map (records.ts) — each its own key, so two
 * devices editing different values merge field by field, and the sync validator checks them
 * like any other field.
 *
 * The PRIMARY value stays where it always was (`email`, `phone`): the portal login, the
 * duplicate e-mail rule (SPEC §2), the projection and search read it unchanged. Its label is
 * `emailLabel` / `phoneLabel`; further values sit in fixed slots `emails.1` … `emails.4` with
 * `emails.1.label` (five values in all: what Google and Outlook exports hold per contact).
 * "Make primary" swaps values between the primary key and a slot.
 *
 * Tags are one text (`tags`, "Kunden, VIP"): a key per tag would need open-ended key names,
 * which the validator refuses by design; a whole tag list written by two devices at once keeps
 * the later one, which is acceptable for labels edited rarely.
 *
 * External ids are kept per source (`externalIds.google`, …) and written by the server only
 * (an import): a device cannot forge the id under which a later re-import finds the record.
 */
import { VALUE_LABELS, type LabelledValue, type ValueLabel } from './import-fields.ts';
import type { FieldSpec, FieldValue } from './records.ts';

export type ValueKind = 'email' | 'phone';

/** Values besides the primary one (slots 1..EXTRA_SLOTS). */
export const EXTRA_SLOTS = 4;
export const MAX_VALUES = EXTRA_SLOTS + 1;

/** A slot number (1..EXTRA_SLOTS). */
export type Slot = 1 | 2 | 3 | 4;
/** The keys of one kind's label and slots. */
export type ValueKeys<K extends ValueKind> = `${K}Label` | `${K}s.${Slot}` | `${K}s.${Slot}.label`;

export const labelKey = <K extends ValueKind>(kind: K) => `${kind}Label` as const;
export const slotKey = <K extends ValueKind>(kind: K, n: Slot) => `${kind}s.${n}` as const;
export const slotLabelKey = <K extends ValueKind>(kind: K, n: Slot) => `${kind}s.${n}.label` as const;

const SLOTS: readonly Slot[] = [1, 2, 3, 4];

/** Whether a record key holds a value of `kind` (the primary one or a slot), not its label. */
export const isValueKey = (kind: ValueKind, key: string): boolean =>
	key === kind || SLOTS.some((n) => key === slotKey(kind, n));

/** The field specs of one kind's label and slots, given the spec of a value. */
export function valueSpecs<K extends ValueKind>(kind: K, value: FieldSpec): Record<ValueKeys<K>, FieldSpec> {
	const label: FieldSpec = { type: 'enum', values: VALUE_LABELS };
	const out = { [labelKey(kind)]: label } as Record<ValueKeys<K>, FieldSpec>;
	for (const n of SLOTS) {
		out[slotKey(kind, n)] = value;
		out[slotLabelKey(kind, n)] = label;
	}
	return out;
}

const isLabel = (v: unknown): v is ValueLabel => (VALUE_LABELS as readonly unknown[]).includes(v);
const textOf = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The values of a record, primary first; empty slots left out. */
export function valuesOf(data: Readonly<Record<string, unknown>>, kind: ValueKind): LabelledValue[] {
	const out: LabelledValue[] = [];
	const primary = textOf(data[kind]);
	const primaryLabel = data[labelKey(kind)];
	if (primary) out.push({ value: primary, label: isLabel(primaryLabel) ? primaryLabel : null });
	for (const n of SLOTS) {
		const v = textOf(data[slotKey(kind, n)]);
		const l = data[slotLabelKey(kind, n)];
		if (v) out.push({ value: v, label: isLabel(l) ? l : null });
	}
	return out;
}

/**
 * The fields that store `values` (primary first), every slot written: an unused one is null,
 * so removing a value also clears what it left behind. Values past MAX_VALUES are dropped —
 * callers offer no more (the dialog, the import reports the rest as not kept).
 */
export function valueFields(kind: ValueKind, values: readonly LabelledValue[]): Record<string, FieldValue> {
	const kept = values.filter((v) => v.value.trim() !== '');
	const out: Record<string, FieldValue> = {
		[kind]: kept[0]?.value.trim() ?? null,
		[labelKey(kind)]: kept[0]?.label ?? null
	};
	for (const n of SLOTS) {
		out[slotKey(kind, n)] = kept[n]?.value.trim() ?? null;
		out[slotLabelKey(kind, n)] = kept[n]?.label ?? null;
	}
	return out;
}

/** The list with value `index` first, the former primary in its place ("make primary"). */
export function makePrimary<T>(values: readonly T[], index: number): T[] {
	if (index <= 0 || index >= values.length) return [...values];
	const out = [...values];
	[out[0], out[index]] = [out[index], out[0]];
	return out;
}

/** Tags in one text, split at , and ; (and Google's " ::: "); trimmed, duplicates (any case) once. */
export function parseTags(text: string | null | undefined): string[] {
	if (!text) return [];
	const seen = new Set<string>();
	const out: string[] = [];
	for (const t of text.split(/\s*(?:[,;]|:::)\s*/)) {
		const tag = t.trim();
		if (tag === '' || seen.has(tag.toLowerCase())) continue;
		seen.add(tag.toLowerCase());
		out.push(tag);
	}
	return out;
}

/** The stored text of a tag list (null when empty). */
export const formatTags = (tags: readonly string[]): string | null => parseTags(tags.join(', ')).join(', ') || null;

/** Sources an external id is kept for (one key each). */
export const EXTERNAL_SOURCES = [
	'google',
	'outlook',
	'salesforce',
	'perfex',
	'onlyoffice',
	'excel',
	'vcard',
	'csv'
] as const;
export type ExternalSource = (typeof EXTERNAL_SOURCES)[number];
export const externalIdKey = (s: ExternalSource) => `externalIds.${s}` as const;

/** The source of an import layout ("google-legacy" is Google's, a user's own mapping is "csv"). */
export function externalSourceOf(layout: string): ExternalSource {
	const base = layout.split('-')[0];
	return (EXTERNAL_SOURCES as readonly string[]).includes(base) ? (base as ExternalSource) : 'csv';
}

/** The external ids a record holds, by source. */
export function externalIdsOf(data: Readonly<Record<string, unknown>>): Partial<Record<ExternalSource, string>> {
	const out: Partial<Record<ExternalSource, string>> = {};
	for (const s of EXTERNAL_SOURCES) {
		const v = data[externalIdKey(s)];
		if (typeof v === 'string' && v !== '') out[s] = v;
	}
	return out;
}
