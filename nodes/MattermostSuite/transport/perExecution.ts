import type { IExecuteFunctions } from 'n8n-workflow';

import { RateLimiter } from './rateLimiter';

/** The credential read and normalised once per execution. */
export interface Connection {
	credentialType: string;
	siteUrl: string;
	apiRoot: string;
	skipSslCertificateValidation: boolean;
}

interface ExecutionState {
	/** By credential type and API root. */
	limiters: Map<string, RateLimiter>;
	/** What operations keep for the rest of the run (e.g. the Idempotency Key lookups), by name. */
	caches: Map<string, unknown>;
}

/**
 * n8n-core (1.x and 2.x) builds one execute context per run of a node and hands that same object
 * to every item of the run, so it identifies the execution: what hangs off it here lives exactly
 * as long as the run and goes with it, and nothing is shared between executions.
 */
const states = new WeakMap<IExecuteFunctions, ExecutionState>();

export function executionStateOf(ctx: object): ExecutionState {
	if (!('getInputData' in ctx)) return { limiters: new Map(), caches: new Map() };
	const execution = ctx as IExecuteFunctions;
	let state = states.get(execution);
	if (!state) {
		state = { limiters: new Map(), caches: new Map() };
		states.set(execution, state);
	}
	return state;
}

export function rateLimiterOf(ctx: object, connection: Connection): RateLimiter {
	const { limiters } = executionStateOf(ctx);
	const key = `${connection.credentialType} ${connection.apiRoot}`;
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new RateLimiter();
		limiters.set(key, limiter);
	}
	return limiter;
}

/** A value that lives as long as this run of the node, made by `create` on first use. */
export function executionCache<T>(ctx: IExecuteFunctions, name: string, create: () => T): T {
	const { caches } = executionStateOf(ctx);
	if (!caches.has(name)) caches.set(name, create());
	return caches.get(name) as T;
}

/**
 * A value read once per run of the node by `read`: items asking while it is read share that read.
 * A failed read is not kept: an item that was waiting on it, and any later one, reads again, so each
 * item fails with an error of its own (its own item index for continueOnFail and the error output).
 */
export async function executionOnce<T>(ctx: object, name: string, read: () => Promise<T>): Promise<T> {
	const { caches } = executionStateOf(ctx);
	const shared = caches.get(name) as Promise<T> | undefined;
	if (shared) {
		try {
			return await shared;
		} catch {
			// Another item's read failed: this item reads for itself.
		}
	}
	const reading = read();
	caches.set(name, reading);
	reading.catch(() => {
		if (caches.get(name) === reading) caches.delete(name);
	});
	return await reading;
}
