/**
 * [§2][§6] The portal's modules in Chromium on a phone (issue #12 item 3), in each of the five
 * languages: a contact signs in, sees only the modules they may open, opens an invoice and its
 * printable view, accepts an estimate, opens a ticket and replies — every screen fits 390 px
 * and has no serious accessibility violation (axe: every screen in English, three in the others). The staff side's records are written as a staff
 * device writes them (the background-sync feed, through the server's validation).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DOC } from '../../src/lib/schema/records.ts';
import { Client } from '../integration/helpers/http.ts';
import { PORTAL_PASSWORD, seedCustomer, setPortalPassword } from '../integration/helpers/portal-seed.ts';
import type { TestServer } from '../integration/helpers/server.ts';
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, test } from './helpers';

const PHONE = { width: 390, height: 844 };
const LANGUAGES = ['en', 'de', 'fr', 'pl', 'pt'] as const;
type Messages = Record<string, string>;

/** The messages of a language, as the portal shows them (messages/<lang>.json). */
const messagesOf = (lang: string): Messages =>
	JSON.parse(fs.readFileSync(path.join(import.meta.dirname, `../../messages/${lang}.json`), 'utf8')) as Messages;

/** A customer with a sent invoice and a sent estimate, and a contact speaking `lang`. */
async function seed(baseURL: string, lang: string): Promise<{ email: string }> {
	const suffix = randomBytes(4).toString('hex');
	const server = { url: baseURL, origin: new URL(baseURL).origin } as TestServer;
	const staff = new Client(baseURL);
	expect((await staff.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	const email = `pm-${lang}-${suffix}@example.com`;
	const contactId = `pm-${lang}-${suffix}`;
	const doc = await seedCustomer(server, staff, `e2e-pm-${lang}-${suffix}`, `Modul ${lang} ${suffix} GmbH`);
	doc
		.contact(contactId, { firstName: 'Mia', lastName: 'Module', email, language: lang }, [
			'invoices',
			'estimates',
			'support'
		])
		.sale(`inv-${suffix}`, 'invoice', 'sent', [
			['Beratung / consulting — a long description that has to wrap on a phone screen', 2, 12_345, 19],
			['Bücher', 3, 1_999, 7]
		])
		.sale(`est-${suffix}`, 'estimate', 'sent', [['Website', 10, 8_000, 19]])
		.record(DOC.tickets, `tic-${suffix}`, { subject: 'Existing ticket', status: 'answered' });
	await doc.push(server, staff);
	await setPortalPassword(staff, contactId);
	return { email };
}

test.describe('customer portal modules', () => {
	for (const lang of LANGUAGES) {
		test(`a contact's screens in ${lang}: modules, invoice, printable view, accept, ticket and reply`, async ({
			newContext,
			baseURL
		}) => {
			test.setTimeout(90_000);
			const t = messagesOf(lang);
			const { email } = await seed(baseURL!, lang);
			const context = await newContext({ locale: lang, viewport: PHONE });
			const page = await context.newPage();
			/**
			 * Every screen must fit the phone in every language. axe (4-5 s a run on a loaded CI
			 * box) checks every screen in English and, in the other languages, one screen of each
			 * kind the words change most: a document, an answered estimate, a ticket thread.
			 */
			const check = async (screen: string, everyLanguage = false) => {
				await expectNoHorizontalScroll(page);
				if (lang === 'en' || everyLanguage) await expectAccessible(page, `${screen} (${lang})`);
			};

			await page.goto('/portal/login');
			await page.getByLabel(t.email).fill(email);
			await page.getByLabel(t.password, { exact: true }).fill(PORTAL_PASSWORD);
			await page.getByRole('button', { name: t.sign_in }).click();
			await expect(page).toHaveURL(/\/portal$/);
			await expect(page.locator('html')).toHaveAttribute('lang', lang);
			const menu = page.getByRole('navigation', { name: t.portal_nav });
			const main = page.getByRole('main');
			await expect(menu.getByRole('link')).toHaveText([
				t.portal_home,
				t.perm_invoices,
				t.perm_estimates,
				t.perm_support
			]);

			// Invoices: the list, an invoice, its printable view.
			await menu.getByRole('link', { name: t.perm_invoices }).click();
			await expect(page.getByRole('heading', { level: 1, name: t.perm_invoices })).toBeVisible();
			await check('invoices');
			await main.getByRole('link', { name: new RegExp(`^${t.portal_kind_invoice}`) }).click();
			await expect(page.getByRole('table', { name: t.portal_lines })).toBeVisible();
			await check('invoice', true);
			await page.getByRole('link', { name: t.portal_print_link }).click();
			await expect(page.getByRole('heading', { name: t.portal_bill_to })).toBeVisible();
			await check('printable invoice');
			await page.emulateMedia({ media: 'print' });
			await expect(page.getByRole('navigation', { name: t.portal_nav })).toBeHidden();
			await page.emulateMedia({ media: 'screen' });

			// Estimates: accept a sent one.
			await menu.getByRole('link', { name: t.perm_estimates }).click();
			await main.getByRole('link', { name: new RegExp(`^${t.portal_kind_estimate}`) }).click();
			await page.getByRole('button', { name: t.portal_accept, exact: true }).click();
			await expect(page.getByRole('status')).toHaveText(t.portal_done_accepted);
			await expect(page.getByRole('button', { name: t.portal_accept, exact: true })).toHaveCount(0);
			await check('estimate accepted', true);

			// Support: a new ticket, then a reply.
			await menu.getByRole('link', { name: t.perm_support }).click();
			await expect(page.getByRole('link', { name: 'Existing ticket' })).toBeVisible();
			await check('support');
			await page.getByLabel(t.portal_subject).fill(`Question ${lang}`);
			await page.getByLabel(t.portal_message).fill('Where is my order?');
			await page.getByRole('button', { name: t.portal_open_ticket }).click();
			await expect(page.getByRole('heading', { level: 1, name: `Question ${lang}` })).toBeVisible();
			await page.getByLabel(t.portal_message).fill('Any news?');
			await page.getByRole('button', { name: t.portal_send_reply }).click();
			await expect(page.getByRole('status')).toHaveText(t.portal_done_replied);
			await expect(page.getByText('Any news?')).toBeVisible();
			await check('ticket replied', true);
		});
	}
});
