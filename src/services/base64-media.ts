import { PayloadTooLargeError, ValidationError } from '../core/errors.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes of base64 media in a JSON body (a `data:` URL prefix and line breaks allowed),
 * refused before decoding when it is not base64 or holds more than `maxBytes`.
 */
export function decodeBase64Media(input: string, field: string, maxBytes: number): Buffer {
  const text = input.replace(/^data:[^,]*;base64,/, '').replace(/\s/g, '');
  if (!BASE64.test(text)) throw new ValidationError(`${field} is not valid base64`, [{ field, message: 'is not valid base64' }]);
  const size = Math.floor((text.length * 3) / 4) - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
  if (size > maxBytes) {
    throw new PayloadTooLargeError(`${field.split('.')[0]} is larger than the ${maxBytes}-byte limit (MEDIA_MAX_BYTES)`, [{ field, message: `larger than ${maxBytes} bytes` }]);
  }
  return Buffer.from(text, 'base64');
}
