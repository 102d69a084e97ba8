'use strict';
/**
 * What every real-n8n suite file (test/e2e/<suite>.test.js, run by node's test runner) shares:
 * its context (a fake Mattermost of its own, the n8n to talk to, log files) and `step`, a named
 * test whose result later tests can need.
 *
 * `npm run test:e2e` (scripts/e2e.js) starts one n8n per version for all files and tells them
 * where it is; a file run on its own (`node --test test/e2e/trigger.test.js`) starts its own n8n
 * with the same function (startSuiteN8n). The environment:
 *   E2E_N8N_VERSION    the n8n version (default lab.DEFAULT_N8N_VERSION)
 *   E2E_N8N_URL        the running n8n to use; unset: the file starts its own
 *   E2E_N8N_EMAIL, E2E_N8N_PASSWORD   its owner's login (default lab.DEFAULT_OWNER)
 *   E2E_USER_FOLDER    its user folder (the package installed from the tarball)
 *   E2E_WORK           where a file keeps its own user folders and logs (default: a temp folder,
 *                      removed at the end unless E2E_KEEP=1)
 *   MM_SUITE_TARBALL   the package tarball (the wrapper packs once and sets it; unset: built and
 *                      packed from the working copy)
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { test, before, after } = require('node:test');
const lab = require('../../scripts/lib/n8n-lab');

const { log } = lab;

const VERSION = process.env.E2E_N8N_VERSION || lab.DEFAULT_N8N_VERSION;

/**
 * `n8n start` with the base URLs set to the address we reach it at, then the owner set up.
 * N8N_EDITOR_BASE_URL makes OAuth redirect URIs (`<base>/rest/oauth2-credential/callback`) point
 * there; WEBHOOK_URL (read by n8n 1.x and 2.x, N8N_WEBHOOK_URL only by 2.x) makes the webhook URLs
 * a trigger registers in Mattermost use it instead of http://localhost:<port>/.
 * Resolves { server, rest }.
 */
async function startSuiteN8n({ userFolder, encryptionKey, logFile }) {
	const port = await lab.freePort();
	const server = await lab.startN8n({
		userFolder,
		port,
		encryptionKey,
		logFile,
		env: { N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`, WEBHOOK_URL: `http://127.0.0.1:${port}/` },
	});
	const rest = await lab.setupOwner(server.url);
	return { server, rest };
}

let tarballPromise;
/** The package tarball: MM_SUITE_TARBALL, or the working copy built if stale and packed (once per process). */
function tarball(work) {
	tarballPromise ??= (async () => {
		if (!process.env.MM_SUITE_TARBALL) await lab.ensureBuilt();
		return lab.packageTarball(path.join(work, 'pack'));
	})();
	return tarballPromise;
}

/**
 * The context of one suite file, filled by a `before` hook it registers: { name, version, work,
 * logs, install, mm, seed, channel } and, with `n8n: true`, { server, rest, userFolder } of the
 * shared n8n (or of one it starts). An `after` hook stops what the file started; run alone, the
 * file first prints the last lines of `logs` (its own n8n logs) when a test failed.
 */
function suite(name, { n8n = true } = {}) {
	const ctx = { name, version: VERSION, logs: [], failed: false };
	let setup;
	// Node 20 starts a file's top-level `before` hooks together: ctx.before's hooks wait for this one.
	const ready = () => {
		setup ??= prepare();
		return setup;
	};
	// Under scripts/e2e.js, which prints every log of the run at its end, the file keeps quiet.
	const printLogs = () => {
		if (process.env.E2E_WORK) return;
		for (const file of ctx.logs) {
			if (fs.existsSync(file)) console.log(`\n----- last lines of ${file}\n${lab.tailFile(file, 80)}`);
		}
	};
	const prepare = async () => {
		try {
			lab.installSignalHandlers({ onSignal: printLogs });
			ctx.work = process.env.E2E_WORK ? path.join(process.env.E2E_WORK, name) : lab.makeTempDir(`mm-suite-e2e-${name}`);
			fs.mkdirSync(ctx.work, { recursive: true });
			ctx.install = await lab.ensureN8n({ version: VERSION });
			({ mm: ctx.mm, seed: ctx.seed } = await lab.startFakeMattermost());
			ctx.channel = ctx.seed.channels.townSquare;
			log(`${name} on n8n ${VERSION}: fake Mattermost at ${ctx.mm.url}`);
			if (!n8n) return;
			if (process.env.E2E_N8N_URL) {
				ctx.server = { url: process.env.E2E_N8N_URL };
				ctx.userFolder = process.env.E2E_USER_FOLDER;
				ctx.rest = await lab.login(ctx.server.url, {
					email: process.env.E2E_N8N_EMAIL || lab.DEFAULT_OWNER.email,
					password: process.env.E2E_N8N_PASSWORD || lab.DEFAULT_OWNER.password,
				});
				return;
			}
			({ userFolder: ctx.userFolder } = await lab.createUserFolder({ tarball: await tarball(ctx.work), dir: path.join(ctx.work, 'user') }));
			const logFile = path.join(ctx.work, 'n8n-server.log');
			ctx.logs.push(logFile);
			Object.assign(ctx, await startSuiteN8n({ userFolder: ctx.userFolder, encryptionKey: `e2e-${crypto.randomBytes(16).toString('hex')}`, logFile }));
			log(`  own n8n ${VERSION} at ${ctx.server.url}`);
		} catch (error) {
			ctx.failed = true;
			throw error;
		}
	};
	before(ready);
	after(async () => {
		if (ctx.failed) printLogs();
		await lab.cleanup();
	});
	ctx.tarball = () => tarball(ctx.work);
	/** A `before` hook of the file's own, run after the context is ready; its failure prints the logs too. */
	ctx.before = (fn) =>
		before(async () => {
			await ready();
			try {
				await fn();
			} catch (error) {
				ctx.failed = true;
				throw error;
			}
		});
	ctx.step = (title, fn, options) => step(ctx, title, fn, options);
	return ctx;
}

/**
 * Registers test(title) and returns a function that resolves `fn`'s value, running it once.
 * `needs`: steps whose values `fn` gets as arguments. Run alone (--test-name-pattern) a test still
 * runs the steps it needs first (without reporting them); when one of them failed in its own
 * test, this one is skipped, since that failure is reported already.
 */
function step(ctx, title, fn, { needs = [], timeout } = {}) {
	let result;
	const run = () => {
		result ??= (async () => {
			const values = [];
			for (const need of needs) values.push(await need());
			return fn(...values);
		})();
		return result;
	};
	run.title = title;
	test(title, { timeout }, async (t) => {
		run.reported = true;
		for (const need of needs) {
			try {
				await need();
			} catch (error) {
				if (need.reported) return t.skip(`needs "${need.title}", which failed`);
				ctx.failed = true;
				throw error;
			}
		}
		try {
			await run();
		} catch (error) {
			ctx.failed = true;
			throw error;
		}
	});
	return run;
}

module.exports = { VERSION, suite, startSuiteN8n };
