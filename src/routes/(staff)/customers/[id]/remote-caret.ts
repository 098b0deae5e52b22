/**
 * Where another person's caret stands in a long text (issue #14 item 5: "with the other's
 * cursor shown"). Long texts are merged when a field is left (text-merge.ts), so while two
 * people type, each has their own draft: the other's caret is an index into *their* text. It
 * travels in presence with the few characters before it, and is placed in this reader's text
 * after the occurrence of those characters nearest to the index (the same words, wherever
 * either person's typing moved them), else at the index itself, kept inside the text.
 */

/** What presence carries of a caret: at most CONTEXT characters before it. */
export interface Caret {
	index: number;
	before: string;
}

export const CONTEXT = 16;
const MAX_INDEX = 1_000_000;

/** The caret to announce for a selection in `text`. */
export function caretOf(text: string, selectionStart: number): Caret {
	const index = Math.max(0, Math.min(text.length, Math.floor(selectionStart)));
	return { index, before: text.slice(Math.max(0, index - CONTEXT), index) };
}

/** A caret read from someone's presence state; anything else is no caret. */
export function readCaret(value: unknown): Caret | null {
	if (typeof value !== 'object' || value === null) return null;
	const { index, before } = value as { index?: unknown; before?: unknown };
	if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > MAX_INDEX) return null;
	if (typeof before !== 'string' || before.length > CONTEXT) return null;
	return { index, before };
}

/** The index in `text` where the other's caret is shown. */
export function placeCaret(text: string, caret: Caret): number {
	const clamped = Math.min(caret.index, text.length);
	if (caret.before === '') return caret.index === 0 ? 0 : clamped;
	let best = -1;
	for (let at = text.indexOf(caret.before); at !== -1; at = text.indexOf(caret.before, at + 1)) {
		const end = at + caret.before.length;
		if (best === -1 || Math.abs(end - caret.index) < Math.abs(best - caret.index)) best = end;
	}
	return best === -1 ? clamped : best;
}
