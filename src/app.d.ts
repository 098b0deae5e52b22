/// <reference types="vite-plugin-pwa/client" />
// See https://svelte.dev/docs/kit/types#app.d.ts
import type { PortalContact } from '$server/portal/contacts';
import type { PortalSession } from '$server/portal/sessions';
import type { Session } from '$server/sessions';
import type { User } from '$server/users';

declare global {
	namespace App {
		interface Locals {
			user: User | null;
			session: Session | null;
			/** A customer contact signed in to the portal: set on /portal paths only, never with `user`. */
			contact: PortalContact | null;
			portalSession: PortalSession | null;
		}
	}
}

export {};
