/**
 * Build steps around `tsc` (`npm run build` = `gulp clean` + `tsc` + `gulp build:assets`):
 * - clean: removes dist/ first, so a renamed or deleted source never leaves a stale file to be packed;
 * - build:assets: copies what tsc does not emit: the SVG icons (icons/, nodes/, credentials/) and the
 *   node codex JSON (<Node>.node.json, which n8n reads next to <Node>.node.js).
 * tsc runs without `incremental` (its tsconfig.tsbuildinfo would land in dist/ and ship) and without
 * package.json in its inputs (it would be copied to dist/package.json and ship too).
 */
const { rmSync } = require('node:fs');
const { src, dest, parallel } = require('gulp');

function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

function copyIcons() {
	return src(['icons/**/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function copyCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports.clean = clean;
exports['build:assets'] = parallel(copyIcons, copyCodex);
