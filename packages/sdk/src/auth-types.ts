/**
 * Seed 002 account answers as the server's auth routes send them (their zod schemas live beside the routes;
 * these are the wire shapes a client reads).
 */
export type Role = "owner" | "admin" | "member" | "viewer";

export interface ProjectRef {
  id: string;
  name: string;
  role: Role;
}

export interface SignedInUser {
  id: string;
  email: string;
  full_name: string;
  tenant_id: string;
  project_id: string;
  role: Role;
}

/** `POST /api/v1/auth/login`. */
export interface LoginResponse {
  user: SignedInUser;
  projects: ProjectRef[];
  access_token: string;
  token_type: "bearer";
  refresh_token: string;
}

/** `GET /api/v1/auth/me`. */
export interface MeResponse {
  user: SignedInUser;
  tenant: { id: string; name: string; slug: string };
  projects: ProjectRef[];
}

/** `POST /api/v1/auth/switch-project`. */
export interface SwitchProjectResponse {
  project: ProjectRef;
  access_token: string;
  token_type: "bearer";
}

/** Seed 003's success envelope. */
export interface Seed003Envelope<T> {
  success: boolean;
  message: string;
  data: T;
}

/** Seed 003's paginated body. */
export interface Seed003Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
  has_next: boolean;
}
