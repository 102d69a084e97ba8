#!/usr/bin/env node
'use strict';
/**
 * `npm run test:ui`: makes sure Chromium is there (scripts/ui/ensure-chromium.sh), then runs the UI
 * suite (test/ui/*.test.js) under node's test runner. `--update-screenshots` also writes the
 * screenshots to docs/screenshots/; every other argument goes to `node --test` (e.g.
 * --test-name-pattern=credential, --test-reporter=tap --test-reporter-destination=ui.tap).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const env = { ...process.env };
const update = args.indexOf('--update-screenshots');
if (update !== -1) {
	args.splice(update, 1);
	env.UPDATE_SCREENSHOTS = '1';
}

const chromium = spawnSync('bash', [path.join(__dirname, 'ensure-chromium.sh')], { stdio: 'inherit', env });
if (chromium.status !== 0) process.exit(chromium.status || 1);

const dir = path.join(root, 'test', 'ui');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).map((f) => path.join('test', 'ui', f));
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...args, ...files], { stdio: 'inherit', env, cwd: root });
// The suite stops its n8n and Chromium on SIGTERM/SIGINT: pass them on.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code === null ? 1 : code));
