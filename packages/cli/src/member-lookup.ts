import type { Member } from '@streamgate/contract';
import { NotAllowedError } from './errors.ts';
import { apiPath, type PortalApi } from './portal-api.ts';

/**
 * A user id as given, or the id of the member with that email (the API takes ids only; the
 * members list is the one place a workspace Admin can see emails and ids together).
 */
export async function memberUserId(api: PortalApi, workspace: string, user: string): Promise<string> {
  if (!user.includes('@')) return user;
  const members = await api.get<Member[]>(apiPath`/workspaces/${workspace}/members`);
  const match = members.find((member) => member.email.toLowerCase() === user.toLowerCase());
  if (!match) throw new NotAllowedError(`No user with email ${user} is listed in workspace '${workspace}'.`);
  return match.userId;
}
