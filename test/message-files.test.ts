/**
 * A 50 MB file from a binary property, uploaded and attached to a post through real n8n-core
 * contexts (filesystem binary data mode): the bytes Mattermost stores are the bytes n8n had.
 */
import { createHash } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { executeNode } from './harness';
import { byId, runNode, useFakeMattermost } from './support';

const fake = useFakeMattermost();

/** A node that makes one item with a pseudo-random binary file of the given size. */
class MakeFile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Make File',
		name: 'makeFile',
		group: ['input'],
		version: 1,
		description: 'Makes a binary file for tests',
		defaults: { name: 'Make File' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Size', name: 'size', type: 'number', default: 1 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const size = this.getNodeParameter('size', 0) as number;
		const content = Buffer.alloc(size);
		let state = 12345;
		for (let i = 0; i < size; i += 4) {
			state = (state * 1103515245 + 12345) >>> 0;
			content.writeUInt32LE(state, i);
		}
		const data = await this.helpers.prepareBinaryData(content, 'dump.bin', 'application/octet-stream');
		return [[{ json: { sha256: createHash('sha256').update(content).digest('hex') }, binary: { data } }]];
	}
}

describe('Message > Post with a 50 MB file', () => {
	it('uploads it to the channel and attaches it; the stored file has the same sha256', async () => {
		const { mm, seed } = fake;
		const size = 50 * 1024 * 1024;
		const made = await executeNode({ nodeType: new MakeFile(), parameters: { size } });
		const input = made.output[0];
		expect(input[0].binary?.data).toMatchObject({ fileName: 'dump.bin', bytes: size });
		expect(input[0].binary?.data.id).toBeTruthy(); // stored as a reference, not inline

		mm.clearRequests();
		const [item] = await runNode(
			mm,
			{
				resource: 'message',
				operation: 'post',
				channelId: byId(seed.channels.townSquare.id),
				message: 'The dump',
				options: { binaryPropertyNames: 'data' },
			},
			{ token: seed.tokens.bot, items: input },
		);

		const upload = mm.requests.find((r: any) => r.path === '/api/v4/files');
		expect(upload.body.files).toEqual([
			expect.objectContaining({ filename: 'dump.bin', size, sha256: input[0].json.sha256 }),
		]);
		const stored = mm.state.posts.get(item.json.id);
		expect(stored.file_ids).toHaveLength(1);
		const file = mm.state.files.get(stored.file_ids[0]);
		expect(file).toMatchObject({ name: 'dump.bin', size, post_id: stored.id, channel_id: seed.channels.townSquare.id });
		expect(createHash('sha256').update(file.content).digest('hex')).toBe(input[0].json.sha256);
		expect(item.json.file_ids).toEqual(stored.file_ids);
	}, 120_000);
});
