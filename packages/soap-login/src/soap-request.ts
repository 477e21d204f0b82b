import type { Http, HttpResponse } from '@sfauth/core/flow'

const ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/'
/** The Partner WSDL's namespace: its endpoint (`/services/Soap/u/`) works for every org. */
export const PARTNER_NS = 'urn:partner.soap.sforce.com'

/**
 * POSTs one Partner API call. `header` and `body` are the contents of the envelope's Header and
 * Body, already escaped.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_quickstart_steps_walk_through_code.htm
 */
export function sendSoap(
  http: Http,
  request: {
    url: string
    action: string
    header: string
    body: string
    secrets: readonly (string | undefined)[]
  },
): Promise<HttpResponse> {
  return http.send({
    url: request.url,
    method: 'POST',
    headers: {
      'Content-Type': 'text/xml; charset=UTF-8',
      SOAPAction: request.action,
      Accept: 'text/xml',
    },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>' +
      `<se:Envelope xmlns:se="${ENVELOPE_NS}">` +
      `<se:Header>${request.header}</se:Header>` +
      `<se:Body>${request.body}</se:Body>` +
      '</se:Envelope>',
    secrets: request.secrets,
  })
}
