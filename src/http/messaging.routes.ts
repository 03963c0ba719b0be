import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppServices } from '../app-context.js';
import { ValidationError } from '../core/errors.js';
import type { SendFileInput } from '../services/messaging.service.js';
import { MEDIA_KINDS } from '../services/media-kind.js';
import type { MediaKind } from '../engines/engine.js';
import { authErrors, ErrorResponse, IdParams, secured } from './schemas/common.js';
import { MAX_MENTIONS, MediaParams, SendFileForm, SendMediaBody, SendResponse, SendTextBody } from './schemas/messaging.js';

const sendErrors = { ...authErrors, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 429: ErrorResponse, 502: ErrorResponse };

const FORM_FIELDS = ['phone', 'caption', 'kind', 'quotedMessageId'];
const MENTIONS_FIELD = 'mentions';
const FILE_FIELD = 'file';
const FORM_SHAPE = 'send-file expects multipart/form-data with the fields phone, file and optionally caption, kind, quotedMessageId and mentions';

/**
 * The multipart plugin's and its parser's errors as the client mistakes they are: a form without
 * a boundary or cut off before its end, a second file. Only a file over MEDIA_MAX_BYTES stays 413.
 */
function formError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return error;
  if (code === 'FST_FILES_LIMIT') return new ValidationError('send-file takes exactly one file, in the field file', [{ field: FILE_FIELD, message: 'must be a single file' }]);
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return new ValidationError(`Too many form fields: ${FORM_SHAPE}`);
  return new ValidationError(`Malformed multipart/form-data body: ${error.message}. ${FORM_SHAPE}`);
}

/** Reads `phone`, `caption` and `file` from a multipart form; the plugin's size limit answers 413. */
async function readSendFileForm(request: FastifyRequest): Promise<SendFileInput> {
  if (!request.isMultipart()) {
    throw new ValidationError(FORM_SHAPE, [{ field: FILE_FIELD, message: 'must be sent as multipart/form-data' }]);
  }
  const fields: Record<string, string> = {};
  const mentions: string[] = [];
  const unknown: string[] = [];
  let file: { data: Buffer; filename: string; mimetype: string } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname === FILE_FIELD) file = { data, filename: part.filename, mimetype: part.mimetype };
        else unknown.push(part.fieldname);
      } else if (FORM_FIELDS.includes(part.fieldname) && typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      } else if (part.fieldname === MENTIONS_FIELD && typeof part.value === 'string') {
        mentions.push(...part.value.split(',').map((m) => m.trim()).filter(Boolean));
      } else {
        unknown.push(part.fieldname);
      }
    }
  } catch (error) {
    throw formError(error);
  }
  if (unknown.length) {
    throw new ValidationError(`Unknown form fields: ${unknown.join(', ')}. ${FORM_SHAPE}`, unknown.map((field) => ({ field, message: 'is not a known field (allowed: phone, caption, kind, quotedMessageId, mentions, file)' })));
  }
  if (!fields.phone) throw new ValidationError('phone is required', [{ field: 'phone', message: 'is required' }]);
  if (!file) throw new ValidationError('file is required', [{ field: FILE_FIELD, message: 'is required' }]);
  if (fields.caption !== undefined && fields.caption.length > 4096) {
    throw new ValidationError('caption is longer than 4096 characters', [{ field: 'caption', message: 'must be at most 4096 characters' }]);
  }
  const kind = fields.kind || undefined;
  if (kind !== undefined && !(MEDIA_KINDS as readonly string[]).includes(kind)) {
    throw new ValidationError(`kind "${kind}" is not one of ${MEDIA_KINDS.join(', ')}`, [{ field: 'kind', message: `must be one of ${MEDIA_KINDS.join(', ')}` }]);
  }
  if (mentions.length > MAX_MENTIONS) {
    throw new ValidationError(`mentions lists more than ${MAX_MENTIONS} numbers`, [{ field: MENTIONS_FIELD, message: `must list at most ${MAX_MENTIONS} numbers` }]);
  }
  return {
    phone: fields.phone,
    caption: fields.caption || undefined,
    kind: kind as MediaKind | undefined,
    quotedMessageId: fields.quotedMessageId || undefined,
    mentions: mentions.length ? mentions : undefined,
    data: file.data,
    filename: file.filename,
    mimeType: file.mimetype,
  };
}

/** `inline` only for types a browser shows without running anything; everything else downloads. */
function contentDisposition(mimeType: string, fileName: string): string {
  const essence = mimeType.split(';')[0].trim();
  const inline = /^(image\/(png|jpeg|gif|webp)|video\/[\w.+-]+|audio\/[\w.+-]+)$/.test(essence);
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Sending messages and media (spec shapes), and serving stored media to the instance's owner. */
export const messagingRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { messaging } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['messages'];

  app.post(
    '/api/whatsapp/:id/send',
    { schema: { tags, summary: 'Send a text message', security: secured, params: IdParams, body: SendTextBody, response: { 200: SendResponse, ...sendErrors } } },
    async (request) => messaging.sendText(request.user, request.params.id, request.body),
  );

  app.post(
    '/api/whatsapp/:id/send-media',
    {
      schema: {
        tags,
        summary: 'Send media fetched from a URL (image, video, audio, voice note, document or sticker: kind, or its type)',
        security: secured,
        params: IdParams,
        body: SendMediaBody,
        response: { 200: SendResponse, ...sendErrors },
      },
    },
    async (request) => messaging.sendMediaUrl(request.user, request.params.id, request.body),
  );

  app.post(
    '/api/whatsapp/:id/send-file',
    {
      schema: {
        tags,
        summary: 'Send an uploaded file (multipart/form-data: phone, caption?, kind?, quotedMessageId?, mentions?, file)',
        description:
          'Form fields: `phone` (number or JID), `caption` (optional, up to 4096 characters), `kind` (optional: image, video, audio, voice, document or sticker; the file type decides when absent), `quotedMessageId` (optional: reply to that message of the chat), `mentions` (optional: numbers or JIDs, comma-separated or the field repeated) and `file` (the file; its name and type are kept as metadata). Files above MEDIA_MAX_BYTES answer 413.',
        security: secured,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: SendResponse, ...sendErrors },
      },
      // Documented only: the form is read in the handler, after the instance is known to be usable.
      config: { swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, body: SendFileForm }, url }) },
    },
    async (request) => messaging.sendFile(request.user, request.params.id, () => readSendFileForm(request)),
  );

  app.get(
    '/api/instances/:id/media/:file',
    {
      schema: {
        tags,
        summary: 'Download a stored media file of a message (its mediaUrl)',
        security: secured,
        params: MediaParams,
        response: { 200: Type.Unknown({ description: 'The file, with its stored content type' }), ...authErrors },
      },
    },
    async (request, reply) => {
      const media = await messaging.openMedia(request.user, request.params.id, request.params.file);
      return reply
        .header('content-type', media.mimeType)
        .header('content-length', media.size)
        .header('content-disposition', contentDisposition(media.mimeType, media.fileName ?? request.params.file))
        .header('cache-control', 'private, max-age=3600')
        .send(media.stream);
    },
  );
};
