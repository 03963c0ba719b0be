import type { FunctionComponent } from 'preact';
import { AdminLimitsPage } from './pages/admin-limits.js';
import { AdminSystemPage } from './pages/admin-system.js';
import { AdminUsersPage } from './pages/admin-users.js';
import { ChatPage } from './pages/chat.js';
import { ContactsPage } from './pages/contacts.js';
import { GroupPage } from './pages/group.js';
import { GroupsPage } from './pages/groups.js';
import { InstancePage } from './pages/instance.js';
import { InstancesPage } from './pages/instances.js';
import { ProfilePage } from './pages/profile.js';
import { UsagePage } from './pages/usage.js';
import { WebhookPage } from './pages/webhook.js';

export interface Route {
  path: string;
  page: FunctionComponent<any>;
  /** Label in the main navigation, for top-level pages. */
  nav?: string;
  admin?: boolean;
}

export const routes: Route[] = [
  { path: '/instances', page: InstancesPage, nav: 'Instances' },
  { path: '/instances/:id', page: InstancePage },
  { path: '/instances/:id/chat', page: ChatPage },
  { path: '/instances/:id/contacts', page: ContactsPage },
  { path: '/instances/:id/groups', page: GroupsPage },
  { path: '/instances/:id/groups/:groupId', page: GroupPage },
  { path: '/instances/:id/webhook', page: WebhookPage },
  { path: '/usage', page: UsagePage, nav: 'Usage' },
  { path: '/profile', page: ProfilePage, nav: 'Profile' },
  { path: '/admin/users', page: AdminUsersPage, nav: 'Users', admin: true },
  { path: '/admin/limits', page: AdminLimitsPage, nav: 'Limits', admin: true },
  { path: '/admin/system', page: AdminSystemPage, nav: 'System', admin: true },
];
