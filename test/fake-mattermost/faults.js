'use strict';

/** mulberry32: a tiny seedable PRNG, so probabilistic faults can be replayed. */
function seededRandom(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function normaliseFault(spec) {
	const { method, path, pathRegex, query, times = 1, status, body, headers, delayMs, drop, probability, afterRequests = 0 } = spec;
	if (path === undefined && pathRegex === undefined) throw new Error('addFault: path is required');
	if (drop !== undefined && drop !== 'before' && drop !== 'after') throw new Error("addFault: drop must be 'before' or 'after'");
	if (status === undefined && drop === undefined && delayMs === undefined) {
		throw new Error('addFault: give status, drop or delayMs');
	}
	return {
		method: method ? String(method).toUpperCase() : undefined,
		path: pathRegex !== undefined ? new RegExp(pathRegex) : path,
		// e.g. { page: '3' }: only requests whose query has these values (as strings).
		query: query ? Object.entries(query).map(([key, value]) => [key, String(value)]) : [],
		// JSON cannot carry Infinity: null (or a missing value from the control API) means "forever".
		times: times === null ? Infinity : times,
		status,
		body,
		headers: headers || {},
		delayMs,
		drop,
		probability,
		// Lets this many matching requests through first, e.g. for "the server goes down mid-run".
		passThrough: afterRequests,
		hits: 0,
	};
}

/** Faults checked in insertion order; each one is used up after `times` hits. */
class FaultList {
	constructor() {
		this.faults = [];
		this.random = Math.random;
	}

	setSeed(seed) {
		this.random = seededRandom(seed);
	}

	add(spec) {
		const fault = normaliseFault(spec);
		this.faults.push(fault);
		return fault;
	}

	clear() {
		this.faults = [];
	}

	/** The fault that applies to this request, if any, counting the hit. */
	take(method, path, query = {}) {
		for (const fault of this.faults) {
			if (fault.times <= 0) continue;
			if (fault.method && fault.method !== method) continue;
			if (fault.path instanceof RegExp ? !fault.path.test(path) : fault.path !== path) continue;
			if (fault.query.some(([key, value]) => query[key] !== value)) continue;
			if (fault.passThrough > 0) {
				fault.passThrough -= 1;
				continue;
			}
			if (fault.probability !== undefined && this.random() >= fault.probability) continue;
			fault.times -= 1;
			fault.hits += 1;
			return fault;
		}
		return null;
	}
}

module.exports = { FaultList, seededRandom };
