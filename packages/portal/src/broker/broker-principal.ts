/**
 * Each streaming token is its own Kafka principal, `User:sgt-<tokenId>`: a rotation can then
 * cut off exactly the deactivated token (delete its ACLs) while Token 2's clients, another
 * principal, are untouched. The reconciler owns every ACL whose principal has this prefix.
 */
export const brokerPrincipalPrefix = 'sgt-';

export function brokerPrincipalOf(tokenId: string): string {
  return `${brokerPrincipalPrefix}${tokenId}`;
}
