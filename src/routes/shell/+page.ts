// The app shell the service worker serves for every staff URL (online and offline): a
// prerendered page without server rendering, from which the client router opens the URL
// actually asked for. See @vite-pwa/sveltekit issues #16 and #52.
export const prerender = true;
export const ssr = false;
