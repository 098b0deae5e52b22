/**
 * Long text edited by two people at once (issue #14): each edits a copy (a draft) of the text as
 * it was when they began (`base`); when one saves, the other's saved change may already be in
 * the document (`theirs`). The draft's change is replayed onto `theirs` so both keep their
 * words; the result is then written to the document's Y.Text as the smallest edit, which Yjs
 * merges with edits still on their way from other devices.
 *
 * A change is the one region where a text differs from `base` (common start and end removed).
 * Changes in different places both apply; changes to the same place keep all of their text and
 * add this draft's new text after it — nothing anyone typed is dropped.
 */

interface Region {
	/** Start and end in `base` of the replaced part. */
	from: number;
	to: number;
	/** What replaces it. */
	text: string;
}

function region(base: string, next: string): Region {
	let from = 0;
	while (from < base.length && from < next.length && base[from] === next[from]) from++;
	let tail = 0;
	while (
		tail < base.length - from &&
		tail < next.length - from &&
		base[base.length - 1 - tail] === next[next.length - 1 - tail]
	)
		tail++;
	return { from, to: base.length - tail, text: next.slice(from, next.length - tail) };
}

export function mergeText(base: string, mine: string, theirs: string): string {
	if (theirs === base || theirs === mine) return mine;
	if (mine === base) return theirs;
	const my = region(base, mine);
	const their = region(base, theirs);
	const shift = theirs.length - base.length;
	if (my.to <= their.from && !(my.from === my.to && their.from === their.to && my.from === their.from)) {
		// Entirely before their change: positions in `theirs` are those of `base`.
		return theirs.slice(0, my.from) + my.text + theirs.slice(my.to);
	}
	if (their.to <= my.from) {
		// Entirely after their change: shifted by what they added or removed.
		return theirs.slice(0, my.from + shift) + my.text + theirs.slice(my.to + shift);
	}
	// The same place: both versions of that place stay, theirs first, each as whole words.
	let from = Math.min(my.from, their.from);
	let to = Math.max(my.to, their.to);
	while (from > 0 && !/\s/.test(base[from - 1])) from--;
	while (to < base.length && !/\s/.test(base[to])) to++;
	const theirPart = theirs.slice(from, to + shift);
	const myPart = mine.slice(from, to + mine.length - base.length);
	if (myPart.trim() === '' || theirPart.includes(myPart)) return theirs;
	const gap = /\s$/.test(theirPart) ? '' : ' ';
	return theirs.slice(0, from) + theirPart + gap + myPart + theirs.slice(to + shift);
}
