import type { Role, User } from './user.entity.js';

/** A user as clients see it: never a password hash or token data. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  disabled: boolean;
  /** Whether the user followed the link of a verification email. */
  emailVerified: boolean;
  createdAt: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    phone: user.phone,
    role: user.role,
    disabled: user.disabled,
    emailVerified: user.emailVerifiedAt != null,
    createdAt: user.createdAt.toISOString(),
  };
}
