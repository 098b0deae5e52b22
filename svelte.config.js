import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// Server-only modules shared with the socket server (server/), reached from routes as $server/…
		alias: { $server: 'server' },
		// Absolute asset paths: the service worker serves one prerendered shell for every staff
		// URL, and relative paths in it would resolve against /customers/… and miss.
		paths: { relative: false },
		// SvelteKit's CSRF origin check stays on (the default). Behind a TLS proxy set PUBLIC_URL,
		// which the server passes to adapter-node as ORIGIN.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// The one inline style is SvelteKit's own route announcer (a style attribute set at
				// runtime); it is allowed by its hash, nothing else inline.
				'style-src': ['self', 'unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				// 'self' covers ws:/wss: to the same host (CSP3) for the /sync socket.
				'connect-src': ['self'],
				'manifest-src': ['self'],
				'worker-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		typescript: {
			config(tsconfig) {
				tsconfig.include.push(
					'../server/**/*.ts',
					'../server/**/*.js',
					'../bench/**/*.ts',
					'../tests/**/*.ts',
					'../*.ts',
					'../*.js'
				);
			}
		}
	}
};

export default config;
