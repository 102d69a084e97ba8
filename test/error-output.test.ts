/**
 * "On Error" through n8n-core's own WorkflowExecute, with the node's outputs wired to downstream
 * nodes: "Continue (using error output)" sends failed items to output 1 (n8n decides per item in
 * handleNodeErrorOutput), "Continue (regular output)" keeps every item on output 0 in order.
 */
import type { IDataObject } from 'n8n-workflow';

import { byId, runInWorkflow, useFakeMattermost } from './support';

const fake = useFakeMattermost();

/** A well-formed channel id nothing has. */
const MISSING = 'abcdefghijklmnopqrstuvwxyz';

const postFromItem = { resource: 'message', operation: 'post', channelId: byId('={{ $json.channel }}'), message: '={{ $json.text }}' };

function items(channelId: string, tag: string) {
	return [
		{ json: { channel: channelId, text: `${tag} good 1` } },
		{ json: { channel: MISSING, text: `${tag} to a missing channel` } },
		{ json: { channel: 'not-an-id', text: `${tag} with a malformed id` } },
		{ json: { channel: channelId, text: `${tag} good 2` } },
	];
}

describe('On Error, through WorkflowExecute', () => {
	it('Continue (using error output): good items leave on output 0, failed ones on output 1 with message, description and item index', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.townSquare;
		const before = mm.postsIn(channel.id).length;
		const result = await runInWorkflow(mm, postFromItem, {
			token: seed.tokens.bot,
			onError: 'continueErrorOutput',
			receivers: 2,
			items: items(channel.id, 'error-output'),
		});
		expect(result.error).toBeUndefined();
		const [success, failure] = result.received;

		expect(success.map((item) => item.json.message)).toEqual(['error-output good 1', 'error-output good 2']);
		expect(success.map((item) => item.json.error)).toEqual([undefined, undefined]);
		expect(mm.postsIn(channel.id).slice(before).map((post: any) => post.message)).toEqual([
			'error-output good 1',
			'error-output good 2',
		]);

		expect(failure).toHaveLength(2);
		const [missing, malformed] = failure;
		// n8n puts the input item's fields in front of `error`.
		expect(missing.json).toEqual({
			channel: MISSING,
			text: 'error-output to a missing channel',
			error: {
				message: 'Unable to find the existing channel.',
				description: expect.stringMatching(/^Mattermost found no channel abcdefghijklmnopqrstuvwxyz\. .*\(Mattermost request ID: \w+\)$/),
				itemIndex: 1,
			},
		});
		expect(malformed.json).toEqual({
			channel: 'not-an-id',
			text: 'error-output with a malformed id',
			error: {
				message: 'Channel "not-an-id" is not a Mattermost ID',
				description: expect.stringMatching(/26 lowercase letters and digits/),
				itemIndex: 2,
			},
		});

		// The node's own run data shows the same split, each item paired with its input item.
		const output = result.output!;
		expect(output).toHaveLength(2);
		expect(output[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
		expect(output[1].map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(output[1].map((item) => (item.json.error as IDataObject).itemIndex)).toEqual([1, 2]);
	});

	it('Continue (regular output): every item stays on output 0 in order, failed ones as {error, description, itemIndex}', async () => {
		const { mm, seed } = fake;
		const channel = seed.channels.offTopic;
		const result = await runInWorkflow(mm, postFromItem, {
			token: seed.tokens.bot,
			onError: 'continueRegularOutput',
			receivers: 1,
			items: items(channel.id, 'regular-output'),
		});
		expect(result.error).toBeUndefined();
		const [received] = result.received;
		expect(received).toHaveLength(4);
		expect(received[0].json.message).toBe('regular-output good 1');
		expect(received[1].json).toEqual({
			error: 'Unable to find the existing channel.',
			description: expect.stringMatching(/^Mattermost found no channel abcdefghijklmnopqrstuvwxyz\. /),
			itemIndex: 1,
		});
		expect(received[2].json).toEqual({
			error: 'Channel "not-an-id" is not a Mattermost ID',
			description: expect.stringMatching(/26 lowercase letters and digits/),
			itemIndex: 2,
		});
		expect(received[3].json.message).toBe('regular-output good 2');
		expect(result.output).toHaveLength(1);
		expect(result.output![0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('Stop Workflow (the default): the first failed item stops the run with its index', async () => {
		const { mm, seed } = fake;
		const result = await runInWorkflow(mm, postFromItem, {
			token: seed.tokens.bot,
			receivers: 1,
			items: items(seed.channels.townSquare.id, 'stop').slice(1),
		});
		expect(result.error).toMatchObject({ context: { itemIndex: 0 } });
		expect(result.received).toEqual([[]]);
	});
});
