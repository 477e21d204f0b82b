/**
 * Salesforce's refusal of a standard session where a high-assurance one is required: 401
 * `INVALID_SESSION_ID` like an expired session, told apart only by this message. No renewal
 * cures it (renewal.ts `isExpiredSession`), so the error says what does.
 */
const HIGH_ASSURANCE = /not valid for use with the REST API/i

const HIGH_ASSURANCE_HINT =
  ' (The org may require a high-assurance session, which API logins do not give: log the user in with the web server flow of @sfauth/oauth2 and MFA, or ask the admin to lower the session level required.)'

/**
 * Advice to append to Salesforce's message for a refusal no retry or renewal can cure, or `''`.
 * @see https://help.salesforce.com/s/articleView?id=sf.security_auth_require_ha_session.htm
 */
export function refusalHint(errorCode: string, message: string): string {
  return errorCode === 'INVALID_SESSION_ID' && HIGH_ASSURANCE.test(message)
    ? HIGH_ASSURANCE_HINT
    : ''
}
