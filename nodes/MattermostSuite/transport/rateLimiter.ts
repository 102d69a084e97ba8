import { sleep } from 'n8n-workflow';

function headerNumber(headers: Record<string, unknown> | undefined, name: string): number | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	if (value === undefined || value === null || value === '') return undefined;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * Paces every request one execution sends to one Mattermost server with one credential. With
 * items in flight side by side, a 429 pauses all of them until the server's Retry-After, rather
 * than each finding out on its own with one more request (a thundering herd); and while the server
 * reports X-RateLimit-Remaining, no more requests go out than it has left before X-RateLimit-Reset.
 */
export class RateLimiter {
	private pausedUntil = 0;
	/** Requests the server still takes before `resetAt`, counting those in flight as spent. */
	private remaining: number | undefined;
	private resetAt = 0;
	private inFlight = 0;

	/** Waits (at most `maxWaitMs` per pause) until a request may go out, and counts it as sent. */
	async acquire(maxWaitMs: number): Promise<void> {
		for (;;) {
			const waitMs = this.waitMs(Date.now());
			if (waitMs <= 0) break;
			await sleep(Math.min(waitMs, Math.max(1, maxWaitMs)));
			if (waitMs > maxWaitMs) {
				// The policy's longest pause is over: the request goes, the server decides.
				this.remaining = undefined;
				break;
			}
		}
		this.inFlight++;
		if (this.remaining !== undefined) this.remaining--;
	}

	/** The request's answer (or its failure without one) is in. */
	release(status: number | undefined, headers: Record<string, unknown> | undefined): void {
		this.inFlight--;
		// A 429's counters describe the refusal; pause() handles it with the policy's cap.
		if (status === 429) return;
		const remaining = headerNumber(headers, 'x-ratelimit-remaining');
		const reset = headerNumber(headers, 'x-ratelimit-reset');
		if (remaining === undefined || reset === undefined) return;
		this.remaining = remaining - this.inFlight;
		this.resetAt = Date.now() + Math.max(0, reset) * 1000;
	}

	/** The server refused with 429: nobody sends before `waitMs` from now. */
	pause(waitMs: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + waitMs);
	}

	private waitMs(now: number): number {
		if (now < this.pausedUntil) return this.pausedUntil - now;
		if (this.remaining !== undefined && now >= this.resetAt) this.remaining = undefined;
		if (this.remaining !== undefined && this.remaining <= 0) return this.resetAt - now;
		return 0;
	}
}
