import { describe, expect, it } from 'vitest';
import { formatBirthday, parseBirthday } from './birthday.ts';

describe('parseBirthday', () => {
	it('reads the forms exports write', () => {
		const apr15 = { year: 1980, month: 4, day: 15 };
		for (const t of [
			'1980-04-15',
			'19800415',
			'15.04.1980',
			'15. 4. 1980',
			'4/15/1980',
			'15/4/1980',
			'1980-04-15T00:00:00Z'
		]) {
			expect(parseBirthday(t), t).toEqual(apr15);
		}
	});

	it('a year-less birthday stays year-less', () => {
		for (const t of ['--0415', '--04-15', '15.04.', '4/15']) {
			expect(parseBirthday(t), t).toEqual({ year: null, month: 4, day: 15 });
		}
		expect(parseBirthday('--0229')).toEqual({ year: null, month: 2, day: 29 });
	});

	it('ambiguous slash dates follow the locale; obvious ones do not need it', () => {
		expect(parseBirthday('3/4/1980')).toEqual({ year: 1980, month: 3, day: 4 });
		expect(parseBirthday('3/4/1980', { dayFirst: true })).toEqual({ year: 1980, month: 4, day: 3 });
	});

	it('Outlook\'s "0/0/00" and an empty cell are no birthday; nonsense is invalid', () => {
		expect(parseBirthday('0/0/00')).toBeNull();
		expect(parseBirthday('00.00.0000')).toBeNull();
		expect(parseBirthday('  ')).toBeNull();
		for (const t of ['1981-02-29', '31.04.1980', 'next Tuesday', '13/13/1980', '0215-01-01']) {
			expect(parseBirthday(t), t).toBe('invalid');
		}
	});

	it('formats ISO, year-less as --MM-DD', () => {
		expect(formatBirthday({ year: 1980, month: 4, day: 5 })).toBe('1980-04-05');
		expect(formatBirthday({ year: null, month: 4, day: 15 })).toBe('--04-15');
	});
});
