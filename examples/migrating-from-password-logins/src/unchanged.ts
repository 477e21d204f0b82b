import type { Connection } from '@sfauth/core'

/** The rest of the code does not change: whichever flow logged in, `conn` works the same. */
export async function whoAmI(conn: Connection): Promise<string> {
  const soql = `SELECT Username FROM User WHERE Id = '${conn.userInfo?.id}'`
  const result = await conn.request<{ records: { Username: string }[] }>(
    `query?q=${encodeURIComponent(soql)}`,
  )
  return result.records[0]?.Username ?? ''
}
