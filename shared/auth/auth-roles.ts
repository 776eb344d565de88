/** Keyward's three application roles, from least to most privileged. */
export const roles = ['reader', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { reader: 1, operator: 2, admin: 3 };

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** The roles that include `minimum`: `atLeast('operator')` is operator and admin. */
export function atLeast(minimum: Role): readonly Role[] {
  return roles.filter((role) => rank[role] >= rank[minimum]);
}

/** Who is calling, once the pipeline has resolved the request's identity. */
export interface Identity {
  readonly userId: string;
  readonly userEmail: string | null;
  readonly userName: string | null;
  readonly roles: readonly Role[];
  readonly authType: 'easyauth' | 'apiKey';
}
