// docs/test-vectors.json, entry by entry (PROTOCOL.md, "Test vectors").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromHex, toHex, b64uDecode, b64uEncode, utf8 } from '../src/bytes.js';
import { open, privateKey, seal, sha256 } from '../src/crypto.js';
import {
  aad, authorityOf, certificate, customerSecret, customerSecretInput, decodeScrip, encodeScrip, encodeScripBody,
  formatMillicent, mac16, parseMillicent, replyMacInput, requestMacInput,
} from '../src/protocol.js';

// scrip_id and customer_id are unsigned 64-bit: read them as text, never as doubles.
const raw = readFileSync(new URL('../../../docs/test-vectors.json', import.meta.url), 'utf8');
const V = JSON.parse(raw.replace(/"(scrip_id|customer_id)":\s*(\d+)/g, '"$1": "$2"'));

const scripFields = (f) => ({
  vendor: f.vendor, value: f.value_millicents, scripId: BigInt(f.scrip_id), customerId: BigInt(f.customer_id),
  expiresAt: f.expires_at, spend: f.spend, properties: f.properties,
});

test('there are vectors of every section', () => {
  for (const s of ['scrip', 'customer_secret', 'request_mac', 'reply_mac', 'sealed']) assert.ok(V[s].length > 0, s);
});

for (const v of V.scrip) {
  test(`scrip: ${v.name}`, async () => {
    const body = encodeScripBody(scripFields(v.fields));
    assert.equal(toHex(body), v.body);
    const cert = await certificate(fromHex(v.master_secret), body);
    assert.equal(toHex(cert), v.certificate);
    const full = encodeScrip({ ...scripFields(v.fields), certificate: cert });
    assert.equal(b64uEncode(full), v.token);
    const back = decodeScrip(v.token);
    assert.deepEqual({ ...back, certificate: undefined }, { ...scripFields(v.fields), certificate: undefined });
    assert.equal(Number(back.scripId >> 56n), v.key_id);
    assert.equal(b64uEncode(encodeScrip(back)), v.token);
  });
}

for (const v of V.customer_secret) {
  test(`customer secret: ${v.name}`, async () => {
    assert.equal(toHex(customerSecretInput(v.vendor, v.customer_id)), v.input);
    assert.equal(toHex(await customerSecret(fromHex(v.customer_master_secret), v.vendor, v.customer_id)), v.customer_secret);
  });
}

for (const v of V.request_mac) {
  test(`request MAC: ${v.name}`, async () => {
    const f = v.fields;
    const digest = await sha256(fromHex(f.body));
    assert.equal(toHex(digest), f.body_digest);
    const input = requestMacInput(fromHex(f.scrip), fromHex(f.nonce), {
      authority: { scheme: f.scheme, host: f.host, port: f.port }, method: f.method, target: f.target, bodyDigest: digest,
    });
    assert.equal(toHex(input), v.input);
    assert.equal(toHex(await mac16(fromHex(v.customer_secret), input)), v.mac);
  });
}

for (const v of V.reply_mac) {
  test(`reply MAC: ${v.name}`, async () => {
    const f = v.fields;
    const digest = await sha256(fromHex(f.body));
    assert.equal(toHex(digest), f.body_digest);
    const input = replyMacInput(fromHex(f.request_mac), f.status, fromHex(f.change), digest);
    assert.equal(toHex(input), v.input);
    assert.equal(toHex(await mac16(fromHex(v.customer_secret), input)), v.mac);
  });
}

for (const v of V.sealed) {
  test(`sealed: ${v.role}`, async () => {
    const key = await privateKey(fromHex(v.customer_secret));
    assert.equal(toHex(key), v.key);
    const f = v.fields;
    let a;
    if (v.role === 'payment') {
      a = aad.payment(f.vendor, f.customer_id, {
        authority: { scheme: f.scheme, host: f.host, port: f.port }, method: f.method, target: f.target,
        bodyDigest: fromHex(f.body_digest),
      });
      assert.equal(v.plaintext, '00' + (f.scrip.length / 2).toString(16) + f.scrip + f.request_nonce);
    } else if (v.role === 'request_body') a = aad.requestBody(f.vendor, f.customer_id);
    else if (v.role === 'change') a = aad.change(fromHex(f.payment_tag));
    else if (v.role === 'response') a = aad.response(fromHex(f.payment_tag), f.status);
    else if (v.role === 'secret') a = aad.secret(f.vendor, f.customer_id);
    else assert.fail('unknown role ' + v.role);
    assert.equal(toHex(a), v.aad);
    const sealed = await seal(key, a, fromHex(v.plaintext), fromHex(v.nonce));
    assert.equal(toHex(sealed), v.ciphertext);
    assert.equal(toHex(await open(key, a, fromHex(v.ciphertext))), v.plaintext);
    const altered = fromHex(v.ciphertext);
    altered[altered.length - 1] ^= 1;
    await assert.rejects(open(key, a, altered), (e) => e.code === 'forged');
    await assert.rejects(open(key, a, altered.subarray(0, 28)), (e) => e.code === 'malformed');
  });
}

test('authority of URLs (PROTOCOL.md, "Authority" examples)', () => {
  assert.deepEqual(authorityOf('https://Venetia.Example/pages/1'), { scheme: 'https', host: 'venetia.example', port: 443 });
  assert.deepEqual(authorityOf('http://[0:0::1]:8080/'), { scheme: 'http', host: '[::1]', port: 8080 });
});

test('the example Authorization header of PROTOCOL.md, "HTTP binding"', () => {
  const r = V.request_mac[0];
  const h = formatMillicent([
    ['v', '2'], ['variant', 'signed'], ['scrip', V.scrip[0].token], ['nonce', b64uEncode(fromHex(r.fields.nonce))],
    ['mac', b64uEncode(fromHex(r.mac))],
  ]);
  assert.equal(
    h,
    'Millicent v=2, variant=signed, scrip=Agd2ZW5ldGlhAAAAAAAAA-gAAAAAAAAAAQEAAAAAAAABAAAAAPSGVwABAHttONFDD1lNtT3pbV5cfj4, nonce=gIGCg4SFhoeIiYqLjI2Ojw, mac=8qkQrRncIjnidBlDSNDFLQ',
  );
  const offer = parseMillicent(
    'Millicent v=2, vendor=venetia, price=100, currency=USD, variants="signed private", brokers="http://127.0.0.1:8081"',
  );
  assert.deepEqual(offer, {
    v: '2', vendor: 'venetia', price: '100', currency: 'USD', variants: 'signed private', brokers: 'http://127.0.0.1:8081',
  });
  assert.throws(() => parseMillicent('Millicent v=2, v=2'), /twice/);
});

test('strict base64url and strict scrip decoding refuse what they must', () => {
  assert.throws(() => b64uDecode('AB=='), (e) => e.code === 'malformed');
  assert.throws(() => b64uDecode('A'), (e) => e.code === 'malformed');
  assert.throws(() => b64uDecode('AB'), (e) => e.code === 'malformed'); // unused bits set
  const good = b64uDecode(V.scrip[0].token);
  const v1 = good.slice();
  v1[0] = 1;
  assert.throws(() => decodeScrip(v1), (e) => e.code === 'malformed');
  assert.throws(() => decodeScrip(good.subarray(0, good.length - 1)), (e) => e.code === 'malformed');
  const spend = good.slice();
  spend[2 + 7 + 32] = 3;
  assert.throws(() => decodeScrip(spend), (e) => e.code === 'malformed');
  assert.equal(utf8('x').length, 1);
});
