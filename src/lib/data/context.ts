/** The workspace reaches components through Svelte context (never module state: SSR safety). */
import { getContext, setContext } from 'svelte';
import type { Workspace } from './workspace.svelte';

const KEY = Symbol('fieldbook.workspace');

/** Set by the staff layout. The getter returns null during server rendering and before init. */
export function provideWorkspace(get: () => Workspace | null): void {
	setContext(KEY, get);
}

export function useWorkspace(): () => Workspace | null {
	return getContext<() => Workspace | null>(KEY) ?? (() => null);
}
