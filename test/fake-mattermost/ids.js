'use strict';
const crypto = require('crypto');

// Mattermost ids are 16 random bytes in a custom lowercase base32 alphabet: 26 characters.
const ID_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';
const ID_PATTERN = /^[a-z0-9]{26}$/;

function newId() {
	let id = '';
	for (const byte of crypto.randomBytes(26)) id += ID_ALPHABET[byte & 31];
	return id;
}

function isValidId(value) {
	return typeof value === 'string' && ID_PATTERN.test(value);
}

module.exports = { newId, isValidId };
