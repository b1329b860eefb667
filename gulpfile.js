/**
 * Copies the assets tsc does not emit into dist/: the SVG icons (icons/, nodes/, credentials/) and
 * the node codex JSON (<Node>.node.json, which n8n reads next to <Node>.node.js).
 * `npm run build` = `tsc` + this task.
 */
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(['icons/**/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function copyCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports['build:assets'] = parallel(copyIcons, copyCodex);
