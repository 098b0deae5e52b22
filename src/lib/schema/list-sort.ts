/**
 * How the Persons and Companies lists are ordered (SPEC §4), on the device (src/lib/data/search.ts)
 * and in their export (server/export): the sort menu's orders, and a column header's A–Z / Z–A.
 */

/** The orders the sort menu offers. */
export const SORT_ORDERS = ['name-asc', 'name-desc', 'updated'] as const;
/** Columns a list can be sorted by from its header (name included). */
export const SORT_COLUMNS = ['name', 'company', 'position', 'email', 'phone', 'city'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortOrder = (typeof SORT_ORDERS)[number] | `${SortColumn}-${'asc' | 'desc'}`;

export function isSortOrder(v: unknown): v is SortOrder {
	if (typeof v !== 'string') return false;
	if (v === 'updated') return true;
	const [column, dir, more] = v.split('-');
	return (
		more === undefined && (dir === 'asc' || dir === 'desc') && (SORT_COLUMNS as readonly string[]).includes(column)
	);
}

/** The column and direction of a header sort; null for "recently updated". */
export function sortParts(sort: SortOrder): { column: SortColumn; dir: 'asc' | 'desc' } | null {
	if (sort === 'updated') return null;
	const [column, dir] = sort.split('-') as [SortColumn, 'asc' | 'desc'];
	return { column, dir };
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** A column's values A–Z, empty values after every filled one. */
export function compareColumn(x: string | null, y: string | null): number {
	return x === null ? (y === null ? 0 : 1) : y === null ? -1 : collator.compare(x, y);
}

/**
 * Rows in a column's order (stable, so equal values keep their order), empty values last in
 * both directions: Z–A reverses only the filled part.
 */
export function sortRows<T>(rows: readonly T[], value: (row: T) => string | null, dir: 'asc' | 'desc'): T[] {
	const filled = (r: T) => {
		const v = value(r);
		return v !== null && v !== '' ? v : null;
	};
	const sorted = [...rows].sort((a, b) => compareColumn(filled(a), filled(b)));
	if (dir === 'asc') return sorted;
	const n = sorted.findIndex((r) => filled(r) === null);
	return n === -1 ? sorted.reverse() : [...sorted.slice(0, n).reverse(), ...sorted.slice(n)];
}
