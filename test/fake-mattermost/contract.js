'use strict';
const path = require('path');
const { Worker } = require('worker_threads');

// Routes the real server has but the spec leaves out on purpose (see the spec's README), and the
// fake's own control API.
const EXEMPT_PATHS = [/^\/hooks\//, /^\/oauth\//, /^\/api\/v4\/websocket\/?$/, /^\/__fake\//];
// A stopped fake keeps its validator this long, so the next start in the same test file reuses it.
const IDLE_GRACE_MS = 2000;

let warnedMissingSpec = false;

function warnContractChecksOff(quiet) {
	if (quiet || warnedMissingSpec) return;
	warnedMissingSpec = true;
	process.stderr.write('fake-mattermost: MATTERMOST_OPENAPI is not set, contract checks are off\n');
}

function isChecked(requestPath) {
	return (requestPath === '/api/v4' || requestPath.startsWith('/api/v4/')) && !EXEMPT_PATHS.some((p) => p.test(requestPath));
}

/** The validator in its worker thread. The worker holds the event loop only while a call is open. */
class ContractChecker {
	constructor(specPath) {
		this.pending = new Map();
		this.nextId = 1;
		this.worker = new Worker(path.join(__dirname, 'contract-worker.js'), { workerData: { specPath } });
		this.ready = new Promise((resolve, reject) => {
			this.worker.on('message', (message) => {
				if (message.type === 'ready') resolve(this);
				else if (message.type === 'failed') reject(new Error(`fake-mattermost: cannot load ${specPath}: ${message.message}`));
				else this.settle(message.id, message.errors);
			});
			this.worker.on('error', reject);
		});
		this.ready.then(() => this.worker.unref(), () => this.worker.terminate());
	}

	/** Resolves to the list of violations of one request (empty when it conforms). */
	validate(request) {
		return new Promise((resolve) => {
			const id = this.nextId++;
			if (this.pending.size === 0) this.worker.ref();
			this.pending.set(id, resolve);
			this.worker.postMessage({ id, request });
		});
	}

	settle(id, errors) {
		const resolve = this.pending.get(id);
		this.pending.delete(id);
		if (this.pending.size === 0) this.worker.unref();
		if (resolve) resolve(Array.from(errors));
	}

	close() {
		for (const resolve of this.pending.values()) resolve([]);
		this.pending.clear();
		return this.worker.terminate();
	}
}

// One validator per spec file, shared by every running FakeMattermost of the process.
const checkers = new Map();

async function acquireContractChecker(specPath) {
	let entry = checkers.get(specPath);
	if (!entry) {
		const checker = new ContractChecker(specPath);
		entry = { checker, users: 0, idleTimer: null };
		checkers.set(specPath, entry);
		checker.ready.catch(() => checkers.delete(specPath));
	}
	entry.users += 1;
	clearTimeout(entry.idleTimer);
	try {
		return await entry.checker.ready;
	} catch (error) {
		entry.users -= 1;
		throw error;
	}
}

function releaseContractChecker(specPath) {
	const entry = checkers.get(specPath);
	if (!entry) return;
	entry.users -= 1;
	if (entry.users > 0) return;
	entry.idleTimer = setTimeout(() => {
		checkers.delete(specPath);
		entry.checker.close();
	}, IDLE_GRACE_MS);
	entry.idleTimer.unref();
}

module.exports = { acquireContractChecker, releaseContractChecker, isChecked, warnContractChecksOff };
