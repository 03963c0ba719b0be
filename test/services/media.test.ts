import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadGatewayError, PayloadTooLargeError, ValidationError } from '../../src/core/errors.js';
import { MediaFetcher } from '../../src/services/media-fetch.js';
import { mediaKindOf, resolveMimeType, sanitizeFileName } from '../../src/services/media-types.js';

describe('media naming and types', () => {
  it('keeps only a harmless last segment of an original name', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('..\\..\\windows\\win.ini')).toBe('win.ini');
    expect(sanitizeFileName('.hidden')).toBe('hidden');
    expect(sanitizeFileName('re"port\u0000.pdf')).toBe('report.pdf');
    expect(sanitizeFileName('../')).toBeNull();
    expect(sanitizeFileName(undefined)).toBeNull();
  });

  it('takes the declared type, else guesses from names', () => {
    expect(resolveMimeType('Image/PNG', 'x.jpg')).toBe('image/png');
    expect(resolveMimeType('audio/ogg; codecs=opus')).toBe('audio/ogg; codecs=opus');
    expect(resolveMimeType('application/octet-stream', 'report.pdf')).toBe('application/pdf');
    expect(resolveMimeType(undefined, undefined, 'photo.jpeg')).toBe('image/jpeg');
    expect(resolveMimeType(undefined, 'noext')).toBe('application/octet-stream');
    expect(resolveMimeType('image/png\r\nSet-Cookie: a=b', 'x.jpg')).toBe('image/jpeg');
    expect(resolveMimeType('audio/ogg; codecs=opus; bad=ö; q="x\ny"')).toBe('audio/ogg; codecs=opus');
    expect(resolveMimeType('image/png/extra')).toBe('application/octet-stream');
  });

  it('maps types to WhatsApp media kinds', () => {
    expect(mediaKindOf('image/jpeg')).toBe('image');
    expect(mediaKindOf('image/webp')).toBe('sticker');
    expect(mediaKindOf('video/mp4')).toBe('video');
    expect(mediaKindOf('audio/ogg; codecs=opus')).toBe('audio');
    expect(mediaKindOf('application/pdf')).toBe('document');
    expect(mediaKindOf('image/svg+xml')).toBe('document');
  });
});

describe('MediaFetcher', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/photo.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(100, 1));
      if (req.url === '/untyped/report.pdf') return res.writeHead(200).end('%PDF-1.4');
      if (req.url === '/big') return res.writeHead(200, { 'content-type': 'image/png', 'content-length': '5000' }).end(Buffer.alloc(5000));
      if (req.url === '/endless') {
        res.writeHead(200, { 'content-type': 'video/mp4' });
        const timer = setInterval(() => res.write(Buffer.alloc(512)), 1);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (req.url === '/moved') return res.writeHead(302, { location: '/photo.png' }).end();
      if (req.url === '/broken') return res.writeHead(503).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const fetcher = (allowPrivateUrls = true) => new MediaFetcher({ maxBytes: 1000, timeoutMs: 5000, allowPrivateUrls });

  it('downloads with the response type and the URL name as hints, following redirects', async () => {
    const png = await fetcher().fetch(`${base}/moved`);
    expect(png).toMatchObject({ contentType: 'image/png', urlFileName: 'photo.png' });
    expect(png.data.length).toBe(100);
    const pdf = await fetcher().fetch(`${base}/untyped/report.pdf`);
    expect(pdf.contentType).toBeUndefined();
    expect(pdf.urlFileName).toBe('report.pdf');
  });

  it('stops at the size cap, declared or streamed', async () => {
    await expect(fetcher().fetch(`${base}/big`)).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(fetcher().fetch(`${base}/endless`)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('explains upstream failures', async () => {
    await expect(fetcher().fetch(`${base}/missing`)).rejects.toThrow(ValidationError);
    await expect(fetcher().fetch(`${base}/missing`)).rejects.toThrow(/HTTP 404/);
    await expect(fetcher().fetch(`${base}/broken`)).rejects.toBeInstanceOf(BadGatewayError);
    await expect(fetcher().fetch('ftp://example.com/x')).rejects.toThrow(/http or https/);
  });

  it('refuses private addresses unless allowed, also by name', async () => {
    await expect(fetcher(false).fetch(`${base}/photo.png`)).rejects.toThrow(/private or loopback/);
    const port = new URL(base).port;
    await expect(fetcher(false).fetch(`http://localhost:${port}/photo.png`)).rejects.toThrow(/private or loopback/);
  });
});
