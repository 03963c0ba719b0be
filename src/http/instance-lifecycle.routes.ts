import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import type { AppServices } from '../app-context.js';
import { iso } from '../core/clock.js';
import type { ReconnectAnswer } from '../services/lifecycle.service.js';
import type { UserRecord } from '../store/store.js';
import { authErrors, ErrorResponse, IdParams, pagination, secured, SuccessResponse } from './schemas/common.js';
import {
  ActivityQuery,
  ActivityView,
  PairingCodeBody,
  PairingCodeView,
  QrCodeView,
  QrGenerating,
  QrQuery,
  WhatsappStatusView,
} from './schemas/sessions.js';

const RECONNECT_STATUS: Record<ReconnectAnswer['outcome'], number> = { connected: 200, qr: 200, failed: 502, engine_error: 500, pending: 504 };

const GENERATING = { message: 'QR code generation in progress. Please try again in a few seconds.', status: 'generating' as const };

/** Connection lifecycle of an instance: reconnect, logout, QR and pairing code, activity log. */
export const instanceLifecycleRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { lifecycle, instances } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['instances'];
  const errors = { ...authErrors, 409: ErrorResponse };

  const sendQr = async (user: UserRecord, id: string, format: string | undefined, reply: FastifyReply) => {
    const answer = await lifecycle.qr(user, id);
    if (!('qrCode' in answer)) return reply.code(202).send(GENERATING);
    if (format === 'png') return reply.type('image/png').send(await QRCode.toBuffer(answer.qrCode, { type: 'png', margin: 2, width: 320 }));
    if (format === 'svg') return reply.type('image/svg+xml').send(await QRCode.toString(answer.qrCode, { type: 'svg', margin: 2 }));
    if (format === 'image') return { qrCode: answer.qrCode, image: await QRCode.toDataURL(answer.qrCode, { margin: 2, width: 320 }) };
    return { qrCode: answer.qrCode };
  };
  const qrSchema = (summary: string) => ({
    tags,
    summary,
    description: 'Answers 202 while the first QR code is on its way and 409 once the instance is connected. With format=png or svg the body is the picture.',
    security: secured,
    params: IdParams,
    querystring: QrQuery,
    response: { 200: QrCodeView, 202: QrGenerating, ...errors },
  });

  app.post(
    '/api/instances/:id/reconnect',
    {
      schema: {
        tags,
        summary: 'Restart the connection; revives a failed or logged-out instance, which then shows a QR code',
        description:
          'Waits up to 10 s for the outcome: 200 with success true once the instance is connected or shows a QR code; ' +
          'success false with a message that says why otherwise: 502 when WhatsApp could not be reached or refused the session, ' +
          '500 on an internal engine error, 504 when it is still connecting.',
        security: secured,
        params: IdParams,
        response: { 200: SuccessResponse, 500: SuccessResponse, 502: SuccessResponse, 504: SuccessResponse, ...errors },
      },
    },
    async (request, reply) => {
      const answer = await lifecycle.reconnect(request.user, request.params.id);
      return reply.code(RECONNECT_STATUS[answer.outcome]).send({ success: answer.success, message: answer.message });
    },
  );

  app.post(
    '/api/instances/:id/logout',
    { schema: { tags, summary: 'Unlink the device from the phone and wipe its credentials', security: secured, params: IdParams, response: { 200: SuccessResponse, ...errors } } },
    async (request) => {
      await lifecycle.logout(request.user, request.params.id);
      return { success: true, message: `Instance ${request.params.id} logged out` };
    },
  );

  app.post(
    '/api/whatsapp/:id/logout',
    { schema: { tags: ['whatsapp'], summary: 'Unlink the device from the phone and wipe its credentials', security: secured, params: IdParams, response: { 200: SuccessResponse, ...errors } } },
    async (request) => {
      await lifecycle.logout(request.user, request.params.id);
      return { success: true };
    },
  );

  app.get('/api/instances/:id/qr', { schema: qrSchema('The QR code to scan with the phone') }, (request, reply) =>
    sendQr(request.user, request.params.id, request.query.format, reply),
  );

  app.get('/api/whatsapp/:id/qr', { schema: { ...qrSchema('The QR code to scan with the phone'), tags: ['whatsapp'] } }, (request, reply) =>
    sendQr(request.user, request.params.id, request.query.format, reply),
  );

  app.post(
    '/api/instances/:id/pairing-code',
    {
      schema: {
        tags,
        summary: 'Link by phone number: returns a code to type on the phone instead of scanning',
        security: secured,
        params: IdParams,
        body: PairingCodeBody,
        response: { 200: PairingCodeView, 502: ErrorResponse, ...errors },
      },
    },
    async (request) => ({ code: await lifecycle.pairingCode(request.user, request.params.id, request.body.phone) }),
  );

  app.get(
    '/api/whatsapp/:id/status',
    { schema: { tags: ['whatsapp'], summary: 'Connection status', security: secured, params: IdParams, response: { 200: WhatsappStatusView, ...authErrors } } },
    async (request) => {
      const { ready, status, hasQr } = instances.state(await instances.getOwned(request.user, request.params.id));
      return { ready, status, hasQr };
    },
  );

  app.get(
    '/api/instances/:id/activity',
    {
      schema: {
        tags,
        summary: 'Connection history: qr_received, connected, disconnected, reconnecting, restarting, logged_out, failed (newest first)',
        security: secured,
        params: IdParams,
        querystring: ActivityQuery,
        response: { 200: ActivityView, ...authErrors },
      },
    },
    async (request) => {
      const { limit, skip } = request.query;
      const page = await lifecycle.activity(request.user, request.params.id, request.query);
      return {
        logs: page.items.map((entry) => ({ ...entry, createdAt: iso(entry.createdAt) })),
        pagination: pagination(page.total, limit, skip),
      };
    },
  );
};
