import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mattermostApiRequestChannelPosts } from '../../transport';
import { executionCache, executionOnce } from '../../transport/perExecution';

/** The post prop that carries the Idempotency Key. */
export const IDEMPOTENCY_PROP = 'n8n_idempotency_key';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 256;
export const DEFAULT_LOOK_BACK_HOURS = 24;
export const MAX_LOOK_BACK_HOURS = 720;

export interface Idempotency {
	key: string;
	lookBackHours: number;
}

/** The Idempotency Key and Look-Back Window of an item, checked; undefined when no key is set. */
export function idempotencyOf(ctx: IExecuteFunctions, options: IDataObject, itemIndex: number): Idempotency | undefined {
	const raw = options.idempotencyKey;
	if (raw === undefined && options.lookBackHours === undefined) return undefined;
	const key = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
	if (typeof key !== 'string' || key.trim() === '') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Idempotency Key is ${typeof key === 'string' || key === undefined ? 'empty' : `a ${Array.isArray(key) ? 'list' : typeof key}, not text`}`,
			{
				description:
					'Give each item a key of its own as text, e.g. {{ $json.id }}, or remove the Idempotency Key and Look-Back Window options.',
				itemIndex,
			},
		);
	}
	if ([...key].length > MAX_IDEMPOTENCY_KEY_LENGTH) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Idempotency Key is ${[...key].length} characters long; at most ${MAX_IDEMPOTENCY_KEY_LENGTH} are allowed`,
			{ description: 'Use a shorter key that identifies the item, e.g. its ID rather than its content.', itemIndex },
		);
	}
	const hours = options.lookBackHours === undefined ? DEFAULT_LOOK_BACK_HOURS : Number(options.lookBackHours);
	if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_LOOK_BACK_HOURS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Look-Back Window (Hours) "${String(options.lookBackHours)}" is not between 0 and ${MAX_LOOK_BACK_HOURS}`,
			{ description: `Give a number of hours above 0 and at most ${MAX_LOOK_BACK_HOURS} (30 days), e.g. 24.`, itemIndex },
		);
	}
	return { key, lookBackHours: hours };
}

/** What one node run knows of a channel's keyed posts: its recent posts, read once, and the creates under way. */
interface ChannelKeys {
	posted: Promise<Map<string, IDataObject>>;
	creating: Map<string, Promise<IDataObject>>;
}

function channelKeys(ctx: IExecuteFunctions, itemIndex: number, channelId: string, lookBackHours: number): ChannelKeys {
	const name = `idempotencyKeys ${channelId}/${lookBackHours}`;
	return {
		posted: executionOnce(ctx, `${name} posted`, () =>
			readKeyedPosts(ctx, itemIndex, channelId, Date.now() - lookBackHours * 3_600_000),
		),
		creating: executionCache(ctx, `${name} creating`, () => new Map<string, Promise<IDataObject>>()),
	};
}

async function readKeyedPosts(
	ctx: IExecuteFunctions,
	itemIndex: number,
	channelId: string,
	since: number,
): Promise<Map<string, IDataObject>> {
	const posts = await mattermostApiRequestChannelPosts.call(ctx, channelId, { since }, {
		itemIndex,
		subject: `channel ${channelId}`,
	});
	const byKey = new Map<string, IDataObject>();
	// Newest first: the oldest post of a key wins, as it is the one a re-run would have found first.
	for (const post of posts) {
		const key = (post.props as IDataObject | undefined)?.[IDEMPOTENCY_PROP];
		// `since` also answers posts edited or deleted lately; only live posts created in the window count.
		if (typeof key !== 'string' || Number(post.delete_at ?? 0) > 0 || Number(post.create_at ?? 0) < since) continue;
		byKey.set(key, post);
	}
	return byKey;
}

/**
 * The channel's post with this key if the look-back window holds one, else the post `create`
 * makes. Items of one run that share a key wait for the first one's create rather than post again.
 */
export async function postOnce(
	ctx: IExecuteFunctions,
	itemIndex: number,
	channelId: string,
	idempotency: Idempotency,
	create: () => Promise<IDataObject>,
): Promise<{ post: IDataObject; reused: boolean }> {
	const { key, lookBackHours } = idempotency;
	const channel = channelKeys(ctx, itemIndex, channelId, lookBackHours);
	const posted = await channel.posted;
	const existing = posted.get(key);
	if (existing) return { post: existing, reused: true };
	const underWay = channel.creating.get(key);
	if (underWay) {
		const post = await underWay.catch(() => undefined);
		if (post) return { post, reused: true };
		return await postOnce(ctx, itemIndex, channelId, idempotency, create);
	}
	const creating = create();
	channel.creating.set(key, creating);
	try {
		const post = await creating;
		posted.set(key, post);
		return { post, reused: false };
	} finally {
		channel.creating.delete(key);
	}
}
