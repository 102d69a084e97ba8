#!/usr/bin/env node
'use strict';
/**
 * Builds the code n8n loads: one CommonJS bundle of every node and credential class,
 * dist/mattermost-suite.js, and at each path package.json's "n8n" section lists a small file that
 * exports that path's class from the bundle. n8n requires the listed file and finds the icons and
 * the codex file next to it, so those stay where they are (gulpfile.js copies them).
 *
 * One bundle instead of one per entry: the trigger and the credentials use the action node's
 * transport and helpers, and bundling each entry alone would ship that code up to three times
 * (issue 10 point 2: the package must stay small).
 *
 * The bundle is not minified and keeps every name, so the code n8n runs reads like the sources
 * (esbuild marks where each source file begins). Type checking is `tsc --noEmit` in `npm run build`.
 */

const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = 'dist/mattermost-suite.js';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const entries = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((file) => ({
	file,
	source: `./${file.replace(/^dist\//, '').replace(/\.js$/, '')}`,
	// n8n requires the file and takes the export named like the file (Foo.node.js exports Foo).
	className: path.basename(file).split('.')[0],
}));

function stub({ file, className }) {
	const bundle = path.posix.relative(path.posix.dirname(file), BUNDLE);
	return [
		"'use strict';",
		`// n8n loads this file (package.json "n8n"). The code is in ${BUNDLE}, built by scripts/bundle.js`,
		`// from ${file.replace(/^dist\//, '').replace(/\.js$/, '.ts')}.`,
		`module.exports = { ${className}: require('${bundle}').${className} };`,
		'',
	].join('\n');
}

const options = {
	absWorkingDir: ROOT,
	stdin: {
		contents: entries.map((e) => `export { ${e.className} } from '${e.source}';`).join('\n'),
		resolveDir: ROOT,
		sourcefile: 'package.json "n8n" section',
		loader: 'ts',
	},
	outfile: BUNDLE,
	bundle: true,
	platform: 'node',
	format: 'cjs',
	// The oldest Node the package supports (package.json "engines").
	target: 'node20',
	// n8n gives the package its own n8n-workflow; Node's built-ins are external on platform node.
	external: ['n8n-workflow'],
	tsconfig: 'tsconfig.json',
	legalComments: 'none',
	logLevel: 'warning',
	metafile: true,
};

function writeEntryFiles() {
	for (const entry of entries) {
		fs.mkdirSync(path.dirname(path.join(ROOT, entry.file)), { recursive: true });
		fs.writeFileSync(path.join(ROOT, entry.file), stub(entry));
	}
}

async function main() {
	if (process.argv.includes('--watch')) {
		writeEntryFiles();
		const context = await esbuild.context({ ...options, logLevel: 'info' });
		await context.watch();
		return;
	}
	const result = await esbuild.build(options);
	writeEntryFiles();
	const output = result.metafile.outputs[BUNDLE];
	const modules = Object.keys(output.inputs).length;
	console.log(`${BUNDLE}: ${modules} modules, ${(output.bytes / 1000).toFixed(1)} kB; ${entries.length} entry files`);
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
