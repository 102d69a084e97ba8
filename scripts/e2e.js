#!/usr/bin/env node
'use strict';
/**
 * `npm run test:e2e`: the real-n8n suites (test/e2e/<suite>.test.js, node's test runner) on each
 * n8n version of the matrix: every suite on the default n8n (2.41.1), the smoke suites
 * (N8N1_SUITES) on n8n 1.x. Per version it installs n8n and the Node its line needs (cached by
 * scripts/install-n8n.sh), installs the package's tarball into a fresh user folder as n8n's
 * community-package installer does, starts one `n8n start` with the owner set up, and runs
 * `node --test --test-concurrency=1` on the suite files, telling them where that n8n is
 * (test/e2e/support.js lists the environment). Each file starts its own fake Mattermost; cli and
 * send-and-wait run n8n on user folders of their own (OWN_N8N).
 *
 *   npm run test:e2e                                     # everything
 *   E2E_ONLY=events,trigger npm run test:e2e             # some suites, on every version of the matrix
 *   npm run test:e2e -- test/e2e/events.test.js          # the same, by file
 *   npm run test:e2e -- --test-name-pattern='trigger: deactivate'   # some tests (their prerequisites run unreported)
 *   E2E_N8N_VERSIONS=1.123.81 npm run test:e2e           # only these n8n versions (exact, comma-separated)
 *   MM_SUITE_TARBALL=x.tgz npm run test:e2e              # install this tarball instead of packing the working copy
 *   E2E_KEEP=1 npm run test:e2e                          # keep the temp folders (user folders, logs, tarball)
 *   E2E_TIMEOUT_S=1800 npm run test:e2e                  # per-version limit for the suites (default 900)
 *   node --test test/e2e/trigger.test.js                 # one file alone: it starts its own n8n (E2E_N8N_VERSION)
 *
 * Other arguments go to `node --test` (e.g. --test-reporter=tap --test-reporter-destination=e2e.tap:
 * a file destination receives every version's report, one after the other). Ends with one line
 * "e2e: N passed, N failed, N skipped" over all versions; a version whose n8n could not be
 * installed or started, or that ran out of time, counts as one failed test (also in the TAP files).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lab = require('./lib/n8n-lab');
const { startSuiteN8n } = require('../test/e2e/support');

const { log, bold } = lab;

const SUITE_DIR = path.join(lab.ROOT, 'test', 'e2e');
/** Per n8n version, for the suites after its install (cold: +6 min); send-and-wait alone takes ~4 min. */
const TIMEOUT_S = Number(process.env.E2E_TIMEOUT_S || 900);
/** The suites that run on n8n 1.x too (the smoke checks of what users of that line need); E2E_ONLY can name others. */
const N8N1_SUITES = ['server', 'trigger', 'compat'];
/** Suites that run n8n on a user folder of their own: the shared n8n is not started for them alone. */
const OWN_N8N = ['cli', 'send-and-wait'];

const SUITES = fs
	.readdirSync(SUITE_DIR)
	.filter((f) => f.endsWith('.test.js'))
	.map((f) => f.slice(0, -'.test.js'.length))
	.sort();

/** The n8n versions of the matrix: the default line first, then the 1.x users still run. */
const N8N_VERSIONS = (process.env.E2E_N8N_VERSIONS || `${lab.DEFAULT_N8N_VERSION},1.123.81`)
	.split(',')
	.map((v) => v.trim())
	.filter(Boolean);

/**
 * Splits our arguments into suite files, reporters (with their destinations) and the rest, which go
 * to `node --test` unchanged.
 */
function parseArgs(argv) {
	const files = [];
	const reporters = [];
	const destinations = [];
	const rest = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const option = /^(--test-reporter|--test-reporter-destination)(?:=(.*))?$/.exec(arg);
		if (option) {
			const value = option[2] ?? argv[++i];
			(option[1] === '--test-reporter' ? reporters : destinations).push(value);
		} else if (arg.endsWith('.test.js')) {
			files.push(arg);
		} else {
			rest.push(arg);
		}
	}
	if (!reporters.length) reporters.push('spec');
	while (destinations.length < reporters.length) destinations.push('stdout');
	return { files, reporters, destinations, rest };
}

/** TAP for a failure outside node's test runner, in the shape its reporter ends with. */
function failureTap(title, error) {
	const message = String((error && error.message) || error).split('\n')[0].replace(/'/g, "''");
	return `TAP version 13\nnot ok 1 - ${title}\n  ---\n  error: '${message}'\n  ...\n1..1\n# tests 1\n# suites 0\n# pass 0\n# fail 1\n# cancelled 0\n# skipped 0\n# todo 0\n`;
}

/** Appends TAP (a failure outside node's test runner) to the caller's TAP files. */
function appendToTapFiles(run, tap) {
	run.args.destinations.forEach((d, i) => {
		if (!['stdout', 'stderr'].includes(d) && run.args.reporters[i] === 'tap') fs.appendFileSync(d, tap);
	});
}

/** Sums the totals blocks ("# tests … # skipped") of TAP reports. */
function tapCounts(text) {
	const counts = { pass: 0, fail: 0, cancelled: 0, skipped: 0, reports: 0 };
	const block = /^# tests \d+\n# suites \d+\n# pass (\d+)\n# fail (\d+)\n# cancelled (\d+)\n# skipped (\d+)$/gm;
	for (const m of text.matchAll(block)) {
		counts.pass += Number(m[1]);
		counts.fail += Number(m[2]);
		counts.cancelled += Number(m[3]);
		counts.skipped += Number(m[4]);
		counts.reports++;
	}
	return counts;
}

/** The suite files a version runs: E2E_ONLY or files given on every version, otherwise all (1.x: N8N1_SUITES). */
function suitesFor(version, chosen) {
	if (chosen.length) return chosen;
	return Number(version.split('.')[0]) < 2 ? SUITES.filter((s) => N8N1_SUITES.includes(s)) : SUITES;
}

/**
 * One column of the matrix. Resolves the TAP text of its report (node's, or failureTap when it
 * did not get that far) and whether it failed.
 */
async function runVersion(version, run) {
	const work = path.join(run.work, `n8n-${version}`);
	fs.mkdirSync(work, { recursive: true });
	const suites = suitesFor(version, run.chosen);
	log(bold(`— n8n ${version}: ${suites.join(', ')}`));
	const extra = { E2E_N8N_VERSION: version, E2E_WORK: work, MM_SUITE_TARBALL: run.tarball };
	let server;
	try {
		const started = Date.now();
		const install = await lab.ensureN8n({ version });
		log(`  n8n ${install.version} in ${install.n8nDir} (${lab.secs(Date.now() - started)})`);
		if (suites.some((s) => !OWN_N8N.includes(s))) {
			const { userFolder } = await lab.createUserFolder({ tarball: run.tarball, dir: path.join(work, 'user') });
			const logFile = path.join(work, 'n8n-server.log');
			const shared = await startSuiteN8n({ userFolder, encryptionKey: `e2e-${crypto.randomBytes(16).toString('hex')}`, logFile });
			server = shared.server;
			log(`  n8n ${version} at ${server.url} (${lab.secs(Date.now() - started)} with install and owner setup)`);
			Object.assign(extra, {
				E2E_N8N_URL: server.url,
				E2E_N8N_EMAIL: lab.DEFAULT_OWNER.email,
				E2E_N8N_PASSWORD: lab.DEFAULT_OWNER.password,
				E2E_USER_FOLDER: userFolder,
			});
		}
	} catch (error) {
		console.error(lab.red(`n8n ${version}: could not install or start n8n:`), (error && error.stack) || error);
		if (server) await server.stop();
		const tap = failureTap(`n8n ${version}: install and start n8n with the package`, error);
		appendToTapFiles(run, tap);
		return { tap, failed: true };
	}

	// The user's file destinations get this version's report appended once it is written.
	const outputs = run.args.destinations.map((d, i) => (['stdout', 'stderr'].includes(d) ? d : path.join(work, `reporter-${i}.out`)));
	const reporterArgs = [];
	run.args.reporters.forEach((reporter, i) => reporterArgs.push(`--test-reporter=${reporter}`, `--test-reporter-destination=${outputs[i]}`));
	// The counts come from a TAP report: the caller's when it asked for one in a file, else our own.
	const tapIndex = run.args.reporters.findIndex((reporter, i) => reporter === 'tap' && outputs[i] !== run.args.destinations[i]);
	const tapFile = tapIndex === -1 ? path.join(work, 'report.tap') : outputs[tapIndex];
	if (tapIndex === -1) reporterArgs.push('--test-reporter=tap', `--test-reporter-destination=${tapFile}`);
	const files = suites.map((s) => path.join('test', 'e2e', `${s}.test.js`));
	const child = lab.spawnTracked(process.execPath, ['--test', '--test-concurrency=1', ...reporterArgs, ...run.args.rest, ...files], {
		cwd: lab.ROOT,
		env: { ...process.env, ...extra },
		stdio: 'inherit',
	});
	// On a signal, the files stop their own n8n and fake first (test/e2e/support.js), then the group goes.
	const stopChild = lab.onCleanup(() => lab.stopProcess(child, 30000));
	let timedOut = false;
	const watchdog = setTimeout(() => {
		timedOut = true;
		console.error(lab.red(`n8n ${version}: the suites did not finish within E2E_TIMEOUT_S=${TIMEOUT_S} s: stopping them`));
		lab.stopProcess(child, 30000);
	}, TIMEOUT_S * 1000);
	const { code, signal } = await child.exitPromise;
	clearTimeout(watchdog);
	await stopChild();
	if (server) await server.stop();

	outputs.forEach((output, i) => {
		if (output === run.args.destinations[i]) return;
		fs.appendFileSync(run.args.destinations[i], fs.existsSync(output) ? fs.readFileSync(output) : '');
	});
	let tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
	const counts = tapCounts(tap);
	let failed = code !== 0 || counts.fail + counts.cancelled > 0;
	const problem = timedOut
		? `timed out after E2E_TIMEOUT_S=${TIMEOUT_S} s`
		: !counts.reports
			? `node --test ended (${signal || `exit ${code}`}) without a report`
			: counts.pass + counts.fail + counts.cancelled === 0
				? 'no test ran'
				: code !== 0 && counts.fail + counts.cancelled === 0
					? `node --test exited ${signal || code} with no failed test`
					: undefined;
	if (problem) {
		failed = true;
		const extraTap = failureTap(`n8n ${version}: suites ${suites.join(', ')}`, problem);
		tap += `\n${extraTap}`;
		appendToTapFiles(run, extraTap);
		console.error(lab.red(`n8n ${version}: ${problem}`));
	}
	return { tap, failed };
}

async function main() {
	const started = Date.now();
	const run = { args: parseArgs(process.argv.slice(2)) };
	let printedLogs = false;
	/** The last lines of every n8n log of the run: the shared n8n's and those the files keep in E2E_WORK/<suite>/. */
	const printLogs = () => {
		if (printedLogs || !run.work) return;
		printedLogs = true;
		const logs = [];
		for (const version of fs.readdirSync(run.work).filter((d) => d.startsWith('n8n-'))) {
			const dir = path.join(run.work, version);
			const here = (d) => fs.readdirSync(d, { withFileTypes: true });
			for (const entry of here(dir)) {
				if (entry.isFile() && entry.name.endsWith('.log')) logs.push(path.join(dir, entry.name));
				if (entry.isDirectory() && !entry.name.startsWith('.')) {
					for (const inner of here(path.join(dir, entry.name))) {
						if (inner.isFile() && inner.name.endsWith('.log')) logs.push(path.join(dir, entry.name, inner.name));
					}
				}
			}
		}
		for (const file of logs) console.log(`\n----- last lines of ${file}\n${lab.tailFile(file, 80)}`);
	};
	lab.installSignalHandlers({ onSignal: printLogs });

	const only = (process.env.E2E_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);
	const fromFiles = run.args.files.map((f) => path.basename(f, '.test.js'));
	run.chosen = [...new Set([...only, ...fromFiles])];
	const unknown = run.chosen.filter((s) => !SUITES.includes(s));
	if (unknown.length) throw new Error(`unknown suite(s): ${unknown.join(', ')} (known: ${SUITES.join(', ')})`);
	const badVersions = N8N_VERSIONS.filter((v) => !/^\d+\.\d+\.\d+$/.test(v));
	if (badVersions.length || !N8N_VERSIONS.length) {
		throw new Error(`E2E_N8N_VERSIONS must list exact n8n versions, e.g. 2.41.1,1.123.81 (got ${process.env.E2E_N8N_VERSIONS})`);
	}
	// A file destination holds every version's report: emptied once, appended per version.
	run.args.destinations.forEach((d) => {
		if (!['stdout', 'stderr'].includes(d)) fs.writeFileSync(d, '');
	});

	log(bold(`e2e for ${lab.PACKAGE_NAME}@${lab.PACKAGE_VERSION} on n8n ${N8N_VERSIONS.join(', ')}`));
	run.work = lab.makeTempDir('mm-suite-e2e');
	log(`  work folder ${run.work}`);
	if (!process.env.MM_SUITE_TARBALL) await lab.ensureBuilt();
	run.tarball = await lab.packageTarball(path.join(run.work, 'pack'));
	log(`  ${run.tarball} (${(fs.statSync(run.tarball).size / 1024).toFixed(1)} KiB)`);

	const results = [];
	for (const version of N8N_VERSIONS) {
		const versionStarted = Date.now();
		const result = await runVersion(version, run);
		results.push({ version, ms: Date.now() - versionStarted, ...result, counts: tapCounts(result.tap) });
	}

	if (results.some((r) => r.failed)) printLogs();
	await lab.cleanup();
	console.log('');
	for (const { version, ms, counts } of results) {
		console.log(`e2e n8n ${version}: ${counts.pass} passed, ${counts.fail + counts.cancelled} failed, ${counts.skipped} skipped (${lab.secs(ms)})`);
	}
	const total = tapCounts(results.map((r) => r.tap).join('\n'));
	const failed = results.some((r) => r.failed);
	const line = `e2e: ${total.pass} passed, ${total.fail + total.cancelled} failed, ${total.skipped} skipped in ${lab.secs(Date.now() - started)}`;
	console.log(failed ? lab.red(line) : lab.green(line));
	process.exit(failed ? 1 : 0);
}

main().catch(async (err) => {
	console.error(lab.red('e2e: crashed:'), (err && err.stack) || err);
	await lab.cleanup();
	console.log('e2e: 0 passed, 1 failed');
	process.exit(1);
});
