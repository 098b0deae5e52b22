import { describe, expect, it } from 'vitest';
import { recognise } from './recognise.ts';
import { rowToDraft } from './row-draft.ts';
import { rowKeys } from './row-writer.ts';

const headers = ['First Name', 'Last Name', 'Company', 'E-mail'];
const { mapping } = recognise(headers);
const row = (line: number, ...cells: string[]) => rowToDraft(line, cells, mapping, { columns: headers.length });
const shared = (a: string[], b: string[]) => a.some((k) => b.includes(k));

describe('rows written side by side in a run (run-file.ts waves)', () => {
	it('rows of the same company, e-mail or content wait for each other; others do not', () => {
		const ana = rowKeys('custom', row(2, 'Ana', 'Silva', 'Nordwind GmbH', 'ana@nordwind.example'));
		const ben = rowKeys('custom', row(3, 'Ben', 'Berg', 'NORDWIND  gmbh', 'ben@nordwind.example'));
		const ana2 = rowKeys('custom', row(4, 'Ana', 'S.', '', 'ANA@nordwind.example'));
		const cleo = rowKeys('custom', row(5, 'Cleo', 'Kim', '', 'cleo@kim.example'));
		const dan = rowKeys('custom', row(6, 'Dan', 'Moss', '', ''));
		const danAgain = rowKeys('custom', row(7, 'Dan', 'Moss', '', ''));
		expect(shared(ana, ben)).toBe(true); // the same company, however written
		expect(shared(ana, ana2)).toBe(true); // the same e-mail
		expect(shared(dan, danAgain)).toBe(true); // the same content
		expect(shared(cleo, dan)).toBe(false); // people on their own, nothing in common
		expect(shared(ana, cleo)).toBe(false);
		expect(rowKeys('custom', row(8, '', '', '', ''))).toEqual([]); // refused: meets nothing
	});
});
