/** The roles, strongest first. An organisation role applies to every workspace unless overridden. */
export const roles = ['Admin', 'Manager', 'Editor', 'Viewer', 'None'] as const;
export type Role = (typeof roles)[number];

export const roleSchema = { type: 'string', enum: roles } as const;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
