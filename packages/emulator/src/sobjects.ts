import type { RequestContext } from './request-context.js'
import { json } from './responses.js'
import type { Session } from './state.js'
import type { EmulatorOrganization } from './types.js'

/** A record as the REST API returns it: `attributes` first, then the fields. */
type SObjectRecord = { attributes: { type: string; url: string } } & Record<string, unknown>

/**
 * The records a session can read: its own User and its Organization, each with every field the
 * emulator knows whatever the SELECT list names (enough for the clients that read them:
 * sfdx-core reads `Username`, and names the org from `Name, InstanceName, IsSandbox,
 * TrialExpirationDate, NamespacePrefix, OrganizationType`).
 */
function records(
  session: Session,
  org: EmulatorOrganization,
  base: string,
): Record<string, SObjectRecord[]> {
  const { user } = session
  return {
    User: [
      {
        attributes: { type: 'User', url: `${base}/sobjects/User/${user.userId}` },
        Id: user.userId,
        Username: user.username,
        Name: user.fullName,
        Email: user.email,
        IsActive: true,
      },
    ],
    Organization: [
      {
        attributes: { type: 'Organization', url: `${base}/sobjects/Organization/${user.orgId}` },
        Id: user.orgId,
        Name: org.name ?? 'Acme',
        InstanceName: org.instanceName ?? 'EMU1',
        IsSandbox: org.sandbox ?? false,
        TrialExpirationDate: null,
        NamespacePrefix: null,
        OrganizationType: org.edition ?? 'Developer Edition',
      },
    ],
    // A Dev Hub can query ScratchOrgInfo; the emulator has no scratch orgs to list.
    ...(org.devHub ? { ScratchOrgInfo: [] } : {}),
    // Objects every org has: they exist, and the emulator stores no data in them.
    ...Object.fromEntries(STANDARD_OBJECTS.map((name) => [name, []])),
  }
}

/**
 * Standard objects of every edition, answered with no records rather than `INVALID_TYPE`, so a
 * query an app runs against any org (`SELECT Id FROM Account`) succeeds as it would there.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_list.htm
 */
const STANDARD_OBJECTS = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'Case',
  'Task',
  'Event',
  'Campaign',
  'Contract',
  'Product2',
  'Pricebook2',
  'Group',
  'Profile',
  'PermissionSet',
  'UserRole',
  'RecordType',
  'ContentDocument',
  'ContentVersion',
  'Attachment',
  'Note',
]

/**
 * `GET …/sobjects/User/{id}`: the session's own User record; any other id (another user's
 * included, which the emulator does not share) answers 404 `NOT_FOUND`.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve_get.htm
 */
export function sobjectRecord(
  session: Session,
  org: EmulatorOrganization,
  base: string,
  resource: string,
): Response | undefined {
  const match = /^\/sobjects\/(\w+)\/(\w+)$/.exec(resource)
  if (!match) return undefined
  const [, type = '', id = ''] = match
  const found = records(session, org, base)[canonical(type)]?.find(
    (record) => record.Id === id || (id.length === 15 && String(record.Id).startsWith(id)),
  )
  return found ? json(found) : notFound()
}

/**
 * `GET …/query?q=` and `queryAll`: the records of the object named after `FROM`. An object the
 * org does not have answers 400 `INVALID_TYPE` with the query quoted as Salesforce does, so a
 * client telling a Dev Hub from another org by querying `ScratchOrgInfo` gets the real answer.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
export function queryAnswer(
  ctx: RequestContext,
  session: Session,
  org: EmulatorOrganization,
  base: string,
): Response {
  const soql = ctx.url.searchParams.get('q') ?? ''
  const from = /\bfrom\s+([A-Za-z_]\w*)/i.exec(soql)
  if (!/^\s*select\s/i.test(soql) || !from?.[1]) {
    return json(
      [{ message: `unexpected token: '${soql.slice(0, 40)}'`, errorCode: 'MALFORMED_QUERY' }],
      400,
    )
  }
  const type = from[1]
  const found = records(session, org, base)[canonical(type)]
  if (!found) {
    const column = from.index + from[0].length - type.length + 1
    return json(
      [
        {
          message: `\n${soql}\n${' '.repeat(column - 1)}^\nERROR at Row:1:Column:${column}\nsObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
          errorCode: 'INVALID_TYPE',
        },
      ],
      400,
    )
  }
  return json({ totalSize: found.length, done: true, records: found })
}

/** SOQL object names are case-insensitive. */
function canonical(type: string): string {
  const lower = type.toLowerCase()
  return (
    ['User', 'Organization', 'ScratchOrgInfo', ...STANDARD_OBJECTS].find(
      (name) => name.toLowerCase() === lower,
    ) ?? type
  )
}

function notFound(): Response {
  return json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], 404)
}
