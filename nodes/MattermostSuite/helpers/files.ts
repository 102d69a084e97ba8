import { randomBytes } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { EXAMPLE_ID } from '../actions/common.descriptions';
import { mattermostApiRequest, type BinaryStream, type StreamedBody } from '../transport';
import { isMattermostId } from './resolve';

interface FileToUpload {
	property: string;
	fileName: string;
	mimeType: string;
	size: number;
	/** Opens the contents from n8n's binary data store (filesystem mode), or undefined when the item holds them. */
	openStream?: () => Promise<BinaryStream>;
	content?: Buffer;
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
	const fileName = fileNameOf(property, meta.fileName, meta.fileExtension);
	const mimeType = meta.mimeType || 'application/octet-stream';
	let file: FileToUpload;
	const binaryDataId = meta.id;
	if (binaryDataId) {
		// Stored outside the item: read it as a stream per attempt, never whole. The item's fileSize is
		// a rounded label ("50 MB"); the store's metadata has the byte count.
		const { fileSize } = await ctx.helpers.getBinaryMetadata(binaryDataId);
		file = { property, fileName, mimeType, size: Number(fileSize), openStream: async () => await ctx.helpers.getBinaryStream(binaryDataId) };
	} else {
		// In memory mode the item holds the file as base64 already; a Buffer adds one copy.
		const content = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		file = { property, fileName, mimeType, size: content.length, content };
	}
	if (!Number.isSafeInteger(file.size) || file.size === 0) {
		throw new NodeOperationError(ctx.getNode(), `The file "${fileName}" in binary property "${property}" is empty`, {
			description: 'Mattermost does not store empty files. Check the node that produced the file.',
			itemIndex,
		});
	}
	return file;
}

/** A header parameter as Go's mime.ParseMediaType reads it: quoted, `"` and `\\` escaped. */
function quoted(value: string): string {
	return `"${value.replace(/[\r\n]+/g, ' ').replace(/(["\\])/g, '\\$1')}"`;
}

async function* fileContents(file: FileToUpload): AsyncGenerator<Buffer> {
	if (!file.openStream) {
		if (file.content) yield file.content;
		return;
	}
	let sent = 0;
	for await (const chunk of await file.openStream()) {
		sent += (chunk as Buffer).length;
		yield chunk as Buffer;
	}
	// The Content-Length promised the stored size: a shorter or longer file would corrupt the request.
	if (sent !== file.size) throw new Error(`The binary data of "${file.fileName}" held ${sent} bytes, not the ${file.size} its metadata says`);
}

/**
 * The multipart/form-data body of `POST /files` as a stream, with its exact length: `channel_id`
 * first (a file part before it forces the server's buffered legacy mode), then one `files` part
 * per file with its file name and MIME type. No `client_ids`: the server answers `file_infos` in
 * part order.
 */
function multipartBody(channelId: string, files: FileToUpload[]): StreamedBody {
	// Not checked against the contents (they are streamed): 128 random bits do not occur in a file by chance.
	const boundary = `n8nMattermostSuite${randomBytes(16).toString('hex')}`;
	const preamble = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="channel_id"\r\n\r\n${channelId}\r\n`);
	const headers = files.map((file) =>
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename=${quoted(file.fileName)}\r\nContent-Type: ${file.mimeType.replace(/[\r\n]/g, '')}\r\n\r\n`,
		),
	);
	const partEnd = Buffer.from('\r\n');
	const epilogue = Buffer.from(`--${boundary}--\r\n`);
	const length =
		preamble.length +
		files.reduce((sum, file, index) => sum + headers[index].length + file.size + partEnd.length, 0) +
		epilogue.length;
	async function* parts(): AsyncGenerator<Buffer> {
		yield preamble;
		for (const [index, file] of files.entries()) {
			yield headers[index];
			yield* fileContents(file);
			yield partEnd;
		}
		yield epilogue;
	}
	return { open: parts, contentType: `multipart/form-data; boundary=${boundary}`, length };
}

/**
 * Uploads the files in the given binary properties of an item to a channel in ONE
 * `POST /files` request and returns their FileInfos in the order of `binaryPropertyNames`;
 * their ids can go into a post's `file_ids`.
 *
 * The body is a stream built here: files in n8n's filesystem binary data mode go from disk to the
 * socket chunk by chunk (a 500 MB file never sits in memory). Node's FormData/Blob would need the
 * whole file as a Blob, and the file name is quoted the way Go's multipart reader unquotes it
 * (FormData percent-encodes `"` as %22, which the server would keep in the name). A retry opens
 * the files again.
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
	const body = multipartBody(channelId, files);
	const fileNames = files.map((file) => file.fileName);

	const response = (await mattermostApiRequest.call(ctx, 'POST', '/files', {
		body,
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
