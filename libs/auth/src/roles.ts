/** The realm roles Ruta acts on (README: roles and claims); any other role in a token is ignored. */
export const ROLES = ['border-agent', 'caseworker', 'supervisor', 'auditor', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
