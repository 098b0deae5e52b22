/**
 * Escape on a dialog with changes asks before discarding them (issue #14 item 10): the
 * dialog's `cancel` event (Escape, or the Android back gesture) is stopped while `dirty()`
 * holds, and `ask()` opens the question (a ConfirmDialog whose Cancel keeps editing).
 * A Svelte action: `<dialog use:askBeforeDiscard={{ dirty, ask }}>`.
 */
export interface DiscardGuard {
	dirty: () => boolean;
	ask: () => void;
}

export function askBeforeDiscard(node: HTMLDialogElement, guard: DiscardGuard) {
	let current = guard;
	const oncancel = (event: Event) => {
		if (!current.dirty()) return;
		event.preventDefault();
		current.ask();
	};
	node.addEventListener('cancel', oncancel);
	return {
		update(next: DiscardGuard) {
			current = next;
		},
		destroy() {
			node.removeEventListener('cancel', oncancel);
		}
	};
}
