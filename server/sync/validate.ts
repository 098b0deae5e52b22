/**
 * Checks one incoming Yjs update against the document layout before the server applies it
 * (SPEC §6: every incoming change is validated — field types, lengths, known keys).
 *
 * Cost: the update is decoded (`Y.decodeUpdate`) and only its own structs are visited; an item
 * the update does not carry is found by id in the doc's struct store (a binary search per
 * client). Nothing here walks the document (no toJSON, no state encoding, no map iteration),
 * so validation costs the same for a document with one contact or ten thousand.
 *
 * Rules, for each item of the update (the delete set is always allowed — it clears fields):
 * - its parent is a root listed in the layout, or a record map inside a `records` root; every
 *   root is a Y.Map, so an item without a map key (list or text content) is refused;
 * - values are ContentAny and pass the field's spec; a record root holds Y.Maps under id keys;
 *   ContentDeleted (a value already overwritten or removed) is always allowed;
 * - anything else (Y.Text, Y.Array, XML, nested maps below a record, strings, binaries,
 *   subdocuments, embeds, formats, JSON) is refused.
 *
 * Unresolved dependencies are refused: an item whose parent, origin or right origin is neither
 * in the update nor in the doc, or a client's items that start past what the server holds of
 * that client. Yjs would park such items in `store.pendingStructs` until the gap is filled,
 * unvalidated against whatever fills it. Fieldbook clients send updates in causal order over
 * one socket, so a gap only follows a refused or lost update, and refusing says so at once.
 * Consequence: everything this function accepts integrates immediately; nothing goes pending.
 */
import * as Y from 'yjs';
import { CUSTOM_FIELD_DEF_FIELDS } from '../../src/lib/schema/custom-fields.ts';
import { customFieldId, customValueShape } from '../../src/lib/schema/custom-values.ts';
import { MODULE_FIELDS, OWNERSHIP } from '../../src/lib/schema/modules.ts';
import {
	CONTACT_FIELDS,
	CUSTOMER_FIELDS,
	DOC,
	PORTAL_PERMISSIONS,
	checkValue,
	type FieldSpec
} from '../../src/lib/schema/records.ts';

type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** A field spec. */
export type ValueSpec = FieldSpec;

/**
 * What one root Y.Map of a document holds. `custom`: the fields (or records) also hold values
 * of additional fields under `custom.<fieldId>` keys, checked for their shape only
 * (custom-values.ts: a definition changed meanwhile never makes the server refuse an edit).
 */
export type RootSpec =
	/** Named fields with plain values. */
	| { kind: 'fields'; fields: Readonly<Record<string, ValueSpec>>; custom?: true }
	/** A set: id keys with the value `true`. */
	| { kind: 'flags' }
	/** Records: id keys whose values are Y.Maps of named fields. */
	| { kind: 'records'; fields: Readonly<Record<string, ValueSpec>>; custom?: true };

export type DocLayout = Readonly<Record<string, RootSpec>>;

/** A customer document (layout in records.ts). */
export const CUSTOMER_LAYOUT: DocLayout = {
	[DOC.customer]: { kind: 'fields', fields: CUSTOMER_FIELDS, custom: true },
	[DOC.managers]: { kind: 'flags' },
	[DOC.contacts]: { kind: 'records', fields: CONTACT_FIELDS, custom: true },
	...(Object.fromEntries(
		Object.entries(MODULE_FIELDS).map(([root, fields]) => [root, { kind: 'records', fields }])
	) as Record<string, RootSpec>)
};

/** The workspace settings document (src/lib/schema/settings.ts reads and writes it). */
export const SETTINGS_LAYOUT: DocLayout = {
	contactTypes: {
		kind: 'records',
		fields: { name: { type: 'text', max: 100 }, order: { type: 'integer', min: -1e12, max: 1e12 } }
	},
	defaultPermissions: {
		kind: 'fields',
		fields: Object.fromEntries(PORTAL_PERMISSIONS.map((p) => [p, { type: 'boolean' } as const]))
	},
	/** Definitions of additional fields (custom-fields.ts). */
	customFields: { kind: 'records', fields: CUSTOM_FIELD_DEF_FIELDS },
	/** Workspace defaults (settings.ts): the phone region, an ISO country code. */
	workspace: { kind: 'fields', fields: { phoneRegion: { type: 'text', max: 2 } } }
};

export const LAYOUTS = { customer: CUSTOMER_LAYOUT, settings: SETTINGS_LAYOUT } as const;
export type DocKind = keyof typeof LAYOUTS;

/**
 * Parts of the document this writer may not change (root name, map key; key null = the
 * whole root): checked for new items and for deletions alike.
 */
export type Protected = (root: string, key: string | null) => boolean;

/**
 * What one writer may write, beyond the layout: `protect` (parts only managers change) and,
 * with `writer` (the user id of the session), field ownership (OWNERSHIP in modules.ts: write-once
 * fields, server-owned fields, attribution that must name the writer) and `maxRecords`
 * (records a records root may hold, e.g. contacts per customer).
 */
export interface WriteRules {
	protect?: Protected;
	writer?: string;
	/** At most this many records in a records root, given how many keys it holds now. */
	maxRecords?: { max: (root: string) => number; held: (root: string) => number };
}

/** `forbidden`: the update is valid but touches what this writer may not change. */
/** `tooLarge`: the update would take a record past `maxRecords`. */
export type Verdict = { ok: true } | { ok: false; reason: string; forbidden?: true; tooLarge?: true };

/** Work done by one validation, for tests that check it does not grow with the document. */
export interface ValidationWork {
	/** Structs of the update examined (including those walked to find a parent). */
	structs: number;
	/** Lookups by id in the doc's struct store. */
	lookups: number;
}

export function validateUpdate(
	doc: Y.Doc,
	update: Uint8Array,
	docKind: DocKind,
	work?: ValidationWork,
	rules: WriteRules = {}
): Verdict {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch {
		return { ok: false, reason: 'malformed update' };
	}
	try {
		const owned = docKind === 'customer' && rules.writer !== undefined;
		const validator = new Validator(doc, LAYOUTS[docKind], work ?? { structs: 0, lookups: 0 }, rules, owned);
		const reason = validator.run(decoded.structs);
		if (reason !== null) return { ok: false, reason };
		const tooMany = validator.overRecordLimit();
		if (tooMany !== null) return { ok: false, reason: tooMany, tooLarge: true };
		// What it writes first (an overwrite is a write and a deletion: the write says more).
		const forbidden = validator.forbidden ?? validator.forbiddenDeletes(decoded.ds);
		return forbidden === null ? { ok: true } : { ok: false, reason: forbidden, forbidden: true };
	} catch {
		// A crafted update can decode yet break an assumption (a bad id lookup); refuse, never throw.
		return { ok: false, reason: 'malformed update' };
	}
}

/** Where Yjs would put an item once integrated. */
type Placement =
	| { at: 'root'; name: string; key: string | null }
	/** Inside the shared type that `item` (a ContentType item) carries. */
	| { at: 'type'; item: Y.Item; key: string | null }
	/** Its parent or left/right neighbour is garbage-collected: Yjs turns it into a GC struct. */
	| { at: 'dropped' }
	| { at: 'refused'; reason: string };

const MAX_SHOWN = 64;
const show = (key: string) => JSON.stringify(key.length > MAX_SHOWN ? `${key.slice(0, MAX_SHOWN)}…` : key);
const isIdKey = (key: string) => checkValue({ type: 'id' }, key) === null;
const idText = (id: Y.ID) => `${id.client}:${id.clock}`;

class Validator {
	/** The update's structs by client, in clock order (Skips left out: they hold nothing). */
	private readonly byClient = new Map<number, (Y.Item | Y.GC)[]>();
	private readonly inUpdate = new Set<Y.Item>();
	private readonly placements = new Map<Y.Item, Placement>();
	/** Characters this update inserts per collaborative text (for the field's limit). */
	private readonly textAdded = new Map<Y.Item, number>();

	/** The first new item placed where this writer may not write (see Protected). */
	forbidden: string | null = null;

	private readonly protect?: Protected;
	/** New record keys per records root (for maxRecords). */
	private readonly newRecords = new Map<string, Set<string>>();

	constructor(
		private readonly doc: Y.Doc,
		private readonly layout: DocLayout,
		private readonly work: ValidationWork,
		private readonly rules: WriteRules,
		/** Field ownership applies (a customer document, a known writer). */
		private readonly owned: boolean
	) {
		this.protect = rules.protect;
	}

	/**
	 * A records root over `maxRecords` keys once this update is applied (keys ever used, the
	 * trash included: a record's key stays in the map after it is deleted).
	 */
	overRecordLimit(): string | null {
		const limit = this.rules.maxRecords;
		if (limit === undefined) return null;
		for (const [root, keys] of this.newRecords) {
			// getMap: a root first seen in a remote update is a bare AbstractType until asked for
			// as a map (roots come from the layout, so this adds no stranger to doc.share).
			const map = this.doc.getMap(root);
			let added = 0;
			for (const k of keys) if (!map.has(k)) added++;
			const max = limit.max(root);
			if (added > 0 && limit.held(root) + added > max) return `too many records in ${root}: at most ${max}`;
		}
		return null;
	}

	/**
	 * Deletions of protected items (removing a manager, clearing the access level) and of
	 * write-once or server-owned fields. Costs one visit per deleted struct the server holds.
	 */
	forbiddenDeletes(ds: DeleteSet): string | null {
		if (!this.protect && !this.owned) return null;
		for (const [client, ranges] of ds.clients) {
			const structs = this.doc.store.clients.get(client);
			if (!structs) continue;
			const state = Y.getState(this.doc.store, client);
			for (const { clock, len } of ranges) {
				if (clock >= state) continue;
				for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
					const s = structs[i];
					if (s.id.clock >= clock + len) break;
					this.work.structs++;
					if (!(s instanceof Y.Item) || s.deleted) continue;
					const p = this.fromStore(s);
					const reason = this.protectedAt(p) ?? this.ownedDeletion(p, ds);
					if (reason) return `${reason} (deletion)`;
				}
			}
		}
		return null;
	}

	/** Root and key of a field, for OWNERSHIP; null when the placement is no field. */
	private fieldOf(p: Placement): { root: keyof typeof OWNERSHIP; key: string; record: Y.Item | null } | null {
		if (p.at === 'root') {
			return p.name === DOC.customer && p.key !== null ? { root: DOC.customer, key: p.key, record: null } : null;
		}
		if (p.at !== 'type' || p.key === null) return null;
		const where = this.placementOf(p.item);
		return where.at === 'root' && where.name !== DOC.customer && Object.hasOwn(OWNERSHIP, where.name)
			? { root: where.name as keyof typeof OWNERSHIP, key: p.key, record: p.item }
			: null;
	}

	/** A new item at a field its writer may not set (write-once, server-owned, attribution). */
	private ownedWrite(p: Placement, item: Y.Item): string | null {
		if (!this.owned) return null;
		const f = this.fieldOf(p);
		if (!f) return null;
		const rules = OWNERSHIP[f.root];
		const at = `${f.root}.${show(f.key)}`;
		if (rules.server.includes(f.key)) return `forbidden: ${at} is set by the server only`;
		if (rules.writeOnce.includes(f.key) && this.holdsValue(f))
			return `forbidden: ${at} is set when the record is created and never changed`;
		if (rules.author.includes(f.key) && item.content instanceof Y.ContentAny) {
			for (const v of item.content.arr) {
				if (v !== null && v !== this.rules.writer) return `forbidden: ${at} must name the signed-in user`;
			}
		}
		return null;
	}

	/** Does the server hold a value at this field? (One map lookup; removal is refused too.) */
	private holdsValue(f: { root: string; key: string; record: Y.Item | null }): boolean {
		if (f.record === null) return this.doc.getMap(f.root).has(f.key);
		if (this.inUpdate.has(f.record)) return false; // a record created by this very update
		const content = f.record.content;
		return content instanceof Y.ContentType && content.type instanceof Y.Map && content.type.has(f.key);
	}

	/** Deleting a write-once or server-owned field, unless its whole record goes with it. */
	private ownedDeletion(p: Placement, ds: DeleteSet): string | null {
		if (!this.owned) return null;
		const f = this.fieldOf(p);
		if (!f) return null;
		const rules = OWNERSHIP[f.root];
		if (!rules.writeOnce.includes(f.key) && !rules.server.includes(f.key)) return null;
		if (f.record && (f.record.deleted || Y.isDeleted(ds, f.record.id))) return null;
		return `forbidden: ${f.root}.${show(f.key)} may not be removed`;
	}

	private protectedAt(p: Placement): string | null {
		if (!this.protect) return null;
		if (p.at === 'root' && this.protect(p.name, p.key))
			return `forbidden: only managers and admins change ${p.name}${p.key === null ? '' : `.${show(p.key)}`}`;
		if (p.at === 'type') {
			const where = this.placementOf(p.item);
			if (where.at === 'root' && this.protect(where.name, null))
				return `forbidden: only managers and admins change ${where.name}`;
		}
		return null;
	}

	run(structs: (Y.Item | Y.GC | Y.Skip)[]): string | null {
		const next = new Map<number, number>();
		for (const s of structs) {
			if (s instanceof Y.Skip) continue;
			const client = s.id.client;
			const expected = next.get(client) ?? Y.getState(this.doc.store, client);
			const list = this.byClient.get(client) ?? [];
			const last = list.at(-1);
			if (last && s.id.clock < last.id.clock + last.length) return 'malformed update: structs out of order';
			if (s.id.clock > expected) {
				return `unresolved: the update skips ${client}:${expected}..${s.id.clock - 1}, which the server does not have`;
			}
			next.set(client, Math.max(expected, s.id.clock + s.length));
			list.push(s);
			this.byClient.set(client, list);
			if (s instanceof Y.Item) this.inUpdate.add(s);
		}
		for (const s of structs) {
			if (!(s instanceof Y.Item)) continue;
			// Yjs skips what it already has, so a re-sent item is not judged again.
			if (s.id.clock + s.length <= Y.getState(this.doc.store, s.id.client)) continue;
			this.work.structs++;
			const reason = this.check(s);
			if (reason !== null) return reason;
		}
		return null;
	}

	private check(item: Y.Item): string | null {
		const p = this.placementOf(item);
		this.forbidden ??= this.protectedAt(p) ?? this.ownedWrite(p, item);
		if (
			this.rules.maxRecords !== undefined &&
			p.at === 'root' &&
			p.key !== null &&
			Object.hasOwn(this.layout, p.name) &&
			this.layout[p.name].kind === 'records'
		) {
			const keys = this.newRecords.get(p.name) ?? new Set<string>();
			keys.add(p.key);
			this.newRecords.set(p.name, keys);
		}
		switch (p.at) {
			case 'dropped':
				return null;
			case 'refused':
				return p.reason;
			case 'root':
				return this.checkInRoot(p.name, p.key, item.content);
			case 'type':
				return this.checkInRecord(p.item, p.key, item.content);
		}
	}

	private checkInRoot(name: string, key: string | null, content: Y.Item['content']): string | null {
		const spec = Object.hasOwn(this.layout, name) ? this.layout[name] : undefined;
		if (!spec) return `unknown root ${show(name)}`;
		if (key === null) return `${show(name)} is a Y.Map; list or text content refused`;
		const at = `${name}.${show(key)}`;
		switch (spec.kind) {
			case 'fields':
				if (!Object.hasOwn(spec.fields, key)) return spec.custom ? checkCustom(content, at, key) : `unknown key ${at}`;
				return checkValues(content, at, spec.fields[key]);
			case 'flags':
				if (!isIdKey(key)) return `${at}: key is not an id`;
				return checkValues(content, at, 'true');
			case 'records':
				if (!isIdKey(key)) return `${at}: key is not an id`;
				if (content instanceof Y.ContentDeleted) return null;
				if (content instanceof Y.ContentType && content.type instanceof Y.Map) return null;
				return `${at}: must be a Y.Map, got ${describe(content)}`;
		}
	}

	/** An item inside the shared type carried by `record`: allowed only in a record map of a records root. */
	private checkInRecord(record: Y.Item, key: string | null, content: Y.Item['content']): string | null {
		if (record.content instanceof Y.ContentType && record.content.type instanceof Y.Text) {
			return this.checkInText(record, key, content);
		}
		const where = this.placementOf(record);
		if (where.at === 'dropped') return null; // the record map is gone, so is this
		if (where.at === 'refused') return where.reason;
		if (where.at === 'type') return 'refused: shared types nested below a record';
		const spec = Object.hasOwn(this.layout, where.name) ? this.layout[where.name] : undefined;
		if (!spec) return `unknown root ${show(where.name)}`;
		if (spec.kind !== 'records') return `${show(where.name)} holds no nested types`;
		if (where.key === null || !isIdKey(where.key)) return `${show(where.name)}: record key is not an id`;
		const recordContent = record.content;
		if (!(recordContent instanceof Y.ContentType && recordContent.type instanceof Y.Map)) {
			return `${where.name}.${show(where.key)}: must be a Y.Map, got ${describe(recordContent)}`;
		}
		if (key === null) return `${where.name}.${show(where.key)} is a Y.Map; list or text content refused`;
		const at = `${where.name}.${show(where.key)}.${show(key)}`;
		if (!Object.hasOwn(spec.fields, key)) return spec.custom ? checkCustom(content, at, key) : `unknown key ${at}`;
		return checkValues(content, at, spec.fields[key]);
	}

	/**
	 * Text typed into a collaborative field (a Y.Text at a field whose spec says so): plain
	 * characters only (no formatting, embeds or nested types), and the text stays within the
	 * field's limit — counted as what the server holds plus every character this update inserts
	 * (deletions are not subtracted: a conservative bound, never a gap).
	 */
	private checkInText(text: Y.Item, key: string | null, content: Y.Item['content']): string | null {
		const holder = this.placementOf(text);
		if (holder.at === 'dropped') return null;
		if (holder.at === 'refused') return holder.reason;
		const field = this.fieldSpecAt(holder);
		if (!field || field.spec.type !== 'text' || !field.spec.collaborative) {
			return `${field?.at ?? 'a field'}: text content refused`;
		}
		if (key !== null) return `${field.at}: a text holds no keys`;
		if (content instanceof Y.ContentDeleted) return null;
		if (!(content instanceof Y.ContentString)) return `${field.at}: ${describe(content)} refused in text`;
		const added = (this.textAdded.get(text) ?? 0) + content.str.length;
		this.textAdded.set(text, added);
		const held = (text.content as Y.ContentType).type._length;
		return held + added > field.spec.max ? `${field.at}: too_long` : null;
	}

	/** The spec of the field a placement is at (a fields root's key, or a record's key). */
	private fieldSpecAt(p: Placement): { spec: ValueSpec; at: string } | null {
		if (p.at === 'root') {
			const root = Object.hasOwn(this.layout, p.name) ? this.layout[p.name] : undefined;
			if (!root || root.kind !== 'fields' || p.key === null || !Object.hasOwn(root.fields, p.key)) return null;
			return { spec: root.fields[p.key], at: `${p.name}.${show(p.key)}` };
		}
		if (p.at !== 'type' || p.key === null) return null;
		const where = this.placementOf(p.item);
		if (where.at !== 'root' || where.key === null) return null;
		const root = Object.hasOwn(this.layout, where.name) ? this.layout[where.name] : undefined;
		if (!root || root.kind !== 'records' || !Object.hasOwn(root.fields, p.key)) return null;
		return { spec: root.fields[p.key], at: `${where.name}.${show(where.key)}.${show(p.key)}` };
	}

	/**
	 * The placement of an item of the update or of the store. An update item with `parent`
	 * null takes parent and key from its origin (or right origin), as Item.getMissing does;
	 * chains of overwrites within one update are walked iteratively and memoised, so each
	 * struct is walked once.
	 */
	private placementOf(item: Y.Item): Placement {
		if (!this.inUpdate.has(item)) return this.fromStore(item);
		const chain: Y.Item[] = [];
		const seen = new Set<Y.Item>();
		let cur = item;
		let result: Placement;
		for (;;) {
			const known = this.placements.get(cur);
			if (known) {
				result = known;
				break;
			}
			if (seen.has(cur)) {
				result = { at: 'refused', reason: 'malformed update: origin cycle' };
				break;
			}
			seen.add(cur);
			chain.push(cur);
			if (cur !== item) this.work.structs++;
			const parent: unknown = cur.parent;
			if (typeof parent === 'string') {
				result = { at: 'root', name: parent, key: cur.parentSub };
				break;
			}
			if (parent instanceof Y.ID) {
				result = this.insideParent(parent, cur.parentSub);
				break;
			}
			const ref = cur.origin ?? cur.rightOrigin;
			if (ref === null) {
				result = { at: 'refused', reason: 'malformed update: item without parent or origin' };
				break;
			}
			const found = this.find(ref);
			if (found === undefined) {
				result = { at: 'refused', reason: `unresolved: depends on ${idText(ref)}, which the server does not have` };
				break;
			}
			if (found instanceof Y.GC) {
				result = { at: 'dropped' };
				break;
			}
			if (this.inUpdate.has(found)) {
				cur = found;
				continue;
			}
			result = this.fromStore(found);
			break;
		}
		for (const c of chain) this.placements.set(c, result);
		return result;
	}

	/** An item whose parent is given as the id of the item that carries the parent type. */
	private insideParent(parentId: Y.ID, key: string | null): Placement {
		const p = this.find(parentId);
		if (p === undefined) {
			return { at: 'refused', reason: `unresolved: parent ${idText(parentId)} is not known to the server` };
		}
		// A deleted parent collected by the server's gc leaves a GC struct or ContentDeleted:
		// Yjs then finds no type and drops the item (a late edit to a removed contact).
		if (p instanceof Y.GC || p.content instanceof Y.ContentDeleted) return { at: 'dropped' };
		if (!(p.content instanceof Y.ContentType)) return { at: 'refused', reason: 'parent is not a shared type' };
		return { at: 'type', item: p, key };
	}

	/** An integrated item: its parent is the type itself. */
	private fromStore(item: Y.Item): Placement {
		const parent: unknown = item.parent;
		if (!(parent instanceof Y.AbstractType)) return { at: 'dropped' };
		if (parent._item !== null) return { at: 'type', item: parent._item, key: item.parentSub };
		// Root types are looked up by the layout's few names, never by walking doc.share.
		for (const name of Object.keys(this.layout)) {
			if (this.doc.share.get(name) === parent) return { at: 'root', name, key: item.parentSub };
		}
		return { at: 'refused', reason: 'refused: content of a root outside the layout' };
	}

	/** The struct holding `id`: from the update first, then the doc's store. */
	private find(id: Y.ID): Y.Item | Y.GC | undefined {
		const list = this.byClient.get(id.client);
		if (list) {
			const s = search(list, id.clock);
			if (s) return s;
		}
		this.work.lookups++;
		const store = this.doc.store;
		const structs = store.clients.get(id.client);
		if (!structs || id.clock >= Y.getState(store, id.client)) return undefined;
		return structs[Y.findIndexSS(structs, id.clock)];
	}
}

/** Binary search over structs sorted by clock, none overlapping. */
function search(list: (Y.Item | Y.GC)[], clock: number): Y.Item | Y.GC | undefined {
	let lo = 0;
	let hi = list.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const s = list[mid];
		if (clock < s.id.clock) hi = mid - 1;
		else if (clock >= s.id.clock + s.length) lo = mid + 1;
		else return s;
	}
	return undefined;
}

/**
 * Every value of a ContentAny is checked, not only the last: a client with gc off sends a run
 * of overwritten values of one key as one item (its earlier values are deleted, but checking
 * them costs nothing and a legitimate client only ever wrote valid ones).
 */
function checkValues(content: Y.Item['content'], at: string, spec: ValueSpec | 'true'): string | null {
	if (content instanceof Y.ContentDeleted) return null;
	// A collaborative text field holds a Y.Text (created empty; its characters are checked as
	// they arrive, in checkInText).
	if (spec !== 'true' && spec.type === 'text' && spec.collaborative) {
		if (content instanceof Y.ContentType && content.type instanceof Y.Text && content.type._length === 0) return null;
	}
	if (!(content instanceof Y.ContentAny)) return `${at}: ${describe(content)} refused`;
	for (const v of content.arr) {
		const error = spec === 'true' ? (v === true ? null : 'must be true') : checkField(spec, v);
		if (error !== null) return `${at}: ${error}`;
	}
	return null;
}

/** A `custom.<fieldId>` key: its id's syntax and each value's shape (not the definition). */
function checkCustom(content: Y.Item['content'], at: string, key: string): string | null {
	if (customFieldId(key) === null) return `unknown key ${at}`;
	if (content instanceof Y.ContentDeleted) return null;
	if (!(content instanceof Y.ContentAny)) return `${at}: ${describe(content)} refused`;
	for (const v of content.arr) {
		const error = customValueShape(v);
		if (error !== null) return `${at}: ${error}`;
	}
	return null;
}

function checkField(spec: ValueSpec, value: unknown): string | null {
	return checkValue(spec, value);
}

function describe(content: Y.Item['content']): string {
	if (content instanceof Y.ContentType) return content.type.constructor.name;
	return content.constructor.name;
}
