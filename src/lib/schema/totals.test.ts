import { describe, expect, it } from 'vitest';
import { currencyDigits, documentTotals, formatMoney, lineTotals, moneyInput, parseMoney } from './totals.ts';

describe('sales totals (issue #12: the same on device and server)', () => {
	it('rounds each line half away from zero to a minor unit', () => {
		expect(lineTotals({ quantity: 3, unitPrice: 333, taxRate: 19 })).toEqual({ net: 999, tax: 190 });
		// 0.5 cent rounds away from zero, for discounts too
		expect(lineTotals({ quantity: 0.5, unitPrice: 1, taxRate: 0 })).toEqual({ net: 1, tax: 0 });
		expect(lineTotals({ quantity: -0.5, unitPrice: 1, taxRate: 0 })).toEqual({ net: -1, tax: 0 });
	});
	it('never lets a binary fraction decide a cent', () => {
		// 1.1 × 0.10 € at 7 %: floating point gives 0.7700000000000001 cents of tax
		expect(lineTotals({ quantity: 1.1, unitPrice: 10, taxRate: 7 })).toEqual({ net: 11, tax: 1 });
		expect(lineTotals({ quantity: 2.675, unitPrice: 100, taxRate: 0 }).net).toBe(268);
	});
	it('sums lines and groups tax by rate', () => {
		const t = documentTotals([
			{ quantity: 2, unitPrice: 1000, taxRate: 19 },
			{ quantity: 1, unitPrice: 500, taxRate: 7 },
			{ quantity: 1, unitPrice: 250, taxRate: 19 },
			{ quantity: 1, unitPrice: 100, taxRate: 0 }
		]);
		expect(t).toEqual({
			subtotal: 2850,
			tax: 380 + 35 + 48,
			total: 2850 + 463,
			taxes: [
				{ rate: 7, net: 500, tax: 35 },
				{ rate: 19, net: 2250, tax: 428 }
			]
		});
	});
	it('treats missing or garbage amounts as zero rather than NaN', () => {
		expect(documentTotals([{ quantity: 'x', unitPrice: null }]).total).toBe(0);
	});
	it('parses and shows amounts in the currency’s minor unit', () => {
		expect(currencyDigits('EUR')).toBe(2);
		expect(currencyDigits('JPY')).toBe(0);
		expect(parseMoney('12,5', 'EUR')).toBe(1250);
		expect(parseMoney('-3.07', 'EUR')).toBe(-307);
		expect(parseMoney('1 200', 'JPY')).toBe(1200);
		expect(parseMoney('1.234', 'EUR')).toBeNull();
		expect(parseMoney('abc', 'EUR')).toBeNull();
		expect(moneyInput(1250, 'EUR')).toBe('12.50');
		expect(moneyInput(-5, 'EUR')).toBe('-0.05');
		expect(formatMoney(1250, 'EUR', 'de')).toMatch(/^12,50\s€$/);
	});
});
