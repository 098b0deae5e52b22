import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';
import { fieldbookDev } from './server/vite-plugin.ts';

/**
 * Integration tests that bound the server's event-loop lag (p99 under 100 ms while it is
 * attacked) or compare response times. `npm test` runs them in a step of their own, one file at
 * a time, so a neighbouring test file's work does not count against the server they measure;
 * the other integration files run one per core.
 */
const TIMING_BOUND = [
	'tests/integration/security-limits.test.ts',
	'tests/integration/security-upgrade-fuzz.test.ts',
	'tests/integration/sync-fuzz.test.ts',
	'tests/integration/staff-forgot.test.ts',
	// Its limits count attempts within a 2-second window.
	'tests/integration/rate-limit.test.ts'
];

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// Chosen per user (the cookie is set from the account at sign-in and by the language
			// switch), defaulting from the browser.
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit(),
		SvelteKitPWA({
			// A new version waits for the user to accept it (src/lib/components/UpdatePrompt.svelte):
			// never swapped in under someone typing, so no skipWaiting.
			registerType: 'prompt',
			injectRegister: false,
			manifest: {
				name: 'Fieldbook',
				short_name: 'Fieldbook',
				description: 'Customers and contacts, on the road and offline',
				lang: 'en',
				start_url: '/',
				scope: '/',
				display: 'standalone',
				theme_color: '#1f4e5f',
				background_color: '#f5f7f8',
				// Long-press the installed app's icon (issue #14 item 10): the list opens with its create dialog.
				shortcuts: [
					{ name: 'New company', short_name: 'Company', url: '/companies?new=1' },
					{ name: 'New person', short_name: 'Person', url: '/persons?new=1' }
				],
				icons: [
					{ src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
					{ src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
				]
			},
			workbox: {
				// The first load is controlled too, so the app opens offline after one visit.
				clientsClaim: true,
				globPatterns: ['client/**/*.{js,css,svg,png,webp,woff2}', 'prerendered/**/*.html'],
				// Every staff URL opens the prerendered shell; the client router takes it from there.
				navigateFallback: '/shell',
				// Admin pages open through the shell too: offline, their page says it needs a connection.
				navigateFallbackDenylist: [/^\/(login|setup|set-password|portal|logout|language|api|sync|feed)(\/|$)/]
			},
			kit: { includeVersionFile: true }
		}),
		fieldbookDev()
	],
	// Build output, bench pages and the dev database are not sources: no reload when they change.
	server: { watch: { ignored: ['**/build/**', '**/bench/.build/**', '**/data/**', '**/test-results/**'] } },
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['src/**/*.test.ts', 'server/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					// tests/simulation: the seeded convergence runs (the real server in process).
					include: ['tests/integration/**/*.test.ts', 'tests/simulation/**/*.test.ts'],
					exclude: TIMING_BOUND,
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'timing',
					include: TIMING_BOUND,
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
