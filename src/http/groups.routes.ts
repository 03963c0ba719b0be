import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { groupDetailView, groupView } from './group-views.js';
import { authErrors, ErrorResponse, IdParams, pagination, secured, SuccessResponse } from './schemas/common.js';
import {
  CreateGroupBody,
  CreateGroupResponse,
  GroupDetailView,
  GroupParams,
  GroupQuery,
  GroupsQuery,
  GroupsResponse,
  InviteParams,
  InvitePreviewView,
  InviteView,
  JoinGroupBody,
  ParticipantsBody,
  ParticipantsResponse,
  UpdateGroupBody,
} from './schemas/groups.js';

/** 403 not an admin (or announce on), 404 unknown group, 409 not a member or not connected, 502 WhatsApp failed. */
const errors = { ...authErrors, 409: ErrorResponse, 502: ErrorResponse };

/** Groups of an instance: list, create, members, settings, invite links, leave. */
export const groupsRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { groups } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const base = { tags: ['groups'], security: secured };

  app.get(
    '/api/whatsapp/:id/groups',
    { schema: { ...base, summary: 'Groups the account is in, by subject; stored, read from WhatsApp again with refresh=true', params: IdParams, querystring: GroupsQuery, response: { 200: GroupsResponse, ...errors } } },
    async (request) => {
      const { limit, skip } = request.query;
      const page = await groups.list(request.user, request.params.id, request.query);
      return { groups: page.items.map(groupView), pagination: pagination(page.total, limit, skip) };
    },
  );

  app.post(
    '/api/whatsapp/:id/groups',
    { schema: { ...base, summary: 'Create a group with participants; the result per participant says who got in', params: IdParams, body: CreateGroupBody, response: { 201: CreateGroupResponse, ...errors } } },
    async (request, reply) => {
      const created = await groups.create(request.user, request.params.id, request.body);
      return reply.code(201).send({ group: groupDetailView(created.group), results: created.results });
    },
  );

  app.get(
    '/api/whatsapp/:id/groups/invite/:code',
    { schema: { ...base, summary: 'What an invite code leads to (subject, size), without joining', params: InviteParams, response: { 200: InvitePreviewView, ...errors } } },
    async (request) => groups.preview(request.user, request.params.id, request.params.code),
  );

  app.post(
    '/api/whatsapp/:id/groups/join',
    { schema: { ...base, summary: 'Join a group by invite code or link', params: IdParams, body: JoinGroupBody, response: { 200: GroupDetailView, ...errors } } },
    async (request) => groupDetailView(await groups.join(request.user, request.params.id, request.body)),
  );

  app.get(
    '/api/whatsapp/:id/groups/:groupId',
    { schema: { ...base, summary: 'A group with its members and their admin rank', params: GroupParams, querystring: GroupQuery, response: { 200: GroupDetailView, ...errors } } },
    async (request) => groupDetailView(await groups.get(request.user, request.params.id, request.params.groupId, request.query.refresh)),
  );

  app.put(
    '/api/whatsapp/:id/groups/:groupId',
    {
      schema: {
        ...base,
        summary: "Change a group's subject, description, settings, disappearing messages or picture",
        description: 'announce: only admins send; restrict: only admins edit info and settings. Settings need an admin (403 otherwise).',
        params: GroupParams,
        body: UpdateGroupBody,
        response: { 200: GroupDetailView, ...errors },
      },
    },
    async (request) => groupDetailView(await groups.update(request.user, request.params.id, request.params.groupId, request.body)),
  );

  app.post(
    '/api/whatsapp/:id/groups/:groupId/participants',
    { schema: { ...base, summary: 'Add, remove, promote or demote members (admins only); a result per participant', params: GroupParams, body: ParticipantsBody, response: { 200: ParticipantsResponse, ...errors } } },
    async (request) => groups.participants(request.user, request.params.id, request.params.groupId, request.body),
  );

  app.get(
    '/api/whatsapp/:id/groups/:groupId/invite',
    { schema: { ...base, summary: "The group's invite code and link (admins only)", params: GroupParams, response: { 200: InviteView, ...errors } } },
    async (request) => groups.invite(request.user, request.params.id, request.params.groupId),
  );

  app.post(
    '/api/whatsapp/:id/groups/:groupId/invite/revoke',
    { schema: { ...base, summary: 'Make the invite link stop working; answers the new one (admins only)', params: GroupParams, response: { 200: InviteView, ...errors } } },
    async (request) => groups.revokeInvite(request.user, request.params.id, request.params.groupId),
  );

  app.post(
    '/api/whatsapp/:id/groups/:groupId/leave',
    { schema: { ...base, summary: 'Leave the group', params: GroupParams, response: { 200: SuccessResponse, ...errors } } },
    async (request) => groups.leave(request.user, request.params.id, request.params.groupId),
  );
};
