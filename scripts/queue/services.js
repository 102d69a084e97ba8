'use strict';
/**
 * Redis and PostgreSQL for the queue-mode suite, started from Debian's binaries in temporary
 * folders on free loopback ports, and stopped by the lab's cleanup (only what we started: each is a
 * tracked child in its own process group). scripts/queue/ensure-services.sh installs the binaries.
 *
 * PostgreSQL refuses to run as root: as root (CI) initdb and postgres run as the `postgres` user
 * the Debian package creates, through `runuser`, on a data folder owned by that user.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const lab = require('../lib/n8n-lab');

/** The newest /usr/lib/postgresql/<major>/bin. */
function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((d) => fs.existsSync(path.join(base, d, 'bin', 'postgres'))) : [];
	lab.assert(majors.length, `no PostgreSQL server under ${base}: run scripts/queue/ensure-services.sh`);
	majors.sort((a, b) => Number(b) - Number(a));
	return path.join(base, majors[0], 'bin');
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
async function waitForPort(port, what, proc, logFile, timeoutMs = 60000) {
	await lab.waitUntil(
		async () => {
			if (proc.exited) throw new Error(`${what} exited (${proc.exited.signal || `code ${proc.exited.code}`}):\n${lab.tailFile(logFile, 30)}`);
			return new Promise((resolve) => {
				const socket = net.connect(port, '127.0.0.1');
				socket.once('connect', () => {
					socket.destroy();
					resolve(true);
				});
				socket.once('error', () => resolve(false));
			});
		},
		{ timeoutMs, intervalMs: 250, what: `${what} listening on port ${port}` },
	);
}

/** `redis-server` on a free port, no persistence. Resolves { host, port, version, proc, stop }. */
async function startRedis() {
	const dir = lab.makeTempDir('queue-redis');
	const port = await lab.freePort();
	const logFile = path.join(dir, 'redis.log');
	const version = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
	const out = fs.openSync(logFile, 'a');
	const proc = lab.spawnTracked(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
		{ stdio: ['ignore', out, out] },
	);
	lab.onCleanup(() => lab.stopProcess(proc, 5000));
	await waitForPort(port, 'redis-server', proc, logFile);
	return { host: '127.0.0.1', port, version, proc, logFile, stop: () => lab.stopProcess(proc, 5000) };
}

/**
 * `initdb` + `postgres` on a free port (socket in the data's parent folder), trust auth for the
 * user `n8n`, database `n8n`. Durability is off (a test database). Resolves { host, port, user,
 * database, version, proc, stop }.
 */
async function startPostgres() {
	const bin = postgresBinDir();
	const dir = lab.makeTempDir('queue-postgres');
	const asRoot = process.getuid && process.getuid() === 0;
	if (asRoot) execFileSync('chown', ['postgres', dir]);
	const as = (cmd, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
	const data = path.join(dir, 'data');
	const port = await lab.freePort();
	const logFile = path.join(dir, 'postgres.log');
	await lab.run(...as(path.join(bin, 'initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']), { cwd: dir });
	const version = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
	const out = fs.openSync(logFile, 'a');
	const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=200'];
	const proc = lab.spawnTracked(...as(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, ...settings.flatMap((s) => ['-c', s])]), {
		cwd: dir,
		stdio: ['ignore', out, out],
	});
	lab.onCleanup(() => lab.stopProcess(proc, 10000));
	await waitForPort(port, 'postgres', proc, logFile);
	// Accepting connections can lag the socket by a moment (startup recovery): retry createdb.
	await lab.waitUntil(
		async () => {
			try {
				await lab.run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], { cwd: dir });
				return true;
			} catch (err) {
				if (/already exists/.test(err.message)) return true;
				if (proc.exited) throw err;
				return false;
			}
		},
		{ timeoutMs: 60000, intervalMs: 500, what: 'createdb n8n' },
	);
	return { host: '127.0.0.1', port, user: 'n8n', database: 'n8n', version, proc, logFile, stop: () => lab.stopProcess(proc, 10000) };
}

module.exports = { startRedis, startPostgres };
