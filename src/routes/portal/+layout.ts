/**
 * The portal is rendered on the server and works without JavaScript (issue #12): its pages
 * carry no client router, no serialized data and no service worker shell — what a contact
 * sees is exactly what the server decided for this request.
 */
export const csr = false;
