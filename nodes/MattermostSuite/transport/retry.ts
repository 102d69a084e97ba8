import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { RequestFailure } from './errors';
import { parseAppError } from './errors';

export interface RetryPolicy {
	retryOnRateLimit: boolean;
	retryOnServerErrors: boolean;
	/** Attempts in all, the first included. */
	maxAttempts: number;
	/** The longest single pause, in ms. */
	maxWaitMs: number;
	/** Per request, in ms. */
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	retryOnRateLimit: true,
	retryOnServerErrors: true,
	maxAttempts: 5,
	maxWaitMs: 10_000,
	timeoutMs: 30_000,
};

/**
 * The server remembers a `pending_post_id` for 30 s (NOTES: create-post deduplication). A create
 * is repeated only while the repeat still starts inside that window, with a margin for the trip.
 */
export const DEDUP_WINDOW_MS = 30_000;
export const DEDUP_SAFETY_MARGIN_MS = 5_000;

const BASE_BACKOFF_MS = 500;

/** Read-only searches and lookups Mattermost offers as POST; repeating them changes nothing. */
const READ_ONLY_POSTS = [
	/^\/users\/(ids|usernames|search)$/,
	/^\/teams\/[a-z0-9]+\/(posts|channels)\/search$/,
	/^\/channels\/(search|members\/[a-z0-9]+\/view)$/,
];
/** Creates the server treats as "make it so": a repeat ends in the same state. */
const IDEMPOTENT_POSTS = [
	/^\/reactions$/,
	/^\/channels\/[a-z0-9]+\/members$/,
	/^\/teams\/[a-z0-9]+\/members$/,
	/^\/channels\/(direct|group)$/,
	/^\/posts\/[a-z0-9]+\/(pin|unpin)$/,
];

export type Repeatability = 'safe' | 'deduplicated' | 'unsafe';

export function repeatability(method: IHttpRequestMethods, endpoint: string, body: unknown): Repeatability {
	if (method !== 'POST') return 'safe';
	const path = endpoint.split('?')[0];
	if (path === '/posts' && typeof (body as IDataObject | undefined)?.pending_post_id === 'string') {
		return 'deduplicated';
	}
	if ([...READ_ONLY_POSTS, ...IDEMPOTENT_POSTS].some((pattern) => pattern.test(path))) return 'safe';
	return 'unsafe';
}

const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

export type FailureKind = 'rate-limited' | 'server' | 'not-sent' | 'dropped' | 'final';

export function classify(failure: RequestFailure): FailureKind {
	const status = failure.response?.status;
	if (status === 429) return 'rate-limited';
	if (status === 502 || status === 503 || status === 504) return 'server';
	if (status === 500 && parseAppError(failure.response?.data)?.id === 'api.post.deduplicate_create_post.pending') {
		// The first attempt is still being saved: asking again with the same id is the way to get it.
		return 'server';
	}
	if (status !== undefined) return 'final';
	if (failure.code === 'ECONNREFUSED') return 'not-sent';
	if (DROPPED.has(failure.code ?? '') || /socket hang up|timeout|aborted/i.test(failure.message)) return 'dropped';
	return 'final';
}

/** Answers of a repeated DELETE that mean "already gone": the earlier attempt did the job. */
const ALREADY_DONE_ERRORS = new Set([
	'api.channel.delete_channel.deleted.app_error',
	'api.team.remove_user_from_team.missing.app_error',
]);

/**
 * Whether this failure of a repeated DELETE only says that an earlier attempt, whose answer was
 * lost (dropped connection, 5xx), already made the change. The item then succeeds: its end state
 * is what was asked for.
 */
export function alreadyDone(method: IHttpRequestMethods, failure: RequestFailure): boolean {
	if (method !== 'DELETE') return false;
	const status = failure.response?.status;
	if (status === 404) return true;
	return status === 400 && ALREADY_DONE_ERRORS.has(parseAppError(failure.response?.data)?.id ?? '');
}

function header(failure: RequestFailure, name: string): string | undefined {
	const headers = failure.response?.headers ?? {};
	const value = headers[name] ?? headers[name.toLowerCase()];
	return value === undefined || value === null ? undefined : String(value);
}

/** Seconds from `Retry-After` (seconds or an HTTP date), else `X-RateLimit-Reset` (seconds until reset). */
export function serverRequestedWaitMs(failure: RequestFailure, now = Date.now()): number | undefined {
	const retryAfter = header(failure, 'retry-after');
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) return Math.max(0, date - now);
	}
	const reset = Number(header(failure, 'x-ratelimit-reset'));
	if (Number.isFinite(reset) && reset >= 0) return reset * 1000;
	return undefined;
}

/** Exponential backoff with jitter: between half and all of 0.5 s, 1 s, 2 s, … */
export function backoffMs(attempt: number, random = Math.random): number {
	const ceiling = BASE_BACKOFF_MS * 2 ** (attempt - 1);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface RetryDecision {
	retry: boolean;
	waitMs: number;
	/** Why not, for the error the user sees. */
	reason?: string;
}

export function decideRetry(
	policy: RetryPolicy,
	failure: RequestFailure,
	kind: Repeatability,
	attempt: number,
	firstAttemptAt: number,
	now = Date.now(),
): RetryDecision {
	const failureKind = classify(failure);
	if (failureKind === 'final') return { retry: false, waitMs: 0 };
	if (attempt >= policy.maxAttempts) {
		return { retry: false, waitMs: 0, reason: policy.maxAttempts > 1 ? `gave up after ${attempt} attempts` : undefined };
	}
	if (failureKind === 'rate-limited' && !policy.retryOnRateLimit) return { retry: false, waitMs: 0 };
	if (failureKind !== 'rate-limited' && !policy.retryOnServerErrors) return { retry: false, waitMs: 0 };
	// A dropped connection or a 5xx may come after the server acted: repeat only what is safe.
	if ((failureKind === 'dropped' || failureKind === 'server') && kind === 'unsafe') {
		return { retry: false, waitMs: 0, reason: 'not repeated: the request may already have taken effect' };
	}
	const requested = failureKind === 'rate-limited' ? serverRequestedWaitMs(failure, now) : undefined;
	const waitMs = Math.min(policy.maxWaitMs, requested ?? backoffMs(attempt));
	if (kind === 'deduplicated' && now + waitMs - firstAttemptAt > DEDUP_WINDOW_MS - DEDUP_SAFETY_MARGIN_MS) {
		return {
			retry: false,
			waitMs: 0,
			reason: "not repeated: the server's 30 s duplicate check would have expired, so a repeat could post twice. Check the channel before running the item again",
		};
	}
	return { retry: true, waitMs };
}
