// Opens with no connection (the service worker's shell, then this page in the browser): it is
// where signing out offline lands, and where the app sends anyone it cannot sign in offline.
export const ssr = false;
