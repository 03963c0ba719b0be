import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { iso } from '../core/clock.js';
import type { InstanceRecord } from '../store/store.js';
import { instancePatchInput, newInstanceInput } from './instance-input.js';
import { authErrors, IdParams, secured, SuccessResponse } from './schemas/common.js';
import {
  CreateInstanceBody,
  InstanceCreated,
  InstanceDetail,
  InstanceList,
  InstanceStatusView,
  InstanceUpdated,
  UpdateInstanceBody,
} from './schemas/instances.js';
import { instanceView, webhookSettingsView } from './views.js';

/** Instance CRUD with the spec's shapes. Another user's instance answers 404. */
export const instancesRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { instances } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['instances'];

  const base = (i: InstanceRecord) => instanceView(i, instances.state(i).status);

  app.post(
    '/api/instances',
    { schema: { tags, summary: 'Create an instance; its session starts at once', security: secured, body: CreateInstanceBody, response: { 201: InstanceCreated, ...authErrors } } },
    async (request, reply) => reply.code(201).send(base(await instances.create(request.user, newInstanceInput(request.body)))),
  );

  app.get(
    '/api/instances',
    { schema: { tags, summary: 'List your instances (all of them for an admin)', security: secured, response: { 200: InstanceList, ...authErrors } } },
    async (request) => ({
      instances: (await instances.list(request.user)).map((i) => ({ ...base(i), connectionStatus: instances.state(i) })),
      defaultEngine: instances.defaultEngine,
    }),
  );

  app.get(
    '/api/instances/:id',
    { schema: { tags, summary: 'Get an instance with its webhook settings', security: secured, params: IdParams, response: { 200: InstanceDetail, ...authErrors } } },
    async (request) => {
      const instance = await instances.getOwned(request.user, request.params.id);
      const settings = await instances.webhookSettings(instance.id);
      return {
        ...base(instance),
        phone: instance.phoneJid,
        lastActivity: iso(instances.lastActivity(instance)),
        webhookSettings: webhookSettingsView(settings, instances.revealSecret(settings)),
        connectionStatus: instances.state(instance),
      };
    },
  );

  app.get(
    '/api/instances/:id/status',
    { schema: { tags, summary: 'Connection status of an instance', security: secured, params: IdParams, response: { 200: InstanceStatusView, ...authErrors } } },
    async (request) => {
      const instance = await instances.getOwned(request.user, request.params.id);
      const state = instances.state(instance);
      return { instanceId: instance.id, ...state, lastActivity: iso(instances.lastActivity(instance)), connectionDetails: state };
    },
  );

  app.put(
    '/api/instances/:id',
    { schema: { tags, summary: 'Update name, description and webhook settings (partial)', security: secured, params: IdParams, body: UpdateInstanceBody, response: { 200: InstanceUpdated, ...authErrors } } },
    async (request) => {
      const i = await instances.update(request.user, request.params.id, instancePatchInput(request.body));
      return { id: i.id, name: i.name, description: i.description, webhookUrl: i.webhookUrl, webhookEnabled: i.webhookEnabled, updatedAt: iso(i.updatedAt) };
    },
  );

  app.delete(
    '/api/instances/:id',
    { schema: { tags, summary: 'Delete an instance: logs the device out and removes its data', security: secured, params: IdParams, response: { 200: SuccessResponse, ...authErrors } } },
    async (request) => {
      await instances.delete(request.user, request.params.id);
      return { success: true, message: `Instance ${request.params.id} deleted successfully` };
    },
  );
};
