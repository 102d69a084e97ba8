import {
	DEFAULT_RETRY_POLICY,
	backoffMs,
	decideRetry,
	repeatability,
	serverRequestedWaitMs,
} from '../nodes/MattermostSuite/transport/retry';

const failure = (status?: number, headers: Record<string, string> = {}, code?: string) => ({
	response: status === undefined ? undefined : { status, headers, data: '' },
	code,
	message: code ?? `HTTP ${status}`,
});

describe('retry policy', () => {
	it('knows which requests are safe to repeat', () => {
		expect(repeatability('GET', '/users/me', undefined)).toBe('safe');
		expect(repeatability('PUT', '/posts/x/patch', {})).toBe('safe');
		expect(repeatability('DELETE', '/posts/x', undefined)).toBe('safe');
		expect(repeatability('POST', '/posts', { pending_post_id: 'p' })).toBe('deduplicated');
		expect(repeatability('POST', '/posts', {})).toBe('unsafe');
		expect(repeatability('POST', '/reactions', {})).toBe('safe');
		expect(repeatability('POST', '/channels/abc123/members', {})).toBe('safe');
		expect(repeatability('POST', '/users/ids', [])).toBe('safe');
		expect(repeatability('POST', '/channels/direct', [])).toBe('safe');
		expect(repeatability('POST', '/posts/abc123/pin', undefined)).toBe('safe');
		expect(repeatability('POST', '/channels', {})).toBe('unsafe');
		expect(repeatability('POST', '/files', {})).toBe('unsafe');
	});

	it('waits what Retry-After says, else X-RateLimit-Reset, capped by Max Wait', () => {
		expect(serverRequestedWaitMs(failure(429, { 'retry-after': '1' }))).toBe(1000);
		expect(serverRequestedWaitMs(failure(429, { 'x-ratelimit-reset': '3' }))).toBe(3000);
		const now = Date.parse('2026-11-23T10:00:00Z');
		expect(serverRequestedWaitMs(failure(429, { 'retry-after': 'Mon, 23 Nov 2026 10:00:02 GMT' }), now)).toBe(2000);
		const decision = decideRetry({ ...DEFAULT_RETRY_POLICY, maxWaitMs: 500 }, failure(429, { 'retry-after': '60' }), 'deduplicated', 1, now, now);
		expect(decision).toEqual({ retry: true, waitMs: 500 });
	});

	it('backs off exponentially with jitter', () => {
		expect(backoffMs(1, () => 0)).toBe(250);
		expect(backoffMs(1, () => 1)).toBe(500);
		expect(backoffMs(3, () => 1)).toBe(2000);
	});

	it('repeats a dropped or 5xx request only when it is safe; a refused connection always', () => {
		const t = Date.now();
		expect(decideRetry(DEFAULT_RETRY_POLICY, failure(503), 'unsafe', 1, t).retry).toBe(false);
		expect(decideRetry(DEFAULT_RETRY_POLICY, failure(undefined, {}, 'ECONNRESET'), 'unsafe', 1, t).retry).toBe(false);
		expect(decideRetry(DEFAULT_RETRY_POLICY, failure(undefined, {}, 'ECONNREFUSED'), 'unsafe', 1, t).retry).toBe(true);
		expect(decideRetry(DEFAULT_RETRY_POLICY, failure(503), 'safe', 1, t).retry).toBe(true);
		expect(decideRetry(DEFAULT_RETRY_POLICY, failure(400), 'safe', 1, t).retry).toBe(false);
		expect(decideRetry(DEFAULT_RETRY_POLICY, failure(503), 'safe', 5, t)).toMatchObject({ retry: false, reason: 'gave up after 5 attempts' });
		expect(decideRetry({ ...DEFAULT_RETRY_POLICY, retryOnServerErrors: false }, failure(503), 'safe', 1, t).retry).toBe(false);
	});

	it('never repeats a create once the server\'s 30 s duplicate check could have expired', () => {
		const start = 0;
		const late = decideRetry(DEFAULT_RETRY_POLICY, failure(503), 'deduplicated', 2, start, 26_000);
		expect(late.retry).toBe(false);
		expect(late.reason).toMatch(/30 s duplicate check/);
		expect(decideRetry(DEFAULT_RETRY_POLICY, failure(503), 'deduplicated', 2, start, 1_000).retry).toBe(true);
	});

	it('keeps the default policy\'s total pauses inside the dedup window', () => {
		let total = 0;
		for (let attempt = 1; attempt < DEFAULT_RETRY_POLICY.maxAttempts; attempt++) {
			total += Math.min(DEFAULT_RETRY_POLICY.maxWaitMs, backoffMs(attempt, () => 1));
		}
		expect(total).toBeLessThan(25_000);
	});
});
