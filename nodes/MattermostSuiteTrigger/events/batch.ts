import type { INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/** How often a waiting batch checks whether it is due; close() waits at most this long. */
const DUE_CHECK_MS = 50;

export interface EventBatchOptions {
	/** A batch goes out as soon as it holds this many items. */
	maxItems: number;
	/** …or when its first item has waited this long. */
	maxWaitMs: number;
	/** Starts one execution with the items, in the order they were added. */
	emit: (items: INodeExecutionData[]) => void;
}

/**
 * Collects items into batches, so that a busy channel starts one execution per batch instead of
 * one per event: n8n starts only a few dozen executions per second.
 */
export class EventBatch {
	private items: INodeExecutionData[] = [];

	private firstAddedAt = 0;

	private dueWatch: Promise<void> | undefined;

	private closed = false;

	constructor(private readonly options: EventBatchOptions) {}

	add(item: INodeExecutionData): void {
		if (this.items.length === 0) this.firstAddedAt = Date.now();
		this.items.push(item);
		if (this.items.length >= this.options.maxItems) this.flush();
		else this.dueWatch ??= this.flushWhenDue();
	}

	/** Hands on what is collected and ends the wait. */
	async close(): Promise<void> {
		this.closed = true;
		this.flush();
		await this.dueWatch;
	}

	private flush(): void {
		if (this.items.length === 0) return;
		const items = this.items;
		this.items = [];
		this.options.emit(items);
	}

	private async flushWhenDue(): Promise<void> {
		// Waits before the first check, so that `add` has stored this promise before it can end.
		do {
			const left = this.firstAddedAt + this.options.maxWaitMs - Date.now();
			await sleep(Math.max(0, Math.min(left, DUE_CHECK_MS)));
			if (Date.now() - this.firstAddedAt >= this.options.maxWaitMs) this.flush();
		} while (this.items.length > 0 && !this.closed);
		// Cleared in the same turn as the last check, so an add never finds a finished watch.
		this.dueWatch = undefined;
	}
}
