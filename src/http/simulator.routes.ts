import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { SimulatorService } from '../services/simulator.service.js';
import { authErrors, ErrorResponse, IdParams, secured, SuccessResponse } from './schemas/common.js';
import { PeerProfileBody, ProfileParams, ProfileView } from './schemas/profiles.js';
import { GroupActionBody, GroupActionView, SimulatedGroupBody, SimulatedGroupParams, SimulatedGroupView } from './schemas/simulator-groups.js';
import { DisconnectBody, InboundBody, InboundView, PresencesView, ScanBody, ScanView } from './schemas/sessions.js';

/**
 * Control of simulator instances: play the phone. Registered only when SIMULATOR_ENABLED=true;
 * each call needs the instance's owner (or an admin) and an instance on the simulator engine.
 */
export const simulatorRoutes: FastifyPluginAsyncTypebox<{ simulator: SimulatorService; maxMediaBytes: number }> = async (app, opts) => {
  const { simulator } = opts;
  app.addHook('onRequest', app.authenticate);
  const tags = ['simulator'];
  const errors = { ...authErrors, 409: ErrorResponse };

  app.post(
    '/api/simulator/instances/:id/scan',
    {
      schema: {
        tags,
        summary: 'The phone scans the QR code (or confirms the pairing code): links the instance',
        security: secured,
        params: IdParams,
        body: ScanBody,
        response: { 200: ScanView, ...errors },
      },
    },
    async (request) => {
      const { jid } = await simulator.scan(request.user, request.params.id, request.body ?? {});
      return { success: true, phone: jid };
    },
  );

  app.post(
    '/api/simulator/instances/:id/inbound',
    {
      // Base64 media is a third larger than the bytes it carries.
      bodyLimit: Math.ceil((opts.maxMediaBytes * 4) / 3) + 64 * 1024,
      schema: {
        tags,
        summary: 'A virtual phone sends the instance a message or a change to one, or shows its presence (typing, online)',
        security: secured,
        params: IdParams,
        body: InboundBody,
        response: { 200: InboundView, 413: ErrorResponse, ...errors },
      },
    },
    async (request) => {
      const id = await simulator.inbound(request.user, request.params.id, request.body);
      return id === undefined ? {} : { id };
    },
  );

  app.post(
    '/api/simulator/instances/:id/disconnect',
    {
      schema: {
        tags,
        summary: 'Drop the connection: connection_lost and bad_session reconnect, conflict does not, logged_out unlinks',
        description: 'failReconnects makes that many following connection attempts fail as well, to exercise the reconnect limit.',
        security: secured,
        params: IdParams,
        body: DisconnectBody,
        response: { 200: SuccessResponse, ...errors },
      },
    },
    async (request) => {
      await simulator.disconnect(request.user, request.params.id, request.body.reason, request.body.failReconnects);
      return { success: true };
    },
  );

  app.get(
    '/api/simulator/instances/:id/presences',
    {
      schema: {
        tags,
        summary: "Presences between the instance's virtual phone and its peers: the one each peer last showed it, and what it showed",
        security: secured,
        params: IdParams,
        response: { 200: PresencesView, ...errors },
      },
    },
    async (request) => simulator.presences(request.user, request.params.id),
  );

  app.put(
    '/api/simulator/instances/:id/peers/:phone/profile',
    {
      bodyLimit: Math.ceil((opts.maxMediaBytes * 4) / 3) + 64 * 1024,
      schema: {
        tags,
        summary: 'Set what a virtual phone shows of itself: push name, about text, picture (fields not given stay)',
        security: secured,
        params: ProfileParams,
        body: PeerProfileBody,
        response: { 200: ProfileView, 413: ErrorResponse, 415: ErrorResponse, ...errors },
      },
    },
    async (request) => simulator.setPeerProfile(request.user, request.params.id, request.params.phone, request.body),
  );

  app.post(
    '/api/simulator/instances/:id/groups',
    {
      schema: {
        tags,
        summary: 'A virtual member creates a group with the instance in it: the instance gets group_joined',
        security: secured,
        params: IdParams,
        body: SimulatedGroupBody,
        response: { 200: SimulatedGroupView, ...errors },
      },
    },
    async (request) => simulator.createGroup(request.user, request.params.id, request.body),
  );

  app.post(
    '/api/simulator/instances/:id/groups/:groupId/events',
    {
      schema: {
        tags,
        summary: 'A virtual member acts in a group: adds, removes, promotes or demotes members, changes settings, or leaves',
        description: 'Numbers ending in 0000 are not on WhatsApp; numbers ending in 7777 accept group invites only (status privacy).',
        security: secured,
        params: SimulatedGroupParams,
        body: GroupActionBody,
        response: { 200: GroupActionView, ...errors },
      },
    },
    async (request) => simulator.groupAction(request.user, request.params.id, request.params.groupId, request.body),
  );
};
