import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fileIdFrom, fileNameFromContentDisposition } from '../../helpers/files';
import { mattermostApiRequest, type BinaryStream } from '../../transport';
import { showOnlyFor } from '../common.descriptions';
import { fileIdProperty } from './descriptions';

const properties: INodeProperties[] = [
	fileIdProperty,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		hint: 'The name of the output binary field to put the file in',
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['file'], operation: ['download'] } },
	properties,
);

interface BinaryResponse {
	body: BinaryStream;
	headers: Record<string, unknown>;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const fileId = fileIdFrom(this, this.getNodeParameter('fileId', itemIndex), itemIndex);
	const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	if (binaryPropertyName === '') {
		throw new NodeOperationError(this.getNode(), 'Put Output File in Field is empty', {
			description: 'Enter the name of the binary field for the file, e.g. data.',
			itemIndex,
		});
	}

	// The info first: a small request that fails fast on a wrong or unreadable file, and gives
	// the stored MIME type (the download answers text/plain for HTML and JavaScript files).
	const info = (await mattermostApiRequest.call(this, 'GET', `/files/${fileId}/info`, {
		itemIndex,
		subject: `file ${fileId}`,
	})) as IDataObject;
	const response = (await mattermostApiRequest.call(this, 'GET', `/files/${fileId}`, {
		binary: true,
		itemIndex,
		subject: `file ${fileId}`,
	})) as BinaryResponse;

	const fileName =
		fileNameFromContentDisposition(header(response.headers, 'content-disposition')) ??
		(typeof info.name === 'string' && info.name !== '' ? info.name : fileId);
	const servedType = header(response.headers, 'content-type')?.split(';')[0].trim();
	const mimeType =
		(typeof info.mime_type === 'string' && info.mime_type !== '' ? info.mime_type : undefined) ??
		(servedType || 'application/octet-stream');

	// A stream: in filesystem binary data mode n8n writes it to disk as it arrives.
	const binary = await this.helpers.prepareBinaryData(response.body, fileName, mimeType);
	return [{ json: { ...info, name: fileName }, binary: { [binaryPropertyName]: binary } }];
}
