import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { uploadBinaryFiles } from '../../helpers/files';
import { jsonObjectParameter } from '../../helpers/json';
import { resolvePostId } from '../../helpers/resolve';
import { mattermostApiRequest } from '../../transport';
import { postRLC, showOnlyFor } from '../common.descriptions';
import {
	assertBinaryProperties,
	assertFileCount,
	assertMessageLength,
	binaryPropertiesOption,
	fileIdsParameter,
	fileIdsOption,
	listParameter,
} from './postContent';

const properties: INodeProperties[] = [
	{ ...postRLC, description: 'The post to change' },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			binaryPropertiesOption,
			fileIdsOption,
			{
				displayName: 'Message',
				name: 'message',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				placeholder: 'e.g. Deployment finished (edited)',
				description: 'The new text of the post, in Markdown; the post shows as edited',
			},
			{
				displayName: 'Properties (JSON)',
				name: 'props',
				type: 'json',
				default: '{}',
				description:
					'The post\'s new properties (props) as a JSON object. They replace all current ones, attachments included: repeat the ones to keep.',
			},
			{
				displayName: 'Replace Files',
				name: 'replaceFiles',
				type: 'boolean',
				default: false,
				description:
					'Whether the files given replace the post\'s current files (Mattermost deletes the ones left out) instead of being added to them. On with no files given: the post loses all its files.',
			},
		],
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const postId = resolvePostId(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;

	const patch: IDataObject = {};
	if (fields.message !== undefined) {
		const message = String(fields.message);
		assertMessageLength(this, message, itemIndex);
		patch.message = message;
	}
	if (fields.props !== undefined) {
		patch.props =
			jsonObjectParameter(this, fields.props, 'Properties (JSON)', itemIndex, '{"card": "More details"}') ?? {};
	}
	const binaryPropertyNames = assertBinaryProperties(this, listParameter(fields.binaryPropertyNames), itemIndex);
	const fileIds = fileIdsParameter(this, fields.fileIds, itemIndex);
	const replaceFiles = fields.replaceFiles === true;
	const newFiles = binaryPropertyNames.length + fileIds.length;
	assertFileCount(this, newFiles, itemIndex);
	if (Object.keys(patch).length === 0 && newFiles === 0 && !replaceFiles) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			description: 'Add at least one field under "Update Fields", e.g. Message.',
			itemIndex,
		});
	}

	if (newFiles > 0 || replaceFiles) {
		// Mattermost takes file_ids as the post's complete list, and uploads go to the post's channel.
		const current = (await mattermostApiRequest.call(this, 'GET', `/posts/${postId}`, {
			itemIndex,
			subject: `post ${postId}`,
		})) as IDataObject;
		const kept = replaceFiles ? [] : ((current.file_ids as string[] | undefined) ?? []);
		assertFileCount(this, new Set([...kept, ...fileIds]).size + binaryPropertyNames.length, itemIndex);
		const uploaded = binaryPropertyNames.length
			? await uploadBinaryFiles(this, itemIndex, current.channel_id as string, binaryPropertyNames)
			: [];
		patch.file_ids = [...new Set([...kept, ...fileIds, ...uploaded.map((file) => file.id as string)])];
	}

	const post = (await mattermostApiRequest.call(this, 'PUT', `/posts/${postId}/patch`, {
		body: patch,
		itemIndex,
		subject: `post ${postId}`,
	})) as IDataObject;
	return [{ json: post }];
}
