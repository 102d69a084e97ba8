#!/usr/bin/env node
'use strict';
/**
 * `npm run test:ui`: makes sure Chromium is there (scripts/ui/ensure-chromium.sh), the package is
 * built and n8n is installed, then runs the UI suite (test/ui/*.test.js) under node's test runner.
 * All files run in one process (`--test-isolation=none`, on the Node 24 that n8n's install brings)
 * so that they share one n8n and one browser (test/ui/session.js). `--update-screenshots` also
 * writes the screenshots to docs/screenshots/; every other argument goes to `node --test` (e.g.
 * --test-name-pattern=credential, --test-reporter=tap --test-reporter-destination=ui.tap, or
 * test file paths to run only those files).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const lab = require('../lib/n8n-lab');

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const env = { ...process.env };
const update = args.indexOf('--update-screenshots');
if (update !== -1) {
	args.splice(update, 1);
	env.UPDATE_SCREENSHOTS = '1';
}

async function main() {
	const chromium = spawnSync('bash', [path.join(__dirname, 'ensure-chromium.sh')], { stdio: 'inherit', env });
	if (chromium.status !== 0) process.exit(chromium.status || 1);
	// Built before the files load: operations.test.js makes one test per operation from dist/.
	await lab.ensureBuilt();
	const { nodeBin } = await lab.ensureN8n();

	const given = args.filter((a) => a.endsWith('.test.js'));
	const options = args.filter((a) => !a.endsWith('.test.js'));
	const dir = path.join(root, 'test', 'ui');
	const files = given.length > 0 ? given : fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join('test', 'ui', f));
	const child = spawn(nodeBin, ['--test', '--test-isolation=none', ...options, ...files], { stdio: 'inherit', env, cwd: root });
	// The suite stops its n8n and Chromium on SIGTERM/SIGINT: pass them on.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
	child.on('exit', (code) => process.exit(code === null ? 1 : code));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
