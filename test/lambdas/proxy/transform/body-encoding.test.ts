// Compressed and XML bodies: decoded only when an operation needs them, returned uncompressed JSON, otherwise untouched.
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ResponseTransform } from '../../../../lambdas/contract/proxy-config';
import { MAX_DECODED_BODY_BYTES, transformResponse, type ProxyResponseMessage } from '../../../../lambdas/proxy/transform';

const DOCUMENT = { id: 1, secret: 's', note: 'x'.repeat(200) };
const REMOVE_SECRET: ResponseTransform = { remove: { json: ['secret'] } };

function encoded(coding: string, body: Buffer, type = 'application/json'): ProxyResponseMessage {
  return { status: 200, headers: { 'content-type': [type], 'content-encoding': [coding], 'content-length': [String(body.length)] }, body };
}

const plain = Buffer.from(JSON.stringify(DOCUMENT));

describe.each([
  ['gzip', gzipSync(plain)],
  ['br', brotliCompressSync(plain)],
  ['deflate', deflateSync(plain)],
  ['deflate', deflateRawSync(plain)],
  ['x-gzip', gzipSync(plain)],
])('GIVEN a JSON response compressed with %s', (coding, bytes) => {
  it('WHEN JSON operations apply THEN the body comes back uncompressed, transformed, without content-encoding or length', () => {
    const out = transformResponse(encoded(coding, bytes), REMOVE_SECRET);
    expect(JSON.parse(out.body.toString())).toEqual({ id: 1, note: DOCUMENT.note });
    expect(out.headers).toEqual({ 'content-type': ['application/json'] });
  });

  it('WHEN only header operations are configured THEN the compressed bytes and content-encoding pass untouched', () => {
    const upstream = encoded(coding, bytes);
    const out = transformResponse(upstream, { set: { headers: { 'x-a': '1' } } });
    expect(out.body).toBe(upstream.body);
    expect(out.headers['content-encoding']).toEqual([coding]);
  });

  it('WHEN the JSON operations find nothing to change THEN the compressed bytes pass untouched', () => {
    const upstream = encoded(coding, bytes);
    const out = transformResponse(upstream, { remove: { json: ['absent'] } });
    expect(out.body).toBe(upstream.body);
    expect(out.headers).toEqual(upstream.headers);
  });
});

describe('GIVEN content codings that cannot be undone', () => {
  it('WHEN the coding is unknown THEN the body passes untouched', () => {
    const upstream = encoded('zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
    expect(transformResponse(upstream, REMOVE_SECRET)).toEqual(upstream);
  });

  it('WHEN gzip bytes are corrupt THEN the body passes untouched', () => {
    const upstream = encoded('gzip', Buffer.from('not gzip at all'));
    expect(transformResponse(upstream, REMOVE_SECRET).body).toBe(upstream.body);
  });

  it('WHEN the body decodes to more than the limit THEN it passes untouched (no decompression bomb)', () => {
    // Concatenated gzip members decode as one stream: cheaper to build than one 10 MiB member.
    const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20), { level: 1 });
    const bomb = Buffer.concat(Array.from({ length: MAX_DECODED_BODY_BYTES / (1024 * 1024) + 1 }, () => member));
    const upstream = encoded('gzip', bomb);
    expect(transformResponse(upstream, REMOVE_SECRET).body).toBe(upstream.body);
  });

  it('WHEN two codings were applied THEN they are undone last first', () => {
    const upstream: ProxyResponseMessage = {
      status: 200,
      headers: { 'content-type': ['application/json'], 'content-encoding': ['deflate, gzip'] },
      body: gzipSync(deflateSync(plain)),
    };
    expect(JSON.parse(transformResponse(upstream, REMOVE_SECRET).body.toString())).toEqual({ id: 1, note: DOCUMENT.note });
  });

  it('WHEN a compressed body is not JSON THEN it is not even decoded and passes untouched', () => {
    const upstream = encoded('gzip', gzipSync(Buffer.from([0x89, 0x50, 0x4e, 0x47])), 'image/png');
    expect(transformResponse(upstream, REMOVE_SECRET)).toEqual(upstream);
  });
});

describe('GIVEN xmlToJson on a response', () => {
  const XML = '<?xml version="1.0"?><order id="007"><zip>01234</zip><item>a</item><item>b</item><secret>s</secret></order>';

  function xmlResponse(type: string, body = Buffer.from(XML)): ProxyResponseMessage {
    return { status: 200, headers: { 'content-type': [type], 'content-length': [String(body.length)] }, body };
  }

  it.each(['application/xml', 'text/xml; charset=utf-8', 'application/atom+xml'])(
    'WHEN the content-type is %s THEN the body becomes JSON with @_ attributes and string values',
    (type) => {
      const out = transformResponse(xmlResponse(type), { xmlToJson: true });
      expect(JSON.parse(out.body.toString())).toEqual({ order: { '@_id': '007', zip: '01234', item: ['a', 'b'], secret: 's' } });
      expect(out.headers).toEqual({ 'content-type': ['application/json; charset=utf-8'] });
    },
  );

  it('WHEN JSON operations are configured too THEN they run on the converted document', () => {
    const out = transformResponse(xmlResponse('application/xml'), { xmlToJson: true, remove: { json: ['order.secret', 'order.@_id'] } });
    expect(JSON.parse(out.body.toString())).toEqual({ order: { zip: '01234', item: ['a', 'b'] } });
  });

  it('WHEN the XML is gzip-compressed THEN it is decoded, converted and returned uncompressed', () => {
    const upstream = xmlResponse('application/xml', gzipSync(Buffer.from(XML)));
    upstream.headers['content-encoding'] = ['gzip'];
    const out = transformResponse(upstream, { xmlToJson: true });
    expect(JSON.parse(out.body.toString())).toMatchObject({ order: { zip: '01234' } });
    expect(out.headers['content-encoding']).toBeUndefined();
  });

  it('WHEN a header operation sets the content-type THEN it wins over the converted one', () => {
    const out = transformResponse(xmlResponse('application/xml'), {
      xmlToJson: true,
      set: { headers: { 'content-type': 'application/vnd.x+json' } },
    });
    expect(out.headers['content-type']).toEqual(['application/vnd.x+json']);
  });

  it('WHEN the XML is malformed THEN the body passes untouched', () => {
    const upstream = xmlResponse('application/xml', Buffer.from('<order><zip>1</order>'));
    expect(transformResponse(upstream, { xmlToJson: true })).toEqual(upstream);
  });

  it('WHEN the body is not XML-typed THEN xmlToJson leaves it alone', () => {
    const upstream = xmlResponse('text/html');
    expect(transformResponse(upstream, { xmlToJson: true })).toEqual(upstream);
  });

  it('WHEN the XML nests entity definitions (billion laughs) THEN the converted body stays small', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">' +
      '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]><l>&f;</l>';
    const upstream = xmlResponse('application/xml', Buffer.from(laughs));
    const out = transformResponse(upstream, { xmlToJson: true });
    expect(out.body.length).toBeLessThan(1_000);
  });

  it('WHEN a JSON body meets xmlToJson alone THEN it passes untouched', () => {
    const upstream: ProxyResponseMessage = { status: 200, headers: { 'content-type': ['application/json'] }, body: Buffer.from('{"a":1}') };
    expect(transformResponse(upstream, { xmlToJson: true }).body).toBe(upstream.body);
  });
});
