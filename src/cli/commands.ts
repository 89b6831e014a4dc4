import { audit } from './audit.js';
import { clientsAdd, clientsList, clientsRemove, clientsRotateSecret } from './clients.js';
import type { Command } from './command.js';
import { instances } from './instances.js';
import { keysRotate } from './keys.js';
import { mailList } from './mail.js';
import { migrate } from './migrate.js';
import { policySet, policyShow, policyUnset } from './policy.js';
import { serve } from './serve.js';
import { sessionsEnd, sessionsList } from './sessions.js';
import {
  usersCreate,
  usersDelete,
  usersDisable,
  usersEnable,
  usersList,
  usersResetFactors,
  usersSetPassword,
} from './users.js';
import {
  webhooksAdd,
  webhooksDeliveries,
  webhooksList,
  webhooksRedeliver,
  webhooksRemove,
} from './webhooks.js';

/**
 * Every `gatehouse` command, in the order `gatehouse help` lists them. A new
 * command is one entry here: its words, help and argument check in a file of
 * its group (cheap to load), its work in run/ (imported only when it runs).
 */
export const COMMANDS: Command[] = [
  serve,
  migrate,
  usersCreate,
  usersList,
  usersDisable,
  usersEnable,
  usersSetPassword,
  usersDelete,
  usersResetFactors,
  sessionsList,
  sessionsEnd,
  policyShow,
  policySet,
  policyUnset,
  audit,
  keysRotate,
  instances,
  webhooksAdd,
  webhooksList,
  webhooksRemove,
  webhooksDeliveries,
  webhooksRedeliver,
  mailList,
  clientsAdd,
  clientsList,
  clientsRemove,
  clientsRotateSecret,
];
