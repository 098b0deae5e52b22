/** Durations and sizes as people read them, in the page's language (Intl, no messages needed). */

/** "5 minutes", "3 hours", "2 days": the largest unit that fits, rounded down. */
export function formatDuration(ms: number, locale: string): string {
	const minutes = Math.max(0, Math.floor(ms / 60_000));
	const [value, unit] =
		minutes < 60
			? [minutes, 'minute']
			: minutes < 48 * 60
				? [Math.floor(minutes / 60), 'hour']
				: [Math.floor(minutes / 1440), 'day'];
	return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** "820 kB", "12.3 MB", "9.8 GB" (decimal units, as operating systems show free space). */
export function formatBytes(bytes: number, locale: string): string {
	const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
	let value = Math.max(0, bytes);
	let i = 0;
	while (value >= 1000 && i < units.length - 1) {
		value /= 1000;
		i++;
	}
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: units[i],
		unitDisplay: 'short',
		maximumFractionDigits: value < 10 && i > 0 ? 1 : 0
	}).format(value);
}
