import { randomBytes } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { EXAMPLE_ID } from '../actions/common.descriptions';
import { mattermostApiRequest } from '../transport';
import { isMattermostId } from './resolve';

interface FileToUpload {
	property: string;
	fileName: string;
	mimeType: string;
	content: Buffer;
}

/** "data, attachment" or ["data", "attachment"] → ["data", "attachment"]. */
export function binaryPropertyNamesFrom(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return list.map((name) => String(name).trim()).filter((name) => name !== '');
}

function fileNameOf(property: string, fileName: string | undefined, fileExtension: string | undefined): string {
	const name = (fileName ?? '').trim();
	if (name !== '') return name;
	return fileExtension ? `${property}.${fileExtension}` : property;
}

async function readFile(ctx: IExecuteFunctions, itemIndex: number, property: string): Promise<FileToUpload> {
	const available = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
	if (!available.includes(property)) {
		throw new NodeOperationError(ctx.getNode(), `The input item has no binary property "${property}"`, {
			description:
				available.length > 0
					? `Its binary properties are: ${available.map((name) => `"${name}"`).join(', ')}. Enter one of these names as the binary field to upload.`
					: 'The input item carries no binary data at all. Read or download the file in an earlier node (e.g. "Read/Write Files from Disk" or "HTTP Request" with the response format File).',
			itemIndex,
		});
	}
	const meta = ctx.helpers.assertBinaryData(itemIndex, property);
	const content = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	const fileName = fileNameOf(property, meta.fileName, meta.fileExtension);
	if (content.length === 0) {
		throw new NodeOperationError(ctx.getNode(), `The file "${fileName}" in binary property "${property}" is empty`, {
			description: 'Mattermost does not store empty files. Check the node that produced the file.',
			itemIndex,
		});
	}
	return { property, fileName, mimeType: meta.mimeType || 'application/octet-stream', content };
}

/** A header parameter as Go's mime.ParseMediaType reads it: quoted, `"` and `\\` escaped. */
function quoted(value: string): string {
	return `"${value.replace(/[\r\n]+/g, ' ').replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * The multipart/form-data body of `POST /files`: `channel_id` first (a file part before it
 * forces the server's buffered legacy mode), then one `files` part per file with its file name
 * and MIME type. No `client_ids`: the server answers `file_infos` in part order.
 */
function multipartBody(channelId: string, files: FileToUpload[]): { body: Buffer; contentType: string } {
	let boundary = `n8nMattermostSuite${randomBytes(16).toString('hex')}`;
	// A boundary must not occur in any part; with 128 random bits this loop never runs twice.
	while (files.some((file) => file.content.includes(boundary))) {
		boundary = `n8nMattermostSuite${randomBytes(16).toString('hex')}`;
	}
	const parts: Buffer[] = [
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="channel_id"\r\n\r\n${channelId}\r\n`),
	];
	for (const file of files) {
		const type = file.mimeType.replace(/[\r\n]/g, '');
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename=${quoted(file.fileName)}\r\nContent-Type: ${type}\r\n\r\n`,
			),
			file.content,
			Buffer.from('\r\n'),
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Uploads the files in the given binary properties of an item to a channel in ONE
 * `POST /files` request and returns their FileInfos in the order of `binaryPropertyNames`;
 * their ids can go into a post's `file_ids`.
 *
 * Why a Buffer body built here rather than Node's FormData/Blob: both reach Mattermost intact
 * through n8n's httpRequest (n8n passes a WHATWG FormData to axios untouched, and axios's Node
 * adapter serialises it with its own boundary and an exact Content-Length). But axios streams a
 * FormData in fresh chunks, and the follow-redirects layer under axios keeps every written chunk
 * until the answer (to replay the body on a redirect): with the Buffer read from n8n and the
 * Blob copy of it, a 50 MB upload held three copies (≈ +150 MB RSS). One Buffer is written in
 * one piece and only referenced there: two copies (≈ +100 MB). It also lets the file name be
 * quoted the way Go's multipart reader unquotes it (FormData percent-encodes `"` as %22, which
 * the server would keep in the name), and the same bytes are sent again when the transport
 * retries.
 */
export async function uploadBinaryFiles(
	ctx: IExecuteFunctions,
	itemIndex: number,
	channelId: string,
	binaryPropertyNames: string[],
): Promise<IDataObject[]> {
	const properties = binaryPropertyNamesFrom(binaryPropertyNames);
	if (properties.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No binary property to upload was given', {
			description: 'Enter the name of the binary property holding the file, e.g. data. Separate several names with commas.',
			itemIndex,
		});
	}
	const files: FileToUpload[] = [];
	for (const property of properties) files.push(await readFile(ctx, itemIndex, property));
	const { body, contentType } = multipartBody(channelId, files);
	const fileNames = files.map((file) => file.fileName);
	// Only the multipart body holds the contents from here on.
	files.length = 0;

	const response = (await mattermostApiRequest.call(ctx, 'POST', '/files', {
		body,
		headers: { 'Content-Type': contentType },
		itemIndex,
		subject: `channel ${channelId}`,
	})) as { file_infos?: IDataObject[] } | undefined;
	const infos = Array.isArray(response?.file_infos) ? response.file_infos : [];
	if (infos.length !== properties.length) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Mattermost stored ${infos.length} of the ${properties.length} files sent (${fileNames.join(', ')})`,
			{ description: 'Try the upload again; if it keeps failing, check the server log.', itemIndex },
		);
	}
	return infos;
}

/**
 * A file id, also taken out of an API address that holds one (`…/api/v4/files/<id>…`). Checked
 * before any request: a Mattermost id is 26 lowercase letters and digits.
 */
export function fileIdFrom(ctx: IExecuteFunctions, value: unknown, itemIndex: number, field = 'File ID'): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const fromUrl = /\/files\/([a-z0-9]{26})(?:[/?#]|$)/.exec(text)?.[1];
	const id = fromUrl ?? text;
	if (!isMattermostId(id)) {
		throw new NodeOperationError(ctx.getNode(), id === '' ? `${field} is empty` : `${field} "${id}" is not a Mattermost ID`, {
			description: `A Mattermost file ID is 26 lowercase letters and digits, e.g. ${EXAMPLE_ID}. Take it from the "id" of an uploaded file, or from the "file_ids" of a post.`,
			itemIndex,
		});
	}
	return id;
}

/**
 * The file name of a Content-Disposition header: `filename*=UTF-8''…` first, else `filename="…"`.
 * Mattermost percent-encodes both forms (url.PathEscape), so both are decoded.
 */
export function fileNameFromContentDisposition(header: unknown): string | undefined {
	const value = Array.isArray(header) ? String(header[0] ?? '') : typeof header === 'string' ? header : '';
	const decode = (text: string) => {
		try {
			return decodeURIComponent(text);
		} catch {
			return text;
		}
	};
	const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(value);
	if (extended) {
		const name = decode(extended[2].trim().replace(/^"|"$/g, ''));
		if (name !== '') return name;
	}
	const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(value);
	const name = plain ? decode((plain[1] ?? plain[2] ?? '').replace(/\\(.)/g, '$1').trim()) : '';
	return name !== '' ? name : undefined;
}
