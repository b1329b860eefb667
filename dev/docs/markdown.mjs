// @ts-check
/**
 * What the docs check reads in a Markdown file: its anchors (GitHub's heading slugs and explicit
 * `<a id>` / `<a name>`), its links (Markdown `[text](target)`, `![alt](target)` and HTML `href`,
 * `src`, `srcset`) outside code, and its prose with the code kept (for `npm run …` and file names).
 * Standard library only; no Markdown parser is a dependency of this package.
 */

/**
 * The lines of a Markdown text with fenced code blocks marked, so headings and links in code are
 * not read as such. @param {string} text @returns {Array<{ line: string, number: number, fenced: boolean }>}
 */
export function markdownLines(text) {
	/** @type {string | null} */
	let fence = null;
	return text.split('\n').map((line, index) => {
		const opening = /^\s*(`{3,}|~{3,})/.exec(line);
		if (fence === null && opening) {
			fence = opening[1];
			return { line, number: index + 1, fenced: true };
		}
		if (fence !== null) {
			if (line.trim().startsWith(fence)) fence = null;
			return { line, number: index + 1, fenced: true };
		}
		return { line, number: index + 1, fenced: false };
	});
}

/** A line without its inline code spans (their text is not a link). @param {string} line */
function withoutCodeSpans(line) {
	return line.replace(/(`+)[^`]*?\1/g, '');
}

/**
 * GitHub's slug of a heading (github-slugger): Markdown links and code marks reduced to their text,
 * lower case, punctuation dropped except `-` and `_`, every space a `-`.
 * @param {string} heading
 */
export function slug(heading) {
	return heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/**
 * The headings of a Markdown text, in order. @param {string} text
 * @returns {Array<{ level: number, text: string, number: number }>}
 */
export function headings(text) {
	return markdownLines(text)
		.filter(({ fenced }) => !fenced)
		.map(({ line, number }) => ({ match: /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line), number }))
		.filter(({ match }) => match !== null)
		.map(({ match, number }) => ({
			level: /** @type {RegExpExecArray} */ (match)[1].length,
			text: /** @type {RegExpExecArray} */ (match)[2],
			number,
		}));
}

/**
 * Every anchor a link may name in this text: heading slugs (a repeated one gets `-1`, `-2`, as on
 * GitHub) and explicit `<a id="…">` / `<a name="…">`. @param {string} text @returns {Set<string>}
 */
export function anchors(text) {
	const found = new Set();
	/** @type {Map<string, number>} */
	const seen = new Map();
	for (const heading of headings(text)) {
		const base = slug(heading.text);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		found.add(count === 0 ? base : `${base}-${count}`);
	}
	for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) found.add(match[1]);
	return found;
}

/**
 * Every link target outside code, with its line: Markdown links and images (an optional title after
 * the target is dropped), reference definitions (`[label]: target`), HTML `href`, `src` and each
 * URL of `srcset`.
 * @param {string} text @returns {Array<{ target: string, line: number }>}
 */
export function links(text) {
	/** @type {Array<{ target: string, line: number }>} */
	const found = [];
	for (const { line, number, fenced } of markdownLines(text)) {
		if (fenced) continue;
		const prose = withoutCodeSpans(line);
		const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(prose);
		if (definition) found.push({ target: definition[1], line: number });
		for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
			found.push({ target: match[1], line: number });
		for (const match of prose.matchAll(/\b(?:href|src)="([^"]+)"/g))
			found.push({ target: match[1], line: number });
		for (const match of prose.matchAll(/\bsrcset="([^"]+)"/g))
			for (const candidate of match[1].split(','))
				found.push({ target: candidate.trim().split(/\s+/)[0], line: number });
	}
	return found;
}

/**
 * Reference-style links (`[text][label]`, `[label][]`) whose label has no `[label]: target`
 * definition: GitHub and npm would show them as plain text. Labels match case-insensitively.
 * @param {string} text @returns {Array<{ label: string, line: number }>}
 */
export function undefinedReferences(text) {
	const lines = markdownLines(text).filter(({ fenced }) => !fenced);
	const defined = new Set(
		lines
			.map(({ line }) => /^ {0,3}\[([^\]]+)\]:/.exec(line)?.[1].toLowerCase())
			.filter((label) => label !== undefined),
	);
	return lines.flatMap(({ line, number }) =>
		[...withoutCodeSpans(line).matchAll(/\[([^\]]+)\]\[([^\]]*)\]/g)]
			.map((match) => (match[2] || match[1]).toLowerCase())
			.filter((label) => !defined.has(label))
			.map((label) => ({ label, line: number })),
	);
}
