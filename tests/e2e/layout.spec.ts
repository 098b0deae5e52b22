/**
 * The app frame on a phone, a tablet and a desktop: the navigation is reachable (behind the
 * "Menu" button on phones) and no page scrolls sideways.
 */
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, signIn, test } from './helpers';

const devices = [
	{ name: 'phone', viewport: { width: 390, height: 844 }, menu: true },
	{ name: 'tablet', viewport: { width: 820, height: 1180 }, menu: false },
	{ name: 'desktop', viewport: { width: 1280, height: 800 }, menu: false }
] as const;

for (const device of devices) {
	test.describe(`on a ${device.name} (${device.viewport.width}x${device.viewport.height})`, () => {
		test.use({ viewport: device.viewport });

		test('the navigation is reachable and nothing scrolls sideways', async ({ page }) => {
			await page.goto('/login');
			await expect(page.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
			await expectNoHorizontalScroll(page);

			await signIn(page, ADMIN);
			await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
			await expectNoHorizontalScroll(page);

			const nav = page.getByRole('navigation', { name: 'Main navigation' });
			const menu = page.getByRole('button', { name: 'Menu' });
			if (device.menu) {
				await expect(nav).toBeHidden();
				await expect(menu).toHaveAttribute('aria-expanded', 'false');
				await menu.click();
				await expect(menu).toHaveAttribute('aria-expanded', 'true');
				await expect(nav).toBeVisible();
				await expect(nav.getByRole('button', { name: 'Sign out' })).toBeVisible();
				await expectNoHorizontalScroll(page);
				await expectAccessible(page, `the ${device.name} layout with the menu open`);
			} else {
				await expect(menu).toBeHidden();
				await expect(nav).toBeVisible();
			}

			await expect(nav.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
			await nav.getByRole('link', { name: 'Staff' }).click();
			await expect(page.getByRole('heading', { name: 'Staff', level: 1 })).toBeVisible();
			await expect(page).toHaveURL(/\/admin\/staff$/);
			if (device.menu) {
				// Navigating closes the phone menu.
				await expect(menu).toHaveAttribute('aria-expanded', 'false');
				await expect(nav).toBeHidden();
			}
			await expectNoHorizontalScroll(page);
			await expectAccessible(page, `the staff admin page on a ${device.name}`);
		});
	});
}
