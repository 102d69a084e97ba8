#!/usr/bin/env node
'use strict';
/**
 * `npm run test:queue`: makes sure Redis and PostgreSQL are installed (scripts/queue/ensure-services.sh),
 * then runs the queue-mode suite (test/queue/*.test.js) under node's test runner. Every argument goes
 * to `node --test` (e.g. --test-name-pattern=events, --test-reporter=tap --test-reporter-destination=queue.tap).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const services = spawnSync('bash', [path.join(__dirname, 'ensure-services.sh')], { stdio: 'inherit' });
if (services.status !== 0) process.exit(services.status || 1);

const dir = path.join(root, 'test', 'queue');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).map((f) => path.join('test', 'queue', f));
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], { stdio: 'inherit', cwd: root });
// The suite stops its n8n processes, Redis and PostgreSQL on SIGTERM/SIGINT: pass them on.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code === null ? 1 : code));
