#!/usr/bin/env node
'use strict';
/**
 * Checks the package tarball that a release publishes.
 *
 *   npm run pack:check                          # build + pack (as a release does) into a temp folder, then check
 *   node scripts/check-package.js <file.tgz>    # check a tarball made before (what .ci/run does)
 *
 * Fails (exit 1) when the tarball lacks a built node, credential, codex file or icon that
 * package.json's "n8n" section and the built code refer to, lacks LICENSE, README.md or
 * package.json, holds anything else (tests, sources, source maps, declarations, scratch files),
 * is over MAX_PACKED_BYTES, or breaks one of n8n's verification rules that can be checked offline
 * (no runtime dependencies, MIT licence). Loads each listed class from the unpacked tarball as n8n
 * does, with the project's n8n-workflow. Prints the packed size, the unpacked size and the file count.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');

// A guard against growth (source maps coming back made 136 kB), not a target: the bundled code
// alone gzips to about 73 kB and the README to about 23 kB (README.md, "Releasing").
const MAX_PACKED_BYTES = 120 * 1000;

/** Files a release ships besides what n8n loads: npm adds package.json, README.md and LICENSE itself. */
const TOP_LEVEL = ['package.json', 'README.md', 'LICENSE', 'index.js'];

function packRelease() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-suite-pack-'));
	// --ignore-scripts=false: the project's .npmrc turns scripts off, and prepack is the build.
	execFileSync('npm', ['pack', '--ignore-scripts=false', '--loglevel=warn', '--pack-destination', dir], {
		cwd: ROOT,
		stdio: 'inherit',
	});
	const made = fs.readdirSync(dir).filter((f) => f.endsWith('.tgz'));
	if (made.length !== 1) throw new Error(`npm pack made ${made.length} tarballs in ${dir}`);
	return path.join(dir, made[0]);
}

/** Reads a .tgz into { name: Buffer } without a tar dependency (ustar, GNU long names, pax paths). */
function readTarball(file) {
	const tar = zlib.gunzipSync(fs.readFileSync(file));
	const files = {};
	let longName = null;
	for (let offset = 0; offset + 512 <= tar.length; ) {
		const header = tar.subarray(offset, offset + 512);
		if (header.every((b) => b === 0)) break;
		const field = (start, length) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
		const size = parseInt(field(124, 12).trim() || '0', 8);
		const type = field(156, 1) || '0';
		const prefix = field(345, 155);
		const name = longName || (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
		const body = tar.subarray(offset + 512, offset + 512 + size);
		longName = null;
		if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
		else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1] || null;
		else if (type === '0' || type === '7') files[name.replace(/^package\//, '')] = body;
		offset += 512 + Math.ceil(size / 512) * 512;
	}
	return files;
}

/** Relative files a shipped .js file requires, as paths inside the package. */
function requiredFiles(jsFile, source) {
	const found = [];
	for (const m of source.matchAll(/require\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
		let file = path.posix.normalize(path.posix.join(path.posix.dirname(jsFile), m[1]));
		if (!/\.js$/.test(file)) file += '.js';
		found.push(file);
	}
	return found;
}

/** Every file the shipped .js files reach from `starts` through relative requires. */
function reachableCode(starts, files) {
	const seen = new Set();
	const queue = [...starts];
	while (queue.length) {
		const file = queue.shift();
		if (seen.has(file) || !files[file]) continue;
		seen.add(file);
		queue.push(...requiredFiles(file, files[file].toString('utf8')));
	}
	return seen;
}

/**
 * Instantiates each class package.json's "n8n" section lists, from the unpacked tarball, as n8n
 * does (require the file, take the export named like it). Returns { entry: instance or Error }.
 */
function loadEntries(entries, files) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-suite-unpacked-'));
	for (const [name, body] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
		fs.writeFileSync(path.join(dir, name), body);
	}
	// n8n gives a community package its own n8n-workflow; the project's stands in for it.
	fs.mkdirSync(path.join(dir, 'node_modules'));
	fs.symlinkSync(path.join(ROOT, 'node_modules', 'n8n-workflow'), path.join(dir, 'node_modules', 'n8n-workflow'), 'dir');
	const loaded = {};
	try {
		for (const entry of entries) {
			try {
				const className = path.posix.basename(entry).split('.')[0];
				const Class = require(path.join(dir, entry))[className];
				if (typeof Class !== 'function') throw new Error(`it exports no class ${className}`);
				loaded[entry] = new Class();
			} catch (error) {
				loaded[entry] = error;
			}
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	return loaded;
}

/** The `file:` icons a node or credential names, as paths inside the package. */
function iconPaths(entry, instance) {
	const icon = instance.description ? instance.description.icon : instance.icon;
	const names = typeof icon === 'string' ? [icon] : Object.values(icon || {});
	return names
		.filter((name) => typeof name === 'string' && name.startsWith('file:'))
		.map((name) => path.posix.normalize(path.posix.join(path.posix.dirname(entry), name.slice('file:'.length))));
}

/** The documentation links n8n opens: a credential's documentationUrl, a node's codex resources. */
function docsUrls(entry, instance, files) {
	const urls = [instance.documentationUrl, instance.description?.documentationUrl].filter(Boolean);
	const codex = entry.replace(/\.node\.js$/, '.node.json');
	if (codex !== entry && files[codex]) {
		const resources = JSON.parse(files[codex].toString('utf8')).resources || {};
		for (const list of Object.values(resources)) for (const r of list) urls.push(r.url);
	}
	return urls;
}

function check(files) {
	const problems = [];
	const names = Object.keys(files).sort();
	const has = (name) => Object.prototype.hasOwnProperty.call(files, name);

	for (const name of TOP_LEVEL) if (!has(name)) problems.push(`missing ${name}`);

	const pj = has('package.json') ? JSON.parse(files['package.json'].toString('utf8')) : {};
	const entries = [...(pj.n8n?.nodes || []), ...(pj.n8n?.credentials || [])];
	if (!pj.n8n?.nodes?.length || !pj.n8n?.credentials?.length) {
		problems.push('package.json\'s "n8n" section lists no nodes or no credentials');
	}
	const expected = new Set([...TOP_LEVEL, ...reachableCode([...entries, 'index.js'], files)]);
	const loaded = loadEntries(entries.filter(has), files);
	for (const entry of entries) {
		if (!has(entry)) {
			problems.push(`missing ${entry} (listed in package.json's "n8n" section; was the package built?)`);
			continue;
		}
		for (const file of requiredFiles(entry, files[entry].toString('utf8'))) {
			if (!has(file)) problems.push(`missing ${file} (required by ${entry})`);
		}
		if (entry.endsWith('.node.js')) {
			const codex = entry.replace(/\.js$/, '.json');
			expected.add(codex);
			if (!has(codex)) problems.push(`missing ${codex} (the node's codex: categories and docs links)`);
		}
		const instance = loaded[entry];
		if (instance instanceof Error) {
			problems.push(`${entry} does not load as n8n loads it: ${instance.message.split('\n')[0]}`);
			continue;
		}
		for (const url of docsUrls(entry, instance, files)) {
			if (url.includes('#')) problems.push(`${entry}: docs link ${url} has a #fragment; n8n appends its query after it, which breaks the link`);
		}
		const icons = iconPaths(entry, instance);
		if (!icons.length) problems.push(`${entry} names no file: icon`);
		for (const icon of icons) {
			expected.add(icon);
			if (!has(icon)) problems.push(`missing ${icon} (icon of ${entry})`);
		}
	}
	// The icons of a class that did not load are unknown: only its load error is reported then.
	const allLoaded = entries.every((entry) => loaded[entry] && !(loaded[entry] instanceof Error));
	const unexpected = names.filter((n) => !expected.has(n) && (allLoaded || !/\.(svg|png)$/.test(n)));
	if (unexpected.length) {
		problems.push(`files that must not ship (tests, sources, maps, declarations, scratch, leftovers of an older build): ${unexpected.join(', ')}`);
	}
	if (has('index.js')) {
		const required = [...files['index.js'].toString('utf8').matchAll(/require\('\.\/([^']+)'\)/g)].map((m) => `${m[1]}.js`);
		for (const file of required) if (!has(file)) problems.push(`index.js requires ${file}, which is not in the package`);
		for (const entry of entries) if (!required.includes(entry)) problems.push(`index.js does not export ${entry}`);
	}

	// n8n's verification rules that need no network (the lint runs the others on the sources).
	if (pj.license !== 'MIT') problems.push(`package.json "license" is ${JSON.stringify(pj.license)}, not "MIT"`);
	if (has('LICENSE') && !/^MIT License\b/.test(files.LICENSE.toString('utf8'))) problems.push('LICENSE is not the MIT licence');
	for (const field of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
		const value = pj[field];
		if (value && Object.keys(value).length) problems.push(`package.json has ${field} (${Object.keys(value).join(', ')}): a community node may have no runtime dependencies`);
	}
	const peers = Object.keys(pj.peerDependencies || {}).filter((p) => p !== 'n8n-workflow');
	if (peers.length) problems.push(`peerDependencies other than n8n-workflow: ${peers.join(', ')}`);
	return problems;
}

function main() {
	const arg = process.argv[2];
	const tarball = arg ? path.resolve(arg) : packRelease();
	const files = readTarball(tarball);
	const packed = fs.statSync(tarball).size;
	const unpacked = Object.values(files).reduce((sum, body) => sum + body.length, 0);
	const count = Object.keys(files).length;
	const problems = check(files);
	if (packed > MAX_PACKED_BYTES) {
		problems.push(`packed size ${(packed / 1000).toFixed(1)} kB is over the budget of ${MAX_PACKED_BYTES / 1000} kB`);
	}

	console.log(`tarball: ${tarball}`);
	console.log(`size: ${(packed / 1000).toFixed(1)} kB packed, ${(unpacked / 1000).toFixed(1)} kB unpacked, ${count} files`);
	if (problems.length) {
		for (const p of problems) console.log(`FAIL ${p}`);
		process.exit(1);
	}
	console.log('package check passed: built nodes, credentials, codex files and icons, LICENSE, README.md, package.json; nothing else; MIT; no runtime dependencies');
}

main();
