/** What a sign-in, refresh or project switch hands the client (as body fields and as cookies). */
export interface SessionTokens {
  accessToken: string;
  /** Absent when only the access token changed (switch-project keeps the session's refresh token). */
  refreshToken?: string;
}
