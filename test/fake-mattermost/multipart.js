'use strict';
const crypto = require('crypto');

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

class MultipartError extends Error {}

function boundaryOf(contentType) {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
	return match ? match[1] || match[2] : null;
}

/**
 * A streaming multipart/form-data parser: feed it chunks as they arrive with write(), then end().
 * Each chunk is scanned once with Buffer#indexOf; only a delimiter-sized tail is carried over,
 * so large uploads cost linear time and no extra copies of part bodies.
 */
class MultipartParser {
	constructor(boundary, { onPartBegin, onPartData, onPartEnd }) {
		this.delimiter = Buffer.from(`\r\n--${boundary}`);
		this.handlers = { onPartBegin, onPartData, onPartEnd };
		// The first delimiter has no leading CRLF: pretend it had one.
		this.buffer = CRLF;
		this.state = 'preamble';
	}

	write(chunk) {
		this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
		this.process();
	}

	end() {
		if (this.state !== 'done') throw new MultipartError('unexpected end of multipart body');
	}

	process() {
		for (;;) {
			switch (this.state) {
				case 'preamble':
				case 'body':
					if (!this.consumeUntilDelimiter()) return;
					break;
				case 'afterDelimiter':
					if (!this.consumeDelimiterSuffix()) return;
					break;
				case 'headers':
					if (!this.consumeHeaders()) return;
					break;
				default:
					this.buffer = Buffer.alloc(0);
					return;
			}
		}
	}

	consumeUntilDelimiter() {
		const index = this.buffer.indexOf(this.delimiter);
		const inBody = this.state === 'body';
		if (index === -1) {
			const keep = Math.min(this.buffer.length, this.delimiter.length - 1);
			const ready = this.buffer.length - keep;
			if (inBody && ready > 0) this.handlers.onPartData(this.buffer.subarray(0, ready));
			this.buffer = this.buffer.subarray(ready);
			return false;
		}
		if (inBody) {
			if (index > 0) this.handlers.onPartData(this.buffer.subarray(0, index));
			this.handlers.onPartEnd();
		}
		this.buffer = this.buffer.subarray(index + this.delimiter.length);
		this.state = 'afterDelimiter';
		return true;
	}

	consumeDelimiterSuffix() {
		if (this.buffer.length < 2) return false;
		if (this.buffer[0] === 0x2d && this.buffer[1] === 0x2d) {
			this.state = 'done';
			return true;
		}
		const lineEnd = this.buffer.indexOf(CRLF);
		if (lineEnd === -1) {
			if (this.buffer.length > 1024) throw new MultipartError('malformed multipart delimiter line');
			return false;
		}
		// RFC 2046 allows transport padding (spaces, tabs) after the delimiter.
		if (!/^[ \t]*$/.test(this.buffer.toString('latin1', 0, lineEnd))) {
			throw new MultipartError('malformed multipart delimiter line');
		}
		this.buffer = this.buffer.subarray(lineEnd + 2);
		this.state = 'headers';
		return true;
	}

	consumeHeaders() {
		let headerBytes;
		let rest;
		if (this.buffer.length >= 2 && this.buffer[0] === 0x0d && this.buffer[1] === 0x0a) {
			headerBytes = '';
			rest = 2;
		} else {
			const end = this.buffer.indexOf(HEADER_END);
			if (end === -1) {
				if (this.buffer.length > MAX_HEADER_BYTES) throw new MultipartError('multipart part headers too large');
				return false;
			}
			headerBytes = this.buffer.toString('utf8', 0, end);
			rest = end + HEADER_END.length;
		}
		this.handlers.onPartBegin(parsePartHeaders(headerBytes));
		this.buffer = this.buffer.subarray(rest);
		this.state = 'body';
		return true;
	}
}

function parsePartHeaders(text) {
	const headers = {};
	for (const line of text.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	const disposition = parseHeaderParams(headers['content-disposition'] || '');
	let filename = disposition['filename*'] ? decodeExtValue(disposition['filename*']) : disposition.filename;
	// Go's Part.FileName() applies filepath.Base, so directory parts never reach the server.
	if (filename !== undefined) filename = filename.slice(filename.lastIndexOf('/') + 1);
	return {
		name: disposition.name,
		filename,
		contentType: headers['content-type'] || (filename !== undefined ? 'application/octet-stream' : 'text/plain'),
	};
}

function parseHeaderParams(value) {
	const params = {};
	const pattern = /;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
	let match;
	while ((match = pattern.exec(value))) {
		const raw = match[2].trim();
		params[match[1].toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
	}
	return params;
}

function decodeExtValue(value) {
	const match = /^[^']*'[^']*'(.*)$/.exec(value);
	try {
		return decodeURIComponent(match ? match[1] : value);
	} catch {
		return value;
	}
}

/**
 * Collects a multipart body into { fields, files, order }. File parts keep their content (one
 * Buffer.concat per file at the end) together with size and sha256; fields are decoded as UTF-8.
 */
class FormCollector {
	constructor(boundary) {
		this.form = { fields: {}, files: [], order: [] };
		this.current = null;
		this.parser = new MultipartParser(boundary, {
			onPartBegin: (headers) => this.begin(headers),
			onPartData: (chunk) => this.data(chunk),
			onPartEnd: () => this.finish(),
		});
	}

	write(chunk) {
		this.parser.write(chunk);
	}

	end() {
		this.parser.end();
		return this.form;
	}

	begin(headers) {
		const isFile = headers.filename !== undefined;
		this.current = { ...headers, chunks: [], hash: isFile ? crypto.createHash('sha256') : null };
		this.form.order.push(headers.name);
	}

	data(chunk) {
		this.current.chunks.push(chunk);
		// Hashing while streaming spares a second pass over large files.
		if (this.current.hash) this.current.hash.update(chunk);
	}

	finish() {
		const part = this.current;
		this.current = null;
		if (part.hash) {
			const content = Buffer.concat(part.chunks);
			this.form.files.push({
				field: part.name,
				filename: part.filename,
				contentType: part.contentType,
				size: content.length,
				sha256: part.hash.digest('hex'),
				content,
			});
			return;
		}
		const value = Buffer.concat(part.chunks).toString('utf8');
		(this.form.fields[part.name] = this.form.fields[part.name] || []).push(value);
	}
}

/** The form as recorded in mm.requests: everything but file contents. */
function describeForm(form) {
	return {
		fields: form.fields,
		files: form.files.map(({ content, ...file }) => file),
		order: form.order,
	};
}

module.exports = { MultipartParser, MultipartError, FormCollector, boundaryOf, describeForm };
