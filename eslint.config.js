import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'src/lib/paraglide/',
			'data/',
			'test-results/',
			'playwright-report/',
			'.scratch/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			// extraFileExtensions here too, not only in the .svelte block below: with it set only
			// there, the value flipped between .ts and .svelte files and each flip reloaded the
			// whole TypeScript project (sveltejs/eslint-plugin-svelte#1575). Same rules, same
			// findings.
			parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] }
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-undef': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{
		// server/ is reached from SvelteKit only in server-side files; never from components.
		files: ['src/**/*.svelte', 'src/**/*.svelte.ts', 'src/lib/data/**', 'src/lib/components/**', 'src/lib/schema/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: ['$server/*', '**/server/*'], message: 'server-only code' }] }
			]
		}
	}
);
