/**
 * The language switch: on the login page it changes this browser's language; signed in it is
 * also stored on the account and applied again at every sign-in (SPEC §1: chosen per user).
 */
import {
	ADMIN,
	createStaffMember,
	chooseLanguage,
	expect,
	expectAccessible,
	signIn,
	submitLogin,
	test,
	uniqueStaff
} from './helpers';

test('the login page switches to German and back', async ({ page }) => {
	await page.goto('/login');
	const german = page.getByRole('heading', { name: 'Bei Fieldbook anmelden' });
	await chooseLanguage(page, 'Language', 'Deutsch', german);

	expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
	await expect(page.getByRole('button', { name: 'Anmelden' })).toBeVisible();
	await expect(page.getByLabel('Sprache')).toHaveValue('de');
	await expectAccessible(page, 'the German login page');

	// The choice is kept in this browser.
	await page.reload();
	await expect(german).toBeVisible();

	await chooseLanguage(page, 'Sprache', 'English', page.getByRole('heading', { name: 'Sign in to Fieldbook' }));
	expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
});

test('a signed-in user switches to German and keeps it at the next sign-in', async ({ page, newContext }) => {
	const staff = uniqueStaff('Sprache');
	await signIn(page, ADMIN);
	await createStaffMember(page, staff);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();

	await signIn(page, staff);
	await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
	const germanNav = page.getByRole('navigation', { name: 'Hauptnavigation' });
	await chooseLanguage(page, 'Language', 'Deutsch', germanNav);

	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
	await expect(germanNav.getByRole('link', { name: 'Übersicht' })).toBeVisible();
	await expect(page.getByText(`Angemeldet als ${staff.name}`)).toBeVisible();
	await expectAccessible(page, 'the German overview');

	await page.getByRole('button', { name: 'Abmelden' }).click();
	await expect(page.getByRole('heading', { name: 'Bei Fieldbook anmelden' })).toBeVisible();

	// A new browser without cookies starts in English; signing in brings the user's German back.
	const fresh = await newContext();
	const other = await fresh.newPage();
	await other.goto('/login', { waitUntil: 'networkidle' }); // see signIn: hydration resets typed fields
	await expect(other.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
	await submitLogin(other, staff);
	await expect(other.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible();
	await expect(other.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
	await expect(other.getByRole('button', { name: 'Abmelden' })).toBeVisible();

	// Back to English: the account remembers that too.
	await chooseLanguage(other, 'Sprache', 'English', other.getByRole('navigation', { name: 'Main navigation' }));
	await expect(other.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
	await other.getByRole('button', { name: 'Sign out' }).click();
	await expect(other.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
});
