// Entry for workerd: I/O is only allowed inside a request, so the suite runs when the harness
// dispatches one, and the report is also the response.
import { runSuite } from '../suite/index.js'

declare const __CONTROL_URL__: string

export default {
  async fetch(): Promise<Response> {
    return Response.json(await runSuite(__CONTROL_URL__))
  },
}
