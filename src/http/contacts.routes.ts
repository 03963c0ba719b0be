import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, ErrorResponse, IdParams, pagination, secured } from './schemas/common.js';
import {
  AddContactBody,
  AddContactResponse,
  ContactView,
  ImportContactsResponse,
  LiveContactsResponse,
  SaveContactBody,
  StoredContactsQuery,
  StoredContactsResponse,
} from './schemas/messaging.js';
import { contactView } from './views.js';

const liveErrors = { ...authErrors, 409: ErrorResponse, 502: ErrorResponse };

/** Contacts from WhatsApp (live) and from the store; the stored ones under both spec prefixes. */
export const contactsRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { contacts } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['contacts'];

  app.get(
    '/api/whatsapp/:id/contacts',
    { schema: { tags, summary: 'Contacts of the linked WhatsApp account', security: secured, params: IdParams, response: { 200: LiveContactsResponse, ...liveErrors } } },
    async (request) => ({ contacts: await contacts.listLive(request.user, request.params.id) }),
  );

  app.post(
    '/api/whatsapp/:id/contacts/add',
    {
      schema: {
        tags,
        summary: 'Check a number on WhatsApp and store it as a contact (sends nothing)',
        security: secured,
        params: IdParams,
        body: AddContactBody,
        response: { 200: AddContactResponse, ...liveErrors },
      },
    },
    async (request) => {
      const contact = await contacts.add(request.user, request.params.id, request.body.phone, request.body.name);
      return { success: true, message: 'Contact added successfully', contact };
    },
  );

  for (const prefix of ['/api/instances', '/api/whatsapp']) {
    app.get(
      `${prefix}/:id/contacts/db`,
      {
        schema: {
          tags,
          summary: 'Stored contacts, with search and paging',
          security: secured,
          params: IdParams,
          querystring: StoredContactsQuery,
          response: { 200: StoredContactsResponse, ...authErrors },
        },
      },
      async (request) => {
        const { limit, skip } = request.query;
        const page = await contacts.listStored(request.user, request.params.id, request.query);
        return { contacts: page.items.map(contactView), pagination: pagination(page.total, limit, skip) };
      },
    );

    app.post(
      `${prefix}/:id/contacts/import`,
      { schema: { tags, summary: 'Copy the WhatsApp account\'s contacts into the store', security: secured, params: IdParams, response: { 200: ImportContactsResponse, ...liveErrors } } },
      async (request) => {
        const importedCount = await contacts.importFromWhatsApp(request.user, request.params.id);
        return { success: true, message: `${importedCount} contacts imported successfully`, importedCount };
      },
    );

    app.post(
      `${prefix}/:id/contacts/save`,
      { schema: { tags, summary: 'Store or update a contact', security: secured, params: IdParams, body: SaveContactBody, response: { 200: ContactView, ...authErrors } } },
      async (request) => contactView(await contacts.save(request.user, request.params.id, request.body)),
    );
  }
};
