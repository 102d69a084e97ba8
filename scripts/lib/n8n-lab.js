'use strict';
/**
 * Shared helpers for driving a real n8n (pinned: 2.41.1 on Node 24 by default, or a 1.x on Node 22,
 * both from the npm registry) with this package loaded exactly as a community install loads it.
 * Used by the real-n8n test files (test/e2e, test/ui, run by node's test runner), scripts/e2e.js
 * (their per-version wrapper) and scripts/start.js.
 *
 * Runs on the system Node (>= 20). n8n itself runs as child processes on the Node its line needs.
 * One n8n version is current at a time (the last `ensureN8n`); the REST helpers follow its API.
 * Every child is spawned detached (own process group) and tracked, so that cleanup() — also run
 * on SIGINT/SIGTERM/uncaught errors — kills whole groups (n8n + its task runner), never by name.
 */

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const PACKAGE_NAME = PKG.name;
const NODE_TYPE = `${PACKAGE_NAME}.mattermostSuite`;
const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.mattermostSuiteTrigger`;
const CREDENTIAL_TYPE = 'mattermostSuiteApi';
const OAUTH2_CREDENTIAL_TYPE = 'mattermostSuiteOAuth2Api';
const READY_LINE = 'Editor is now accessible';
/** The n8n `npm start` and a plain `npm run test:e2e` use; scripts/install-n8n.sh has the same default. */
const DEFAULT_N8N_VERSION = '2.41.1';

// ---------------------------------------------------------------------------------------------
// Logging and timing
// ---------------------------------------------------------------------------------------------

const t0 = Date.now();
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const green = (s) => paint(32, s);
const red = (s) => paint(31, s);
const bold = (s) => paint(1, s);
const dim = (s) => paint(2, s);

function secs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

function log(...args) {
	const stamp = dim(`[${secs(Date.now() - t0).padStart(7)}]`);
	console.log(stamp, ...args);
}

function assert(cond, message, detail) {
	if (!cond) {
		const err = new Error(message + (detail !== undefined ? `\n${stringify(detail)}` : ''));
		throw err;
	}
}

function stringify(v) {
	if (typeof v === 'string') return v;
	try {
		const s = JSON.stringify(v, null, 2);
		return s.length > 4000 ? s.slice(0, 4000) + '\n…(truncated)' : s;
	} catch {
		return String(v);
	}
}

// ---------------------------------------------------------------------------------------------
// Processes, temp folders, cleanup
// ---------------------------------------------------------------------------------------------

const children = new Set();
const cleanups = [];
const tempDirs = [];
let cleaningUp = null;

function keepTemp() {
	return process.env.E2E_KEEP === '1';
}

/** Registers an async cleanup function (run in reverse order by cleanup()). */
function onCleanup(fn) {
	cleanups.push(fn);
	return fn;
}

function makeTempDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
	tempDirs.push(dir);
	return dir;
}

/** Spawns a detached (own process group) child and tracks it for cleanup. */
function spawnTracked(cmd, args, opts = {}) {
	if (cleaningUp) throw new Error(`not starting ${path.basename(cmd)}: shutting down`);
	const child = spawn(cmd, args, { ...opts, detached: true });
	children.add(child);
	child.exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			child.exited = { code, signal };
			resolve(child.exited);
		});
		child.on('error', (err) => {
			child.exited = child.exited || { code: null, signal: null, error: err };
			resolve(child.exited);
		});
	});
	child.closePromise = new Promise((resolve) => child.on('close', resolve));
	child.exitPromise.then(() => {
		// The leader is gone; anything left in its group (task runner) is killed for good.
		killGroup(child, 'SIGKILL');
		children.delete(child);
	});
	return child;
}

function killGroup(child, signal) {
	if (!child || !child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* already gone */
	}
}

/** SIGTERM to the process group, wait up to graceMs, then SIGKILL the group. */
async function stopProcess(child, graceMs = 10000) {
	if (!child) return;
	if (!child.exited) {
		killGroup(child, 'SIGTERM');
		let timer;
		await Promise.race([
			child.exitPromise,
			new Promise((r) => {
				timer = setTimeout(r, graceMs);
			}),
		]);
		clearTimeout(timer);
	}
	killGroup(child, 'SIGKILL');
	if (!child.exited) await Promise.race([child.exitPromise, sleep(2000)]);
	children.delete(child);
}

/** Stops every tracked process, runs registered cleanups, removes temp folders. Idempotent. */
function cleanup() {
	if (cleaningUp) return cleaningUp;
	cleaningUp = (async () => {
		for (const fn of cleanups.splice(0).reverse()) {
			try {
				await fn();
			} catch (err) {
				console.error('cleanup error:', err && err.message);
			}
		}
		await Promise.all([...children].map((c) => stopProcess(c, 8000)));
		for (const dir of tempDirs.splice(0)) {
			if (keepTemp()) {
				log(`kept ${dir} (E2E_KEEP=1)`);
				continue;
			}
			try {
				fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
			} catch (err) {
				console.error(`could not remove ${dir}: ${err.message}`);
			}
		}
	})();
	return cleaningUp;
}

let handlersInstalled = false;
/**
 * On SIGINT/SIGTERM/uncaught errors: stop everything and exit. A second signal kills hard.
 * `beforeExit` (optional) runs first, e.g. to print log tails.
 */
function installSignalHandlers({ onSignal } = {}) {
	if (handlersInstalled) return;
	handlersInstalled = true;
	let signalled = 0;
	const handle = (signal, code) => {
		signalled++;
		if (signalled > 1) {
			for (const c of children) killGroup(c, 'SIGKILL');
			process.exit(code);
		}
		console.log(`\n${signal}: stopping everything…`);
		Promise.resolve()
			.then(() => onSignal && onSignal(signal))
			.catch(() => {})
			.then(cleanup)
			.finally(() => process.exit(code));
	};
	process.on('SIGINT', () => handle('SIGINT', 130));
	process.on('SIGTERM', () => handle('SIGTERM', 143));
	process.on('SIGHUP', () => handle('SIGHUP', 129));
	const fatal = (err) => {
		console.error(red('fatal:'), (err && err.stack) || err);
		cleanup().finally(() => process.exit(1));
	};
	process.on('uncaughtException', fatal);
	process.on('unhandledRejection', fatal);
	// Last resort if something calls process.exit() directly: no orphans.
	process.on('exit', () => {
		for (const c of children) killGroup(c, 'SIGKILL');
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1 (bind :0, read it, close). */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** `preferred` if it can be bound on 127.0.0.1 (and nothing answers on it), else a free one. */
async function preferredPort(preferred) {
	const canBind = await new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(preferred, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
	return canBind ? preferred : freePort();
}

/** Runs a command to completion (not detached from our cleanup), capturing output. */
function run(cmd, args, { cwd = ROOT, env = process.env, inheritStderr = false, timeoutMs = 0 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawnTracked(cmd, args, {
			cwd,
			env,
			stdio: ['ignore', 'pipe', inheritStderr ? 'inherit' : 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		if (child.stderr) child.stderr.on('data', (d) => (stderr += d));
		let timer;
		if (timeoutMs) {
			timer = setTimeout(() => {
				killGroup(child, 'SIGKILL');
			}, timeoutMs);
		}
		child.exitPromise.then(async ({ code, signal, error }) => {
			clearTimeout(timer);
			await Promise.race([child.closePromise, sleep(3000)]);
			if (error) return reject(error);
			if (code !== 0) {
				const err = new Error(
					`${cmd} ${args.join(' ')} failed (${signal || `exit ${code}`})\n${tail(stderr || stdout, 40)}`,
				);
				err.stdout = stdout;
				err.stderr = stderr;
				return reject(err);
			}
			resolve({ stdout, stderr });
		});
	});
}

function tail(text, lines = 60) {
	return String(text).split('\n').slice(-lines).join('\n');
}

function tailFile(file, lines = 60) {
	try {
		return tail(fs.readFileSync(file, 'utf8'), lines);
	} catch {
		return `(no ${file})`;
	}
}

// ---------------------------------------------------------------------------------------------
// Build, install n8n, pack and install the package
// ---------------------------------------------------------------------------------------------

function newestMtime(dir) {
	let newest = 0;
	if (!fs.existsSync(dir)) return 0;
	const walk = (d) => {
		for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, entry.name);
			if (entry.isDirectory()) walk(p);
			else newest = Math.max(newest, fs.statSync(p).mtimeMs);
		}
	};
	walk(dir);
	return newest;
}

/** Runs `npm run build` when dist/ lacks what package.json's "n8n" section lists, or is older than the sources. */
async function ensureBuilt({ force = false } = {}) {
	const listed = [...(PKG.n8n?.nodes || []), ...(PKG.n8n?.credentials || [])];
	const missing = listed.filter((f) => !fs.existsSync(path.join(ROOT, f)));
	const srcNewest = Math.max(newestMtime(path.join(ROOT, 'nodes')), newestMtime(path.join(ROOT, 'credentials')));
	const stale = !missing.length && srcNewest > newestMtime(path.join(ROOT, 'dist'));
	if (!force && !missing.length && !stale) return { built: false };
	const why = force ? 'forced' : missing.length ? `missing ${missing.join(', ')}` : 'sources are newer than dist/';
	log(`building the package (${why}): npm run build`);
	await run('npm', ['run', 'build'], { inheritStderr: true });
	const still = listed.filter((f) => !fs.existsSync(path.join(ROOT, f)));
	assert(!still.length, `build finished but ${still.join(', ')} is missing`);
	return { built: true };
}

let install = null;
const installs = new Map();

/**
 * Installs (once, cached outside the clone) the pinned n8n and the Node its line needs via
 * scripts/install-n8n.sh, and makes it the current one. Returns
 * { nodeBinDir, nodeBin, n8nDir, n8nBin, version, major }.
 */
async function ensureN8n({ version = DEFAULT_N8N_VERSION } = {}) {
	if (!installs.has(version)) {
		const script = path.join(ROOT, 'scripts', 'install-n8n.sh');
		const { stdout } = await run('bash', [script], { inheritStderr: true, env: { ...process.env, N8N_VERSION: version } });
		const last = stdout.trim().split('\n').pop() || '';
		const m = /NODE_BIN_DIR=(\S+)\s+N8N_DIR=(\S+)/.exec(last);
		assert(m, `unexpected output from install-n8n.sh: ${last}`);
		const [, nodeBinDir, n8nDir] = m;
		const n8nBin = path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
		const installed = JSON.parse(fs.readFileSync(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
		assert(installed === version, `${n8nDir} holds n8n ${installed}, not ${version}`);
		installs.set(version, { nodeBinDir, nodeBin: path.join(nodeBinDir, 'node'), n8nDir, n8nBin, version, major: Number(version.split('.')[0]) });
	}
	install = installs.get(version);
	return install;
}

function requireInstall() {
	assert(install, 'call ensureN8n() first');
	return install;
}

/** Whether the current n8n is of the 1.x line, whose REST API differs in places (see NOTES). */
function isN8n1() {
	return requireInstall().major === 1;
}

/** Loads a module from n8n's own node_modules (e.g. 'flatted' to decode execution data). */
function requireFromN8n(id) {
	const { n8nDir } = requireInstall();
	return createRequire(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'))(id);
}

/**
 * The tarball to install: MM_SUITE_TARBALL when set (CI packs once from its clean clone), else
 * `npm pack` of the working copy into destDir.
 */
async function packageTarball(destDir) {
	const given = process.env.MM_SUITE_TARBALL;
	if (!given) return packPackage(destDir);
	const tarball = path.resolve(given);
	assert(fs.existsSync(tarball), `MM_SUITE_TARBALL=${given}: no such file`);
	return tarball;
}

/** `npm pack` the project into destDir; returns the tarball path. */
async function packPackage(destDir) {
	fs.mkdirSync(destDir, { recursive: true });
	const before = new Set(fs.readdirSync(destDir));
	await run('npm', ['pack', '--pack-destination', destDir, '--loglevel=error'], {});
	const made = fs.readdirSync(destDir).filter((f) => f.endsWith('.tgz') && !before.has(f));
	assert(made.length === 1, `npm pack made ${made.length} tarballs in ${destDir}`);
	return path.join(destDir, made[0]);
}

/**
 * Makes (or refreshes) an n8n user folder with the tarball installed as n8n's community-package
 * installer does: extracted into <dir>/.n8n/nodes/node_modules/<name> with --strip-components=1,
 * dev/peer/optional dependencies removed from its package.json, its runtime dependencies
 * installed, and <dir>/.n8n/nodes/package.json listing it.
 */
async function createUserFolder({ tarball, dir } = {}) {
	const userFolder = dir || makeTempDir('n8n-e2e-user');
	const n8nFolder = path.join(userFolder, '.n8n');
	const nodesDir = path.join(n8nFolder, 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', ...PACKAGE_NAME.split('/'));
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	if (tarball) {
		execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
		const pjPath = path.join(packageDir, 'package.json');
		// n8n installs community packages without their development and peer dependencies.
		const pj = JSON.parse(fs.readFileSync(pjPath, 'utf8'));
		for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete pj[field];
		fs.writeFileSync(pjPath, JSON.stringify(pj, null, 2));
		if (pj.dependencies && Object.keys(pj.dependencies).length) {
			log(`installing the package's runtime dependencies: ${Object.keys(pj.dependencies).join(', ')}`);
			await run(
				'npm',
				['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=error'],
				{ cwd: packageDir },
			);
		}
		const listPath = path.join(nodesDir, 'package.json');
		let list = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			list = JSON.parse(fs.readFileSync(listPath, 'utf8'));
			list.dependencies = list.dependencies || {};
		} catch {
			/* new folder */
		}
		list.dependencies[PACKAGE_NAME] = pj.version;
		fs.writeFileSync(listPath, JSON.stringify(list, null, 2));
	}
	return { userFolder, n8nFolder, nodesDir, packageDir };
}

// ---------------------------------------------------------------------------------------------
// Running n8n
// ---------------------------------------------------------------------------------------------

/** The environment every n8n process gets (see NOTES: these avoid outbound calls and prompts). */
function n8nEnv({ userFolder, port, brokerPort, encryptionKey, extra = {} } = {}) {
	const { nodeBinDir } = requireInstall();
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		// npm run-script variables (npm_config_nodedir points at Node 20 headers) stay out.
		if (!/^npm_/i.test(k)) env[k] = v;
	}
	Object.assign(env, {
		PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH || ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_LOG_OUTPUT: 'console',
	});
	// 2.x calls out to the MCP registry at start; 1.x has no such module and refuses the name.
	if (!isN8n1()) env.N8N_DISABLED_MODULES = 'mcp-registry';
	if (port) env.N8N_PORT = String(port);
	if (brokerPort) env.N8N_RUNNERS_BROKER_PORT = String(brokerPort);
	if (encryptionKey) env.N8N_ENCRYPTION_KEY = encryptionKey;
	Object.assign(env, extra);
	return env;
}

/**
 * Runs one n8n CLI command (import:*, execute, …) of the current n8n to completion.
 * opts: { userFolder, encryptionKey, env (extra vars), timeoutMs, logFile }.
 * Resolves { code, signal, stdout, stderr, ms } (does not throw on a non-zero exit).
 * A free N8N_RUNNERS_BROKER_PORT is always given, so it never clashes with a running server.
 */
async function runN8nCli(args, { userFolder, encryptionKey, env = {}, timeoutMs = 180000, logFile } = {}) {
	const { nodeBin, n8nBin } = requireInstall();
	const brokerPort = await freePort();
	const fullEnv = n8nEnv({ userFolder, brokerPort, encryptionKey, extra: env });
	const start = Date.now();
	const child = spawnTracked(nodeBin, [n8nBin, ...args], { cwd: userFolder, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child, 'SIGKILL');
	}, timeoutMs);
	const { code, signal, error } = await child.exitPromise;
	clearTimeout(timer);
	await Promise.race([child.closePromise, sleep(3000)]); // rest of the output
	const ms = Date.now() - start;
	if (logFile) {
		fs.appendFileSync(
			logFile,
			`\n===== n8n ${args.join(' ')} → ${timedOut ? 'TIMEOUT' : signal || `exit ${code}`} (${secs(ms)})\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`,
		);
	}
	if (error) throw error;
	return { code: timedOut ? null : code, signal, timedOut, stdout, stderr, ms };
}

/** Extracts the JSON object that `n8n execute --rawOutput` prints after its log lines. */
function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	const first = lines.findIndex((l) => l.trimEnd() === '{');
	let last = -1;
	for (let i = lines.length - 1; i >= 0; i--) {
		if (lines[i].trimEnd() === '}') {
			last = i;
			break;
		}
	}
	if (first >= 0 && last > first) {
		return JSON.parse(lines.slice(first, last + 1).join('\n'));
	}
	const i = stdout.indexOf('{');
	const j = stdout.lastIndexOf('}');
	assert(i >= 0 && j > i, 'no JSON object in n8n execute output', tail(stdout, 30));
	return JSON.parse(stdout.slice(i, j + 1));
}

/** What each long-running n8n command logs once it serves (queue mode adds `worker` and `webhook`). */
const READY_LINES = { start: READY_LINE, worker: 'n8n worker is now ready', webhook: 'Webhook listener waiting for requests' };

/**
 * Starts `n8n start` (or `command`: `worker`, `webhook`) and resolves once its log says it is
 * ready ("Editor is now accessible" for start). A worker serves no HTTP, so only start and webhook
 * are checked on /healthz.
 * opts: { userFolder, port, encryptionKey, env (extra vars), logFile, readyTimeoutMs, command }.
 * Returns { url, port, brokerPort, proc, logFile, stop(), logTail(n) }.
 */
async function startN8n({ userFolder, port, encryptionKey, env = {}, logFile, readyTimeoutMs = 180000, command = 'start' } = {}) {
	const { nodeBin, n8nBin } = requireInstall();
	port = port || (await freePort());
	const brokerPort = await freePort();
	const fullEnv = n8nEnv({ userFolder, port, brokerPort, encryptionKey, extra: env });
	logFile = logFile || path.join(userFolder, command === 'start' ? 'n8n-server.log' : `n8n-${command}.log`);
	const out = fs.createWriteStream(logFile, { flags: 'a' });
	const readyLine = READY_LINES[command];
	assert(readyLine, `startN8n: unknown command ${command}`);
	const child = spawnTracked(nodeBin, [n8nBin, command], { cwd: userFolder, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	let seen = '';
	let ready = false;
	const readyPromise = new Promise((resolve) => {
		const onData = (d) => {
			out.write(d);
			if (!ready) {
				seen = (seen + d).slice(-20000);
				if (seen.includes(readyLine)) {
					ready = true;
					resolve(true);
				}
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
	});
	const url = `http://127.0.0.1:${port}`;
	const server = {
		url,
		port,
		brokerPort,
		proc: child,
		logFile,
		logTail: (n = 60) => tailFile(logFile, n),
		async stop() {
			await stopProcess(child, 10000);
			out.end();
		},
	};
	onCleanup(() => server.stop());
	let timer;
	const outcome = await Promise.race([
		readyPromise,
		child.exitPromise.then((e) => ({ exited: e })),
		new Promise((r) => {
			timer = setTimeout(() => r('timeout'), readyTimeoutMs);
		}),
	]);
	clearTimeout(timer);
	if (outcome !== true) {
		const why = outcome === 'timeout' ? `not ready after ${secs(readyTimeoutMs)}` : `exited (${outcome.exited.signal || `code ${outcome.exited.code}`})`;
		await server.stop();
		throw new Error(`n8n ${command} ${why}; log tail (${logFile}):\n${tailFile(logFile, 40)}`);
	}
	if (command === 'worker') return server;
	// The log line comes as the HTTP server listens; make sure it answers.
	const deadline = Date.now() + 30000;
	for (;;) {
		try {
			const res = await fetch(`${url}/healthz`);
			if (res.ok) break;
		} catch {
			/* not yet */
		}
		if (Date.now() > deadline) throw new Error(`n8n at ${url} does not answer /healthz`);
		await sleep(250);
	}
	return server;
}

// ---------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------

class HttpError extends Error {
	constructor(method, url, status, body) {
		super(`${method} ${url} → HTTP ${status}: ${typeof body === 'string' ? body.slice(0, 1000) : stringify(body)}`);
		this.status = status;
		this.body = body;
	}
}

const BROWSER_ID = crypto.randomUUID();

/**
 * A small JSON client for n8n's REST API with the login cookie. `request` resolves the parsed body
 * (throws HttpError on non-2xx unless opts.allowError). Paths are relative to the n8n URL.
 */
function restClient(url, cookie) {
	const client = {
		url,
		cookie,
		async request(method, p, body, { headers = {}, allowError = false, raw = false } = {}) {
			const res = await fetch(url + p, {
				method,
				headers: {
					accept: 'application/json',
					'browser-id': BROWSER_ID,
					...(body !== undefined ? { 'content-type': 'application/json' } : {}),
					...(client.cookie ? { cookie: client.cookie } : {}),
					...headers,
				},
				body: body !== undefined ? JSON.stringify(body) : undefined,
				redirect: 'manual',
			});
			const setCookie = (res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie') || ''])
				.map((c) => /^(n8n-auth=[^;]*)/.exec(c))
				.filter(Boolean);
			if (setCookie.length) client.cookie = setCookie[setCookie.length - 1][1];
			const text = await res.text();
			if (raw) return { status: res.status, headers: res.headers, text };
			let parsed = text;
			try {
				parsed = text ? JSON.parse(text) : undefined;
			} catch {
				/* not JSON */
			}
			if (!res.ok && !allowError) throw new HttpError(method, p, res.status, parsed);
			return allowError ? { status: res.status, body: parsed } : parsed;
		},
		get: (p, o) => client.request('GET', p, undefined, o),
		post: (p, b, o) => client.request('POST', p, b === undefined ? {} : b, o),
		patch: (p, b, o) => client.request('PATCH', p, b, o),
		put: (p, b, o) => client.request('PUT', p, b, o),
		delete: (p, o) => client.request('DELETE', p, undefined, o),
	};
	return client;
}

const DEFAULT_OWNER = { email: 'owner@example.com', firstName: 'E2e', lastName: 'Owner', password: 'E2e-Passw0rd' };

/** Whether the instance still shows the owner setup (no owner yet). */
async function needsOwnerSetup(url) {
	const settings = await restClient(url).get('/rest/settings');
	return Boolean(settings?.data?.userManagement?.showSetupOnFirstLoad);
}

/** POST /rest/owner/setup; resolves a logged-in restClient. */
async function setupOwner(url, owner = DEFAULT_OWNER) {
	const client = restClient(url);
	await client.post('/rest/owner/setup', {
		email: owner.email,
		firstName: owner.firstName,
		lastName: owner.lastName,
		password: owner.password,
	});
	assert(client.cookie, 'owner setup did not set the n8n-auth cookie');
	return client;
}

/** POST /rest/login; resolves a logged-in restClient. */
async function login(url, { email, password } = DEFAULT_OWNER) {
	const client = restClient(url);
	await client.post('/rest/login', { emailOrLdapLoginId: email, password });
	assert(client.cookie, 'login did not set the n8n-auth cookie');
	return client;
}

/** Sets up the owner if there is none yet, otherwise logs in. */
async function ownerSession(url, owner = DEFAULT_OWNER) {
	return (await needsOwnerSetup(url)) ? setupOwner(url, owner) : login(url, owner);
}

/**
 * "Test" button: POST /rest/credentials/test → { status, message }. n8n 1.x tests only a saved
 * credential (with the data sent merged over it): there the credential is saved first and
 * deleted after.
 */
async function testCredential(client, type, data, name = 'test') {
	if (!isN8n1()) {
		const res = await client.post('/rest/credentials/test', { credentials: { id: '', name, type, data } });
		return res.data;
	}
	const saved = await client.post('/rest/credentials', { name, type, data });
	try {
		const res = await client.post('/rest/credentials/test', { credentials: { id: saved.data.id, name, type, data } });
		return res.data;
	} finally {
		await client.delete(`/rest/credentials/${saved.data.id}`);
	}
}

/**
 * POST /rest/workflows; resolves the saved workflow (with id and versionId). 2.x creates a
 * workflow inactive and takes no `active`; 1.x needs `active: false`.
 */
async function createWorkflow(client, workflow) {
	const { active, ...body } = workflow;
	const res = await client.post('/rest/workflows', isN8n1() ? { ...body, active: false } : body);
	assert(res?.data?.id, 'POST /rest/workflows answered no id', res);
	return res.data;
}

/**
 * Runs a saved workflow manually from its trigger; resolves the execution id. n8n 2.x runs the
 * stored workflow; 1.x runs the workflow the editor sends, so it is read and sent back.
 */
async function runWorkflow(client, workflowId, triggerName) {
	const body = { triggerToStartFrom: { name: triggerName } };
	if (isN8n1()) body.workflowData = (await client.get(`/rest/workflows/${workflowId}`)).data;
	const res = await client.post(`/rest/workflows/${workflowId}/run`, body);
	const id = res?.data?.executionId;
	assert(id, 'POST /run did not answer an executionId', res);
	return id;
}

/**
 * Polls GET /rest/executions/<id> until it is finished or failed; resolves
 * { status, finished, execution, data } where data is the decoded (flatted) run data.
 */
async function waitForExecution(client, executionId, { timeoutMs = 60000 } = {}) {
	const { parse } = requireFromN8n('flatted');
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await client.get(`/rest/executions/${executionId}`, { allowError: true });
		const ex = res.status === 200 ? res.body?.data : undefined;
		if (ex && (ex.finished || ['success', 'error', 'crashed', 'canceled'].includes(ex.status)) && ex.data) {
			const data = typeof ex.data === 'string' ? parse(ex.data) : ex.data;
			return { status: ex.status, finished: ex.finished, execution: ex, data };
		}
		if (Date.now() > deadline) throw new Error(`execution ${executionId} not finished after ${secs(timeoutMs)} (last: ${res.status} ${ex?.status})`);
		await sleep(300);
	}
}

/** The output items (json) of a node in an execution's run data. */
function nodeOutput(runData, nodeName, output = 0) {
	const run = runData?.resultData?.runData?.[nodeName]?.[0];
	return {
		run,
		error: run?.error || runData?.resultData?.error,
		items: (run?.data?.main?.[output] || []).map((i) => i.json),
	};
}

/**
 * Publishes a saved workflow (`POST /rest/workflows/<id>/activate` with its current versionId).
 * n8n 2.41 answers at once (`active: true`) and registers triggers and webhooks afterwards (its
 * workflow publication outbox, drained right away): a trigger's `webhookMethods` run after this
 * resolves, and their errors show in `activationError`, not here. Wait for their effect with
 * `waitUntil`. n8n 1.x registers them before it answers, and answers an error (HttpError) when
 * that fails.
 */
async function activateWorkflow(client, workflowId, versionId) {
	const res = await client.post(`/rest/workflows/${workflowId}/activate`, { versionId });
	return res?.data;
}

/** `POST /rest/workflows/<id>/deactivate`: n8n removes its triggers and webhooks (also through the outbox). */
async function deactivateWorkflow(client, workflowId) {
	const res = await client.post(`/rest/workflows/${workflowId}/deactivate`, {});
	return res?.data;
}

/** The error n8n recorded when it last failed to activate a workflow (`GET /rest/active-workflows/error/<id>`), or undefined. */
async function activationError(client, workflowId) {
	const res = await client.get(`/rest/active-workflows/error/${workflowId}`, { allowError: true });
	return res.status === 200 ? res.body?.data || undefined : undefined;
}

/**
 * n8n 2.x: the messages of the triggers that failed to register once publishing has settled
 * (`GET /rest/workflows/<id>/publication-status`), [] when none failed, undefined while publishing.
 * Only an error's `message` reaches it. (n8n 1.x answers the activation itself with the error.)
 */
async function publicationErrors(client, workflowId) {
	const res = await client.get(`/rest/workflows/${workflowId}/publication-status`);
	const { status, triggers = [] } = res?.data || {};
	if (!['published', 'partial', 'failed'].includes(status)) return undefined;
	return triggers.filter((trigger) => trigger.status === 'failed').map((trigger) => trigger.errorMessage);
}

/**
 * Polls `check` (sync or async) every `intervalMs` until it returns a truthy value, which it
 * resolves; after `timeoutMs` rejects with `what` and, when given, what `explain()` resolves.
 */
async function waitUntil(check, { timeoutMs = 30000, intervalMs = 200, what = 'condition', explain } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) {
			const detail = explain ? await explain() : undefined;
			throw new Error(`${what}: not after ${secs(timeoutMs)}${detail !== undefined ? `\n${stringify(detail)}` : ''}`);
		}
		await sleep(intervalMs);
	}
}

/**
 * The executions of a workflow, newest first (`GET /rest/executions?filter=…`): summaries without
 * data, the first page only (2.x pages with `cursor`, 1.x with `lastId`).
 */
async function listExecutions(client, workflowId, { limit = 50 } = {}) {
	const qs = new URLSearchParams({ filter: JSON.stringify({ workflowId }), limit: String(limit) });
	const res = await client.get(`/rest/executions?${qs}`);
	const data = res?.data;
	return Array.isArray(data) ? data : data?.results || [];
}

/** Every execution of a workflow, optionally filtered further (n8n pages the list by cursor, at most 100 a page). */
async function allExecutions(client, workflowId, filter = {}) {
	const byId = new Map();
	let cursor;
	for (let page = 0; page < 1000; page++) {
		const qs = new URLSearchParams({ filter: JSON.stringify({ workflowId, ...filter }), limit: '100' });
		if (cursor) qs.set('cursor', cursor);
		const data = (await client.get(`/rest/executions?${qs}`))?.data ?? {};
		for (const execution of data.results ?? []) byId.set(execution.id, execution);
		cursor = data.nextCursor;
		if (!cursor) break;
	}
	return [...byId.values()];
}

/** Runs `task(item, index)` over `items`, at most `width` at a time; resolves the results in item order. */
async function inParallel(items, width, task) {
	const results = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await task(items[index], index);
		}
	};
	await Promise.all(Array.from({ length: width }, worker));
	return results;
}

/** The production URL of a webhook node: `<base>/webhook/<webhookId>/<path>` (n8n prefixes the node's webhookId). */
function productionWebhookUrl(baseUrl, webhookId, webhookPath = 'webhook') {
	return `${String(baseUrl).replace(/\/+$/, '')}/webhook/${webhookId}/${webhookPath}`;
}

/** GET /rest/credentials/<id>?includeData=true → the credential (secrets and tokens masked by n8n). */
async function getCredential(client, id) {
	const res = await client.get(`/rest/credentials/${id}?includeData=true`);
	return res?.data;
}

// ---------------------------------------------------------------------------------------------
// OAuth2 "Connect my account", headless
// ---------------------------------------------------------------------------------------------

/** The OAuth2 callback URL n8n gives providers: `<instance base URL>/rest/oauth2-credential/callback`. */
function oauth2CallbackUrl(instanceBaseUrl) {
	return `${String(instanceBaseUrl).replace(/\/+$/, '')}/rest/oauth2-credential/callback`;
}

function cookiePairs(res) {
	const list = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie') || ''];
	return list.map((c) => /^([^=;\s]+=[^;]*)/.exec(c)).filter(Boolean).map((m) => m[1]);
}

function decodeHtml(text) {
	return String(text).replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]);
}

/** The visible text of an HTML page (no tags, styles or scripts; whitespace collapsed). */
function htmlText(html) {
	return decodeHtml(
		String(html)
			.replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, ' ')
			.replace(/<[^>]*>/g, ' '),
	)
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * The first `<form>` of an HTML page: action, method, hidden inputs and submit buttons
 * (`{ name, value, text }`). Enough for a plain consent page (no scripts run).
 */
function parseHtmlForm(html, pageUrl) {
	const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
	if (!form) return undefined;
	const attr = (tag, name) => {
		const m = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
		return m ? decodeHtml(m[2] ?? m[3]) : undefined;
	};
	const fields = {};
	for (const m of form[2].matchAll(/<input\b[^>]*>/gi)) {
		const name = attr(m[0], 'name');
		if (name && (attr(m[0], 'type') || 'text').toLowerCase() === 'hidden') fields[name] = attr(m[0], 'value') ?? '';
	}
	const buttons = [...form[2].matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((m) => ({
		name: attr(m[1], 'name'),
		value: attr(m[1], 'value'),
		text: m[2].replace(/<[^>]*>/g, '').trim(),
	}));
	return {
		action: new URL(attr(form[1], 'action') || pageUrl, pageUrl).toString(),
		method: (attr(form[1], 'method') || 'get').toUpperCase(),
		fields,
		buttons,
	};
}

/**
 * Drives n8n's OAuth2 connection flow as the credential page's "Connect my account" button and a
 * browser do, without a browser:
 *  1. `GET /rest/oauth2-credential/auth?id=<credentialId>` (logged in) → the provider's authorize URL;
 *  2. GET that URL without following redirects; a consent page (200 with a form) is answered with
 *     its `approve` button (`allow` by default; `deny` to refuse), a redirect is taken as is;
 *  3. the redirect must go to n8n's callback, which is then opened with the login cookie (and any
 *     cookie step 1 set, e.g. n8n's browser-binding cookie).
 * Resolves every hop: { authUrl, authorize: {status, location}, consent: {form, status, location}|undefined,
 * callbackUrl, callback: {status, html, text}, connected } where `connected` means the callback page
 * says "Connection successful". Throws when a hop answers something else than expected.
 */
async function connectOAuth2(client, credentialId, { approve = 'allow', timeoutMs = 30000 } = {}) {
	const signal = AbortSignal.timeout(timeoutMs);
	const start = await fetch(`${client.url}/rest/oauth2-credential/auth?id=${encodeURIComponent(credentialId)}`, {
		headers: { accept: 'application/json', 'browser-id': BROWSER_ID, cookie: client.cookie },
		redirect: 'manual',
		signal,
	});
	const startText = await start.text();
	if (!start.ok) throw new HttpError('GET', '/rest/oauth2-credential/auth', start.status, startText);
	const authUrl = JSON.parse(startText)?.data;
	assert(typeof authUrl === 'string' && /^https?:\/\//.test(authUrl), 'n8n answered no authorization URL', startText);
	const extraCookies = cookiePairs(start).filter((c) => !c.startsWith('n8n-auth='));

	const result = { authUrl, consent: undefined };
	const first = await fetch(authUrl, { redirect: 'manual', signal });
	const firstText = await first.text();
	result.authorize = { status: first.status, location: first.headers.get('location') || undefined, html: firstText };
	let location = result.authorize.location;
	if (first.status === 200) {
		const form = parseHtmlForm(firstText, authUrl);
		assert(form, `the authorize page (${authUrl}) has no form to approve`, tail(firstText, 20));
		const button = form.buttons.find((b) => b.value === approve || b.name === approve);
		assert(button, `the consent form has no "${approve}" button`, form);
		const body = new URLSearchParams({ ...form.fields, ...(button.name ? { [button.name]: button.value ?? '' } : {}) });
		const answer = await fetch(form.action, {
			method: form.method,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form.method === 'GET' ? undefined : body,
			redirect: 'manual',
			signal,
		});
		const answerText = await answer.text();
		result.consent = { form, status: answer.status, location: answer.headers.get('location') || undefined, html: answerText };
		location = result.consent.location;
		assert(answer.status >= 300 && answer.status < 400 && location, `the consent answer was HTTP ${answer.status}, not a redirect`, tail(answerText, 20));
	} else {
		assert(first.status >= 300 && first.status < 400 && location, `the authorize URL answered HTTP ${first.status}`, tail(firstText, 20));
	}
	const callbackUrl = new URL(location, authUrl).toString();
	result.callbackUrl = callbackUrl;
	const expected = new URL(authUrl).searchParams.get('redirect_uri');
	assert(
		expected && callbackUrl.startsWith(`${expected}?`),
		`the provider redirected to ${callbackUrl}, not to the redirect_uri n8n asked for (${expected})`,
	);
	const callback = await fetch(callbackUrl, {
		headers: { accept: 'text/html', cookie: [client.cookie, ...extraCookies].filter(Boolean).join('; ') },
		redirect: 'manual',
		signal,
	});
	const html = await callback.text();
	result.callback = { status: callback.status, html, text: htmlText(html) };
	result.connected = callback.status === 200 && /Connection successful/i.test(result.callback.text);
	return result;
}

// ---------------------------------------------------------------------------------------------
// Fixtures for this package
// ---------------------------------------------------------------------------------------------

const MANUAL_TRIGGER = 'Manual Trigger';
const POST_NODE = 'Mattermost Suite';
const TRIGGER_NODE = 'Mattermost Suite Trigger';

/** A credential object for import:credentials or POST /rest/credentials. */
function credentialFixture({ id, name, baseUrl, accessToken }) {
	return {
		...(id ? { id } : {}),
		name,
		type: CREDENTIAL_TYPE,
		data: { accessToken, baseUrl, ignoreSslIssues: false },
	};
}

/** Saves an access-token credential of this package in n8n; resolves { id, name }. */
async function createCredential(client, { name, baseUrl, accessToken }) {
	const res = await client.post('/rest/credentials', credentialFixture({ name, baseUrl, accessToken }));
	assert(res?.data?.id, 'POST /rest/credentials answered no id', res);
	return { id: res.data.id, name: res.data.name };
}

/**
 * One node of a workflow as n8n's REST API takes it, typeVersion 1; `extra` adds or overrides
 * fields, e.g. { typeVersion: 3.4, webhookId, onError, credentials: credentialRef(credential) }.
 */
function workflowNode(name, type, position, parameters = {}, extra = {}) {
	return { id: crypto.randomUUID(), name, type, typeVersion: 1, position, parameters, ...extra };
}

/** A node's `credentials` field for a credential as the REST API answered it ({ id, name, … }). */
function credentialRef(credential, type = CREDENTIAL_TYPE) {
	return { [type]: { id: credential.id, name: credential.name } };
}

/** A resource locator value by ID, as the editor saves it. */
function byId(value) {
	return { __rl: true, mode: 'id', value };
}

function manualTriggerNode(position = [0, 0]) {
	return workflowNode(MANUAL_TRIGGER, 'n8n-nodes-base.manualTrigger', position);
}

/** n8n's Webhook node named "Webhook": a POST to `<base>/webhook/<path>` starts the workflow. */
function webhookNode(webhookPath, position = [0, 0]) {
	return workflowNode(
		'Webhook',
		'n8n-nodes-base.webhook',
		position,
		{ httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
		{ typeVersion: 2, webhookId: crypto.randomUUID() },
	);
}

/**
 * A workflow as the REST API takes it (n8n 1.x stores none without `active`). `links` wires main
 * outputs: { Source: 'Target' } or { Source: ['Output 0 target', 'Output 1 target'] }.
 */
function workflowOf({ name, nodes, links = {}, ...rest }) {
	const connections = Object.fromEntries(
		Object.entries(links).map(([source, targets]) => [
			source,
			{ main: [].concat(targets).map((target) => [{ node: target, type: 'main', index: 0 }]) },
		]),
	);
	return { name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {}, ...rest };
}

/**
 * Manual Trigger → Mattermost Suite "Message → Post" to a channel id. With `credentialType`
 * OAUTH2_CREDENTIAL_TYPE the node's Authentication is OAuth2 and `credential` is that kind.
 */
function postWorkflowFixture({ id, name, channelId, message, credential, credentialType = CREDENTIAL_TYPE }) {
	const parameters = {
		...(credentialType === OAUTH2_CREDENTIAL_TYPE ? { authentication: 'oAuth2' } : {}),
		resource: 'message',
		operation: 'post',
		channelId: byId(channelId),
		message,
	};
	return workflowOf({
		...(id ? { id } : {}),
		name,
		nodes: [manualTriggerNode(), workflowNode(POST_NODE, NODE_TYPE, [260, 0], parameters, { credentials: credentialRef(credential, credentialType) })],
		links: { [MANUAL_TRIGGER]: POST_NODE },
	});
}

/**
 * A workflow with only the Mattermost Suite Trigger, source "Outgoing Webhook" (n8n runs a
 * one-node workflow; the execution's output is the trigger's). `webhookId` makes the production
 * URL `<base>/webhook/<webhookId>/webhook`.
 */
function outgoingWebhookWorkflowFixture({ name, webhookId, teamId, channelId, triggerWords, triggerWhen = 0, credential, extra = {} }) {
	const parameters = {
		source: 'outgoingWebhook',
		teamId: byId(teamId),
		...(channelId ? { channelId: byId(channelId) } : {}),
		triggerWords,
		triggerWhen,
		...extra,
	};
	return workflowOf({
		name,
		nodes: [workflowNode(TRIGGER_NODE, TRIGGER_NODE_TYPE, [0, 0], parameters, { webhookId, credentials: credentialRef(credential) })],
	});
}

/**
 * A workflow with only the Mattermost Suite Trigger, source Events, `posted` in one channel picked
 * From List as the editor saves it (by ID, n8n checks the ID's pattern before every execution, in a
 * vm with a 250 ms timeout that a burst of executions on a busy machine can exceed).
 */
function eventsWorkflowFixture({ name, channel, credential, eventsOptions }) {
	const parameters = {
		source: 'events',
		events: ['posted'],
		channels: { channel: [{ channelId: { __rl: true, mode: 'list', value: channel.id, cachedResultName: channel.display_name } }] },
		...(eventsOptions ? { eventsOptions } : {}),
	};
	return workflowOf({
		name,
		nodes: [workflowNode(TRIGGER_NODE, TRIGGER_NODE_TYPE, [0, 0], parameters, { credentials: credentialRef(credential) })],
	});
}

/**
 * Manual Trigger → Mattermost Suite "Message → Post" with one button ("Approve") whose clicks go to
 * the Interactive Action trigger of the same workflow, plus that trigger (with a secret).
 */
function buttonsWorkflowFixture({ name, webhookId, channelId, secret, credential }) {
	const workflow = postWorkflowFixture({ name, channelId, message: 'Deploy build 42?', credential });
	const post = workflow.nodes.find((n) => n.name === POST_NODE);
	post.parameters.attachments = {
		attachment: [{ text: 'Choose', buttons: { button: [{ name: 'Approve', style: 'primary', context: '{"build": 42}' }] } }],
	};
	const trigger = { source: 'interactiveAction', secret, actionResponse: { updateMessage: '=Approved by @{{ $json.user_name }}' } };
	workflow.nodes.push(workflowNode(TRIGGER_NODE, TRIGGER_NODE_TYPE, [0, 300], trigger, { webhookId }));
	return workflow;
}

/** An id in n8n's style (16 alphanumerics). */
function n8nId() {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(crypto.randomBytes(16), (b) => abc[b % abc.length]).join('');
}

/** Starts the fake Mattermost in-process and seeds it. Resolves { mm, seed }. */
async function startFakeMattermost(opts = {}) {
	const { FakeMattermost } = require(path.join(ROOT, 'test', 'fake-mattermost'));
	const mm = new FakeMattermost({ quiet: true, ...opts });
	await mm.start(opts.port);
	onCleanup(() => mm.stop());
	const seed = mm.seed();
	return { mm, seed };
}

// ---------------------------------------------------------------------------------------------
// Test helpers shared by the real-n8n suites
// ---------------------------------------------------------------------------------------------

/** POST /api/v4/posts on the fake as a user (a real API call: the fake fires outgoing webhooks). */
async function postAs(mm, token, channelId, message) {
	const res = await fetch(`${mm.apiUrl}/posts`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify({ channel_id: channelId, message }),
	});
	const body = await res.json();
	assert(res.status === 201, `POST /api/v4/posts answered ${res.status}`, body);
	return body;
}

/** Waits until the workflow has at least `count` executions; resolves the list (newest first). */
function waitForExecutions(rest, workflowId, count, timeoutMs = 30000) {
	let last = [];
	return waitUntil(
		async () => {
			last = await listExecutions(rest, workflowId);
			return last.length >= count && last;
		},
		{ timeoutMs, what: `${count} execution(s) of workflow ${workflowId}`, explain: () => last },
	);
}

/** Message and description of a failed execution (node error first, then the run's error). */
function executionErrorText(ex) {
	const { error } = nodeOutput(ex.data, POST_NODE);
	const top = ex.data?.resultData?.error;
	return [...new Set([error?.message, error?.description, top?.message, top?.description].filter(Boolean))].join(' | ');
}

module.exports = {
	ROOT,
	PACKAGE_NAME,
	PACKAGE_VERSION: PKG.version,
	NODE_TYPE,
	TRIGGER_NODE_TYPE,
	CREDENTIAL_TYPE,
	OAUTH2_CREDENTIAL_TYPE,
	MANUAL_TRIGGER,
	POST_NODE,
	TRIGGER_NODE,
	DEFAULT_OWNER,
	// logging
	log,
	secs,
	green,
	red,
	bold,
	dim,
	assert,
	stringify,
	tail,
	tailFile,
	// processes
	installSignalHandlers,
	onCleanup,
	cleanup,
	makeTempDir,
	spawnTracked,
	stopProcess,
	run,
	sleep,
	freePort,
	preferredPort,
	// install
	ensureBuilt,
	DEFAULT_N8N_VERSION,
	ensureN8n,
	isN8n1,
	requireFromN8n,
	packageTarball,
	packPackage,
	createUserFolder,
	// n8n
	n8nEnv,
	runN8nCli,
	parseRawOutput,
	startN8n,
	// rest
	HttpError,
	restClient,
	needsOwnerSetup,
	setupOwner,
	login,
	ownerSession,
	testCredential,
	createWorkflow,
	runWorkflow,
	waitForExecution,
	nodeOutput,
	getCredential,
	activateWorkflow,
	deactivateWorkflow,
	activationError,
	publicationErrors,
	waitUntil,
	listExecutions,
	allExecutions,
	inParallel,
	productionWebhookUrl,
	// OAuth2
	oauth2CallbackUrl,
	htmlText,
	parseHtmlForm,
	connectOAuth2,
	// fixtures
	credentialFixture,
	createCredential,
	workflowNode,
	credentialRef,
	byId,
	manualTriggerNode,
	webhookNode,
	workflowOf,
	postWorkflowFixture,
	outgoingWebhookWorkflowFixture,
	eventsWorkflowFixture,
	buttonsWorkflowFixture,
	n8nId,
	startFakeMattermost,
	// suite helpers
	postAs,
	waitForExecutions,
	executionErrorText,
};
