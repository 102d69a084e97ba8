'use strict';

// What Go's mime.TypeByExtension answers for the common cases; the server derives a file's
// mime type from its extension, not from the part's Content-Type.
const MIME_BY_EXTENSION = {
	txt: 'text/plain; charset=utf-8',
	md: 'text/markdown; charset=utf-8',
	csv: 'text/csv; charset=utf-8',
	html: 'text/html; charset=utf-8',
	htm: 'text/html; charset=utf-8',
	xml: 'text/xml; charset=utf-8',
	json: 'application/json',
	js: 'text/javascript; charset=utf-8',
	pdf: 'application/pdf',
	zip: 'application/zip',
	gz: 'application/gzip',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	bmp: 'image/bmp',
	svg: 'image/svg+xml',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	ogg: 'audio/ogg',
	mp4: 'video/mp4',
	webm: 'video/webm',
	mov: 'video/quicktime',
};

function detectMimeType(extension, fallback = 'application/octet-stream') {
	return MIME_BY_EXTENSION[String(extension).toLowerCase()] || fallback;
}

function isMedia(mimeType) {
	return /^(image|video|audio)\//.test(mimeType || '');
}

/** Width and height of PNG, GIF and JPEG images, read from their headers; null for anything else. */
function imageDimensions(data, mimeType) {
	if (mimeType === 'image/png' && data.length >= 24 && data.toString('latin1', 1, 4) === 'PNG') {
		return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
	}
	if (mimeType === 'image/gif' && data.length >= 10 && data.toString('latin1', 0, 3) === 'GIF') {
		return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
	}
	if (mimeType === 'image/jpeg') return jpegDimensions(data);
	return null;
}

function jpegDimensions(data) {
	let offset = 2;
	while (offset + 9 < data.length && data[offset] === 0xff) {
		const marker = data[offset + 1];
		const length = data.readUInt16BE(offset + 2);
		const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
		if (isStartOfFrame) return { height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
		offset += 2 + length;
	}
	return null;
}

module.exports = { detectMimeType, isMedia, imageDimensions };
