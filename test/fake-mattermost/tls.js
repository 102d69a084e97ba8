'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/** A fresh self-signed certificate for 127.0.0.1, made with the openssl CLI. */
function createSelfSignedCertificate() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-mattermost-tls-'));
	const keyFile = path.join(dir, 'key.pem');
	const certFile = path.join(dir, 'cert.pem');
	try {
		execFileSync(
			'openssl',
			[
				'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
				'-subj', '/CN=127.0.0.1',
				'-addext', 'subjectAltName=IP:127.0.0.1',
				'-keyout', keyFile,
				'-out', certFile,
			],
			{ stdio: ['ignore', 'ignore', 'pipe'] },
		);
		return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
	} catch (error) {
		if (error.code === 'ENOENT') throw new Error('fake-mattermost: tls needs the openssl command line tool');
		throw new Error(`fake-mattermost: openssl failed: ${error.stderr || error.message}`);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

module.exports = { createSelfSignedCertificate };
